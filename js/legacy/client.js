// What the store client gains from the migration (attached by
// js/client/store.js and js/client/open.js):
//   store.migration  run, report, exportLegacy, releaseLegacyKeys, deleteSampleData, lastReport
//   store.blobs      get (bytes), info, put, objectUrl, revokeAll
//   store.legacy     the compat facade over this store (see facade.js)
// and the run on open: openCampaignStore({migrateLocalStorage: true}) (default).
import { createLegacyFacade } from './facade.js';
import { migrateLegacyStorage } from './migrate.js';
import { exportLegacy, releaseLegacyKeys } from './rollback.js';
import { hasLegacyKeys, pageLocalStorage } from './collect.js';

const HASH = /^(?:blob:sha256:)?([0-9a-f]{64})(?:#|$)/;
// What sync writes into a row once its blob is in Supabase Storage:
// <url>/storage/v1/object/public/<bucket>/<userId>/<sha256> (src/sync/blobs.cpp).
const PUBLIC_URL = /\/storage\/v1\/object\/public\/[^/?#]+\/(?:[^?#]*\/)?([0-9a-f]{64})(?:[?#]|$)/;

/**
 * "blob:sha256:<hex>#label", a bare hex hash, or the public Storage URL sync
 * gave the blob -> the hash (or null).
 */
export function blobHash(ref) {
  if (typeof ref !== 'string') return null;
  const m = HASH.exec(ref) ?? PUBLIC_URL.exec(ref);
  return m ? m[1] : null;
}

/** Adds store.migration, store.blobs and store.legacy. @param {any} store */
export function attachMigrationApi(store) {
  const call = (op, args) => store.call(op, args);
  // The worker's progress events of a running import (js/engine/bytes.js).
  call.onLegacyProgress = (listener) => store.onProgressEvent?.(listener) ?? null;
  const urls = new Map();
  store.migration = {
    /** The last report of the run on open (null: nothing to migrate, or not run). */
    lastReport: null,
    lastError: null,
    run: (options = {}) => migrateLegacyStorage(call, options),
    report: () => call('legacy.report'),
    exportLegacy: (options) => exportLegacy(call, options),
    releaseLegacyKeys: (options) => releaseLegacyKeys(call, options),
    deleteSampleData: () => call('legacy.deleteSample'),
  };
  store.blobs = {
    /** The bytes of a blob (a Uint8Array the caller owns). */
    get: async (ref) => (await call('blobs.get', { hash: blobHash(ref) ?? String(ref) })).bytes,
    info: (ref) => call('blobs.info', { hash: blobHash(ref) ?? String(ref) }),
    put: (bytes, mime) => call('blobs.put', mime === undefined ? { bytes } : { bytes, mime }),
    /**
     * An object URL for a blob, made once per blob and store; revoked on
     * close. A synced row's public Storage URL resolves to the local copy
     * when this device has it (offline display), else to the URL itself.
     */
    objectUrl: async (ref) => {
      const hash = blobHash(ref);
      if (!hash) return ref;
      if (!urls.has(hash)) {
        urls.set(hash, call('blobs.get', { hash }).then((b) => URL.createObjectURL(new Blob([b.bytes], { type: b.mime }))));
      }
      try {
        return await urls.get(hash);
      } catch (err) {
        urls.delete(hash);
        if (err?.code === 'NOT_FOUND' && !HASH.test(ref)) return ref;  // another device's upload
        throw err;
      }
    },
    revokeAll: () => {
      for (const p of urls.values()) p.then((u) => URL.revokeObjectURL(u), () => {});
      urls.clear();
    },
  };
  store.legacy = createLegacyFacade({ store });
  store.onClose?.(() => store.blobs.revokeAll());
}

/** openCampaignStore's option -> what runMigrationOnOpen needs. */
export function migrationOptions(options) {
  const enabled = options.migrateLocalStorage ?? options.migrateExistingData ?? true;
  return {
    enabled: enabled !== false,
    localStorage: 'localStorage' in options ? options.localStorage : undefined,
    hasStorage: 'localStorage' in options,
    onProgress: typeof options.onMigrationProgress === 'function' ? options.onMigrationProgress : undefined,
    legacy: options.legacy ?? null,
  };
}

/**
 * Whether a store opening with these options needs the legacy migration's
 * code at once: it has legacy keys to migrate, or the app configured the
 * compat facade (`legacy`). Otherwise the lean module serves it, and the
 * worker loads the full one if a legacy op comes later (js/worker/server.js).
 */
export function needsLegacyCode(opts) {
  if (opts.legacy) return true;
  return opts.enabled && hasLegacyKeys(opts.hasStorage ? opts.localStorage : pageLocalStorage());
}

/**
 * The run on open. A failure is logged and kept in store.migration.lastError:
 * the app keeps working on the database (and localStorage, untouched).
 */
export async function runMigrationOnOpen(store, opts, log = () => {}) {
  if (opts.legacy) store.legacy = createLegacyFacade({ store, ...opts.legacy, ...(opts.hasStorage ? { localStorage: opts.localStorage } : {}) });
  if (!opts.enabled) return null;
  const storage = opts.hasStorage ? opts.localStorage : pageLocalStorage();
  if (!storage) return null;
  try {
    const report = await store.migration.run({ localStorage: storage, onProgress: opts.onProgress });
    store.migration.lastReport = report;
    if (report && !report.ok) log('warn', 'localStorage migration finished with errors', { errors: report.errors.slice(0, 10) });
    return report;
  } catch (err) {
    store.migration.lastError = err;
    log('error', `localStorage migration failed: ${err?.message ?? err}`, { code: err?.code });
    return null;
  }
}
