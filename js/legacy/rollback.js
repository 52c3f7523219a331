// Rollback and release, on the main thread (only it has localStorage).
//   exportLegacy: the legacy keys regenerated from the database; with
//     write: true they are written back, so the old app can take over again.
//   releaseLegacyKeys: after a verified migration, removes the keys the
//     engine confirms it holds (same value as migrated), freeing the quota.
import { CampaignStoreError } from '../errors.js';
import { collectLegacyStorage, pageLocalStorage } from './collect.js';

function needStorage(storage) {
  if (!storage || typeof storage.setItem !== 'function') {
    throw new CampaignStoreError('INVALID_ARGUMENT', 'no localStorage: pass one as the localStorage option', { field: 'localStorage' });
  }
}

/**
 * @param {(op: string, args: object) => Promise<any>} call
 * @param {{inlineImages?: boolean, keys?: string[], write?: boolean, localStorage?: Storage}} [options]
 */
export async function exportLegacy(call, { inlineImages = false, keys, write = false, ...rest } = {}) {
  const storage = 'localStorage' in rest ? rest.localStorage : pageLocalStorage();
  if (write) needStorage(storage);
  const args = { inlineImages, acknowledge: write };
  if (keys) args.keys = keys;
  const result = await call('legacy.export', args);
  if (!write) return result;
  const written = [];
  const failed = [];
  for (const { key, value } of result.entries) {
    try {
      storage.setItem(key, value);
      written.push(key);
    } catch (err) {
      failed.push({ key, error: err?.name === 'QuotaExceededError' ? 'QUOTA' : String(err?.message ?? err) });
    }
  }
  return { ...result, written, failed };
}

/**
 * Removes the legacy keys whose whole value the database holds. A key whose
 * migration left something out of the typed tables (never parsed, items
 * skipped, fields lost) stays unless `includeUnmigrated: true`; every key
 * kept comes with a code and the reason.
 * @param {(op: string, args: object) => Promise<any>} call
 * @param {{localStorage?: Storage, includeUnmigrated?: boolean}} [options]
 */
export async function releaseLegacyKeys(call, options = {}) {
  const storage = 'localStorage' in options ? options.localStorage : pageLocalStorage();
  needStorage(storage);
  const { entries } = collectLegacyStorage(storage);
  if (entries.length === 0) return { released: [], kept: [], units: 0 };
  const answer = await call('legacy.release', { entries, includeUnmigrated: options.includeUnmigrated === true });
  const released = [];
  const kept = [...answer.keep];
  for (const key of answer.release) {
    try {
      storage.removeItem(key);
      released.push(key);
    } catch (err) {
      kept.push({ key, code: 'REMOVE_FAILED', reason: `removeItem failed: ${err?.message ?? err}` });
    }
  }
  return { released, kept, units: answer.units };
}
