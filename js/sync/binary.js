// The engine side of sync's binary path (in the worker, or in the thread of
// an in-thread engine). An upload request's body is a blob's bytes: sync.next
// stages them in the export slot (src/api/ops_sync.cpp) and they leave here
// as a Uint8Array the caller owns (a copy: the wasm heap may grow under a
// view while fetch still reads it), so they never travel as base64 in JSON.
import { CampaignStoreError } from '../errors.js';

function entry(engine, name) {
  const fn = engine.module?.[name];
  if (typeof fn !== 'function') {
    throw new CampaignStoreError('INTERNAL', `this build of the module has no ${name}()`, { entry: name });
  }
  return fn;
}

/** op -> (engine, args) => result, merged into the worker's BINARY_OPS. */
export const SYNC_BINARY_OPS = Object.freeze({
  /** The next request; an upload comes with `body`: the blob's bytes. */
  'sync.next': (engine, args) => {
    const request = engine.call('sync.next', args ?? {});
    if (request?.kind !== 'upload') return request;
    const view = entry(engine, 'storageExportView')();
    try {
      return { ...request, body: view ? view.slice() : new Uint8Array(0) };
    } finally {
      entry(engine, 'storageExportRelease')();
    }
  },
});
