// campaign-store: the database of the Campaign Builder, served by a worker.
//
//   const store = await openCampaignStore({ name: 'campaigns', storage: 'opfs' });
//   await store.products.create({ name: 'Sneaker' });
//   const off = store.subscribe(['products'], ({ tables }) => ...);
//   const live = store.liveQuery((s) => s.products.list());
//
// React bindings live in campaign-store/react; the engine without a worker
// in campaign-store/core.
export { openCampaignStore } from './client/open.js';
export { CampaignStore } from './client/store.js';
export { LiveQuery } from './client/live-query.js';
export { ENTITIES } from './client/api.js';
export { CampaignStoreError, ERROR_CODES } from './errors.js';
export { transfer } from './protocol/transfer.js';
// ---- legacy migration: collection, compat facade, rollback helpers
export { collectLegacyStorage, createLegacyFacade, exportLegacy, migrateLegacyStorage, releaseLegacyKeys } from './legacy/index.js';
