// The engine side of sync's binary path (in the worker, or in the thread of
// an in-thread engine). An upload request's body is a blob's bytes: sync.next
// stages them in the export slot (src/api/ops_sync.cpp) and they leave here
// as a Uint8Array the caller owns, so they never travel as base64 in JSON.

/** op -> (engine, args) => result, merged into the worker's BINARY_OPS. */
export const SYNC_BINARY_OPS = Object.freeze({
  /** The next request; an upload comes with `body`: the blob's bytes. */
  'sync.next': (engine, args) => {
    const request = engine.call('sync.next', args ?? {});
    return request?.kind === 'upload' ? { ...request, body: engine.takeExported() } : request;
  },
});
