// The shared store API bodies against the store served by a worker_threads
// worker (the Node form of the browser's Web Worker).
import { openCampaignStore } from '../../js/index.js';
import { defineStoreApiTests } from './shared/store-api.mjs';

defineStoreApiTests('worker', (options = {}) => openCampaignStore({ storage: 'memory', ...options }));
