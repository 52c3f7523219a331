// The shared store API bodies against the store served in this thread
// ({worker: false}): the same server code as the worker, behind a
// MessageChannel instead of a thread.
import { openCampaignStore } from '../../js/index.js';
import { defineStoreApiTests } from './shared/store-api.mjs';

defineStoreApiTests('in-thread', (options = {}) => openCampaignStore({ storage: 'memory', worker: false, ...options }));
