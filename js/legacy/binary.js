// The engine side of the migration's binary path (in the worker, or in the
// thread of an in-thread engine). Legacy values are staged as UTF-8 in the
// import slot (storageImportBuffer) and named by their byte counts, so the
// 5 MB dump is neither escaped into JSON nor parsed twice; blob bytes leave
// through the export slot (storageExportView) as a copy the caller owns.
import { CampaignStoreError } from '../errors.js';
import { asBytes } from '../protocol/transfer.js';
import { SYNC_BINARY_OPS } from '../sync/binary.js';

const encoder = new TextEncoder();

/**
 * Copies the values into the import slot; returns the entries as {key, bytes}.
 * @param {{module: any}} engine
 * @param {{key: string, value: string, lossy?: boolean}[]} entries
 */
export function stageEntries(engine, entries) {
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
  return entries.map((e, i) => (e.lossy ? { key: e.key, bytes: encoded[i].length, lossy: true } : { key: e.key, bytes: encoded[i].length }));
}

function withStagedEntries(engine, op, args) {
  const entries = args?.entries;
  if (!Array.isArray(entries) || entries.length === 0 || entries.every((e) => e && 'bytes' in e)) {
    return engine.call(op, args ?? {});
  }
  return engine.call(op, { ...args, entries: stageEntries(engine, entries) });
}

/**
 * Runs an import with its progress (src/bindings/engine_bindings.cpp calls
 * Module.onLegacyProgress while the call runs) handed to
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

/** op -> (engine, args) => result, merged into the worker's BINARY_OPS. */
export const LEGACY_BINARY_OPS = Object.freeze({
  'legacy.import': (engine, args) => withProgress(engine, () => withStagedEntries(engine, 'legacy.import', args)),
  'legacy.release': (engine, args) => withStagedEntries(engine, 'legacy.release', args),
  /** {hash} -> {hash, size, mime, bytes} (bytes: a copy out of the wasm heap). */
  'blobs.get': (engine, args) => {
    const info = engine.call('blobs.get', args ?? {});
    return { ...info, bytes: engine.takeExported() };
  },
  /** {bytes, mime?} -> {hash, size, mime, ref} */
  'blobs.put': (engine, args) => {
    const bytes = asBytes(args?.bytes);
    engine.importSlot(bytes.byteLength).set(bytes);
    return engine.call('blobs.put', args?.mime === undefined ? {} : { mime: args.mime });
  },
});

/**
 * Any op on an in-thread engine, through the binary path where the op has
 * one: what the worker does, for createEngine() users (benchmarks, scripts).
 */
export function callEngine(engine, op, args) {
  const binary = LEGACY_BINARY_OPS[op] ?? SYNC_BINARY_OPS[op];
  return binary ? binary(engine, args) : engine.call(op, args ?? {});
}
