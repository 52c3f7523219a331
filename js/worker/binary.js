// Ops whose payload is bytes. The engine's door carries JSON only, so bytes
// cross into and out of the wasm heap through the engine's staged-bytes
// slots (Engine.takeExported / importSlot, over the module's
// storageExportView / storageImportBuffer), and leave the worker as a
// transferred ArrayBuffer (server.js reply -> transfer.js).
import { asBytes } from '../protocol/transfer.js';
// ---- legacy migration and blobs: staged dumps, blob bytes
import { LEGACY_BINARY_OPS } from '../legacy/binary.js';
// ---- sync blobs: an upload's body is the blob's bytes
import { SYNC_BINARY_OPS } from '../sync/binary.js';

/** op -> (engine, args) => result, for the ops that carry bytes. */
export const BINARY_OPS = Object.freeze({
  /** The whole database as one SQLite file: {bytes} (a copy, owned by the caller). */
  'storage.export': (engine) => ({ bytes: engine.exportDatabase() }),
  /** Replaces the database with a SQLite file (checked before anything changes). */
  'storage.import': (engine, args) => engine.importDatabase(asBytes(args?.bytes)),
  // ---- legacy migration and blobs: js/legacy/binary.js
  ...LEGACY_BINARY_OPS,
  // ---- sync blobs: js/sync/binary.js
  ...SYNC_BINARY_OPS,
});
