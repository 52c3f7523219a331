// campaign-store's localStorage migration, compat facade and rollback helpers
// for code that works with the pieces directly (an in-thread engine, another
// host's storage, the demo). The store client wires them itself
// (store.migration, store.blobs, store.legacy).
export { collectLegacyStorage, isWellFormed } from './collect.js';
export { GROUP_ORDER, isLegacyKey } from './keys.js';
export { localTimeZone, timeZoneTransitions } from './timezone.js';
export { migrateLegacyStorage } from './migrate.js';
export { exportLegacy, releaseLegacyKeys } from './rollback.js';
export { createLegacyFacade } from './facade.js';
export { blobHash } from './client.js';
import { callWithBytes } from '../engine/bytes.js';

/**
 * The door of an in-thread engine (createEngine from campaign-store/core) as
 * migrateLegacyStorage / exportLegacy / the facade want it: what the worker
 * does, on the calling thread, binary path included.
 * @param {import('../engine/engine.js').Engine} engine
 */
export function engineCaller(engine) {
  const caller = (op, args) => callWithBytes(engine, op, args);
  /** Hears an import's progress per item (migrateLegacyStorage's 'items' events); returns the unsubscribe. */
  caller.onLegacyProgress = (listener) => {
    engine.onLegacyProgress = listener;
    return () => { if (engine.onLegacyProgress === listener) engine.onLegacyProgress = undefined; };
  };
  return caller;
}
