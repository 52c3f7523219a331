// The messages between a store client (main thread) and its worker. One shape
// each way, so the worker_threads, Web Worker and in-thread transports share
// all of their code:
//
//   request   client -> worker  {id, op, args}
//   response  worker -> client  {id, ok: true,  result, changes}
//                               {id, ok: true,  text, blobs?, changes}    text: the
//                                   engine's envelope '{"changes":[…],"ok":true,
//                                   "result":…,"values":[…]}' as C++ wrote it, parsed by
//                                   the client (one string to copy instead of an object
//                                   graph to clone); blobs: the answer's BLOB values
//                                   (values.js decodeAnswer puts them in place)
//                               {id, ok: false, error: {code, message, details}, changes: []}
//   event     worker -> client  {event: 'changes', changes}
//                               {event: 'log', level, message, details}
//                               {event: 'role', role, leader}
//
// Every request settles exactly one response with the same id; events carry
// no id. `ok` is the status: a reader never looks inside `text` for it.
// `changes` lists the names of the tables committed transactions touched;
// the engine reports them beside its answer (Engine.callEnvelope), so no
// one parses an answer to learn them.
// Binary values travel as ArrayBuffers, copied or moved (see transfer.js).
import { CampaignStoreError, ERROR_CODES } from '../errors.js';

/** Ops the worker answers itself; everything else goes to engine.call. */
export const WORKER_OPS = Object.freeze({
  init: 'worker.init',        // {name, storage, durability, multiTab, ...} -> {tabId, role, ...}
  suspend: 'worker.suspend',  // page hidden/frozen: give up leadership and the storage handles
  resume: 'worker.resume',    // page shown again: take part in the election again
  close: 'worker.close',      // close the database and release storage
  crash: 'worker.debug.crash', // tests only (init {testHooks: true}): an uncaught error
});

/** True for a response (it answers a request id), false for an event. */
export function isResponse(message) {
  return message !== null && typeof message === 'object' && 'id' in message;
}

/** Any thrown value as the wire form `{code, message, details}`. */
export function errorToWire(err) {
  if (err instanceof CampaignStoreError || (err && ERROR_CODES.includes(err.code))) {
    return { code: err.code, message: String(err.message), details: plainDetails(err.details) };
  }
  return { code: 'INTERNAL', message: String(err?.message ?? err), details: { name: err?.name ?? typeof err } };
}

/** The wire form back into the one error type callers see. */
export function errorFromWire(wire) {
  return CampaignStoreError.fromWire(wire);
}

// details must survive structured clone: anything odd is reduced to JSON.
function plainDetails(details) {
  if (details === undefined || details === null) return {};
  try {
    return structuredClone(details);
  } catch {
    return JSON.parse(JSON.stringify(details));
  }
}
