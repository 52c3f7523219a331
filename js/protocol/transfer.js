// Binary values (images, an exported database) cross the worker boundary as
// transferred ArrayBuffers instead of copies. A view that covers only part of
// its buffer (a subarray, one of Node's pooled Buffers) is first copied into a
// buffer of its own: transferring the shared buffer would detach memory the
// caller still uses elsewhere, and cloning it would copy all of it.
//
// The walk is copy-on-write: plain JSON arguments come back as the very same
// object with an empty transfer list, so the common case costs one pass.

import { CampaignStoreError } from '../errors.js';

const MAX_DEPTH = 64;

/** Bytes given as a Uint8Array, another view or an ArrayBuffer, as a Uint8Array (no copy). */
export function asBytes(value) {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  throw new CampaignStoreError('INVALID_ARGUMENT', 'bytes must be a Uint8Array or an ArrayBuffer', { field: 'bytes' });
}

/**
 * @template T
 * @param {T} value
 * @returns {{value: T, transfer: ArrayBuffer[]}}
 */
export function prepareTransfer(value) {
  const transfer = new Set();
  const out = walk(value, transfer, 0);
  return { value: out, transfer: [...transfer] };
}

function walk(v, transfer, depth) {
  if (v === null || typeof v !== 'object' || depth > MAX_DEPTH) return v;
  if (v instanceof ArrayBuffer) {
    transfer.add(v);
    return v;
  }
  if (ArrayBuffer.isView(v)) return walkView(v, transfer);
  if (Array.isArray(v)) {
    let copy = null;
    for (let i = 0; i < v.length; i++) {
      const item = walk(v[i], transfer, depth + 1);
      if (item !== v[i]) (copy ??= v.slice())[i] = item;
    }
    return copy ?? v;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return v;  // Date, Map, ...: cloned as they are
  let copy = null;
  for (const key of Object.keys(v)) {
    const item = walk(v[key], transfer, depth + 1);
    if (item !== v[key]) (copy ??= { ...v })[key] = item;
  }
  return copy ?? v;
}

function walkView(view, transfer) {
  const buffer = view.buffer;
  if (!(buffer instanceof ArrayBuffer)) return view;  // SharedArrayBuffer: shared, not moved
  const whole = view.byteOffset === 0 && view.byteLength === buffer.byteLength;
  const isNodeBuffer = typeof globalThis.Buffer === 'function' && globalThis.Buffer.isBuffer?.(view);
  if (whole && !isNodeBuffer && !transfer.has(buffer)) {
    transfer.add(buffer);
    return view;
  }
  // A private copy, of the same type (a Node Buffer becomes a plain
  // Uint8Array: it would not survive the clone as a Buffer anyway).
  const bytes = new Uint8Array(view.byteLength);
  bytes.set(new Uint8Array(buffer, view.byteOffset, view.byteLength));
  transfer.add(bytes.buffer);
  if (isNodeBuffer || view instanceof Uint8Array) return bytes;
  if (view instanceof DataView) return new DataView(bytes.buffer);
  return new view.constructor(bytes.buffer);
}
