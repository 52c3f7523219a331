// Binary values (images, an exported database, BLOB parameters and
// results) between threads.
//
// Requests: a caller's buffer is never taken from it. It is copied by the
// structured clone, unless the caller marked it with transfer(), which moves
// it (detaching it on the caller's side) instead of copying. A view that
// covers only part of its buffer (a subarray, one of Node's pooled Buffers)
// is first copied into a buffer of its own, which is moved: cloning it would
// copy the whole buffer behind it.
//
// Answers: everything in them belongs to the worker (copies out of the wasm
// heap), so every buffer is moved.
//
// The walk is copy-on-write and bounded: plain JSON arguments come back as
// the very same object with an empty transfer list, in one pass.
import { CampaignStoreError } from '../errors.js';
import { isDetached } from './values.js';

const MAX_DEPTH = 64;
const MAX_NODES = 100000;
const MAX_ITEMS = 32 * 1024 * 1024;  // a request holds at most 64 MiB, two bytes an item at least

// Buffers their owners allowed to move (transfer()).
const movable = new WeakSet();

/**
 * Marks bytes to be moved to the worker instead of copied: after the call
 * that sends them, `bytes` (and every other view of its buffer) is empty.
 * A view of part of a buffer is copied either way (the rest of the buffer
 * stays the caller's). Returns `bytes`, so it can be written inline:
 * `[transfer(image)]`.
 * @template {ArrayBuffer | ArrayBufferView} T
 * @param {T} bytes
 * @returns {T}
 */
export function transfer(bytes) {
  const buffer = bytes instanceof ArrayBuffer ? bytes : ArrayBuffer.isView(bytes) ? bytes.buffer : null;
  if (!(buffer instanceof ArrayBuffer)) {
    throw new CampaignStoreError('INVALID_ARGUMENT', 'transfer() takes an ArrayBuffer or a view of one', { field: 'bytes' });
  }
  if (buffer === bytes || (bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength)) movable.add(buffer);
  return bytes;
}

/** Bytes given as a Uint8Array, another view or an ArrayBuffer, as a Uint8Array (no copy). */
export function asBytes(value) {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  throw new CampaignStoreError('INVALID_ARGUMENT', 'bytes must be a Uint8Array or an ArrayBuffer', { field: 'bytes' });
}

/**
 * A request's arguments ready to post: `value` is `args` or a copy of it
 * (private copies of partial views, toJSON() applied so the worker sees what
 * JSON.stringify would), `transfer` the buffers to move. Throws on what
 * cannot be sent (a detached buffer marked for transfer, a huge array):
 * the caller names the problem with values.js checkArgs.
 * @template T
 * @param {T} args
 * @returns {{value: T, transfer: ArrayBuffer[]}}
 */
export function prepareRequest(args) {
  return prepare(args, false);
}

/** An answer body ready to post: every buffer in it is moved. */
export function prepareAnswer(body) {
  return prepare(body, true);
}

function prepare(value, owned) {
  const state = { transfer: new Set(), nodes: 0, owned };
  const out = walk(value, state, 0, '');
  return { value: out, transfer: [...state.transfer] };
}

function walk(v, state, depth, key) {
  if (v === null || typeof v !== 'object' || depth > MAX_DEPTH || ++state.nodes > MAX_NODES) return v;
  if (v instanceof ArrayBuffer) {
    if (state.owned || movable.has(v)) move(v, state);
    return v;
  }
  if (ArrayBuffer.isView(v)) return walkView(v, state);
  if (!state.owned && typeof v.toJSON === 'function') return v.toJSON(key);
  if (Array.isArray(v)) {
    if (v.length > MAX_ITEMS) throw new RangeError(`an array of ${v.length} items`);
    let copy = null;
    for (let i = 0; i < v.length; i++) {
      const item = walk(v[i], state, depth + 1, String(i));
      if (item !== v[i]) (copy ??= v.slice())[i] = item;
    }
    return copy ?? v;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return v;  // Date, Map, ...: cloned as they are
  let copy = null;
  for (const k of Object.keys(v)) {
    const item = walk(v[k], state, depth + 1, k);
    if (item !== v[k]) (copy ??= { ...v })[k] = item;
  }
  return copy ?? v;
}

function move(buffer, state) {
  if (isDetached(buffer)) throw new TypeError('a buffer marked for transfer is detached');
  state.transfer.add(buffer);
}

function walkView(view, state) {
  const buffer = view.buffer;
  if (!(buffer instanceof ArrayBuffer)) return view;  // SharedArrayBuffer: shared, not moved
  const whole = view.byteOffset === 0 && view.byteLength === buffer.byteLength;
  const isNodeBuffer = typeof globalThis.Buffer === 'function' && globalThis.Buffer.isBuffer?.(view);
  if (whole && !isNodeBuffer) {
    if ((state.owned || movable.has(buffer)) && !state.transfer.has(buffer)) move(buffer, state);
    return view;
  }
  if (isDetached(buffer)) return view;  // the clone refuses it, and the caller says why
  // A private copy, of the same type (a Node Buffer becomes a plain
  // Uint8Array: it would not survive the clone as a Buffer anyway).
  const bytes = new Uint8Array(view.byteLength);
  bytes.set(new Uint8Array(buffer, view.byteOffset, view.byteLength));
  state.transfer.add(bytes.buffer);
  if (isNodeBuffer || view instanceof Uint8Array) return bytes;
  if (view instanceof DataView) return new DataView(bytes.buffer);
  return new view.constructor(bytes.buffer);
}
