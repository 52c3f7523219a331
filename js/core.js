// campaign-store/core: the engine without a worker, for Node scripts, tests
// and benchmarks that want synchronous calls on the current thread.
export { createEngine, Engine } from './engine/engine.js';
export { CampaignStoreError, ERROR_CODES } from './errors.js';
