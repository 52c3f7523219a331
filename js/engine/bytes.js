// Ops whose payload is bytes, run on an engine (in the worker, or in the
// thread of an in-thread engine). The engine's door carries JSON, so bytes
// cross into and out of the wasm heap through the engine's own staged-bytes
// slots (Engine.importSlot / takeExported), as the op table says of each op
// (src/api/op_table.cpp: bytesIn, bytesOut):
//   bytesIn 'bytes'    args.bytes (Uint8Array or ArrayBuffer) is staged, and
//                      the op runs on the other args
//   bytesIn 'entries'  each args.entries[].value string is staged as UTF-8,
//                      in order, and named by its byte count: {key, bytes}.
//                      The 5 MB legacy dump is neither escaped into JSON nor
//                      parsed twice.
//   bytesOut member    the bytes the op staged, zero bytes included,
//                      become result[member], a copy the caller owns; an op
//                      that staged none (a sync.next that is not an upload)
//                      answers its result as it is
import { CampaignStoreError } from '../errors.js';
import { asBytes } from '../protocol/transfer.js';

const encoder = new TextEncoder();

/** True when the op's args or result carry bytes (its answer is an object, not the envelope text). */
export function carriesBytes(engine, op) {
  const spec = engine.ops.get(op);
  return Boolean(spec?.bytesIn || spec?.bytesOut);
}

/** Any op on the engine, its bytes staged as the op table says. */
export function callWithBytes(engine, op, args) {
  const spec = engine.ops.get(op);
  if (!spec?.bytesIn && !spec?.bytesOut) return engine.call(op, args ?? {});
  let staged = args ?? {};
  if (spec.bytesIn === 'bytes') staged = stageMember(engine, staged);
  else if (spec.bytesIn === 'entries') staged = stageEntries(engine, staged);
  if (!spec.bytesOut) return withProgress(engine, () => engine.call(op, staged));
  engine.takeExported();  // bytes an earlier op left behind are not this op's
  const result = engine.call(op, staged);
  const bytes = engine.takeExported();
  return bytes === null ? result : { ...result, [spec.bytesOut]: bytes };
}

function stageMember(engine, args) {
  const { bytes, ...rest } = args;
  const view = asBytes(bytes);
  engine.importSlot(view.byteLength).set(view);
  return rest;
}

// Entries already given as {key, bytes} were staged by the caller.
function stageEntries(engine, args) {
  const entries = args.entries;
  if (!Array.isArray(entries) || entries.length === 0 || entries.every((e) => e && 'bytes' in e)) return args;
  const encoded = entries.map((e) => {
    if (typeof e?.value !== 'string') {
      throw new CampaignStoreError('INVALID_ARGUMENT', 'entries[].value must be a string', { field: 'entries' });
    }
    return encoder.encode(e.value);
  });
  const view = engine.importSlot(encoded.reduce((n, b) => n + b.length, 0));
  let offset = 0;
  for (const bytes of encoded) {
    view.set(bytes, offset);
    offset += bytes.length;
  }
  return {
    ...args,
    entries: entries.map((e, i) => (e.lossy ? { key: e.key, bytes: encoded[i].length, lossy: true } : { key: e.key, bytes: encoded[i].length })),
  };
}

/**
 * Runs an op with the progress it reports (src/bindings/legacy_progress_bindings.cpp
 * calls Module.onLegacyProgress while a migration runs) handed to
 * engine.onLegacyProgress, when someone listens: the worker posts it to the
 * page, an in-thread caller passes it on (engineCaller).
 */
function withProgress(engine, run) {
  const listener = engine.onLegacyProgress;
  const module = engine.module;
  if (typeof listener !== 'function' || !module) return run();
  module.onLegacyProgress = (text) => {
    try { listener(JSON.parse(text)); } catch { /* a progress listener must not break the import */ }
  };
  try {
    return run();
  } finally {
    module.onLegacyProgress = undefined;
  }
}
