// Collection on the main thread (workers have no localStorage): every legacy
// key with its value, and the names of all other keys, which are left alone.
// `storage` is anything with the Web Storage interface (length, key(i),
// getItem): window.localStorage in a browser, a stand-in in Node tests.
import { isLegacyKey } from './keys.js';

const hasWellFormed = typeof String.prototype.isWellFormed === 'function';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** False when s holds a lone surrogate, which UTF-8 (and so the engine) cannot carry. */
export function isWellFormed(s) {
  return hasWellFormed ? s.isWellFormed() : !LONE_SURROGATE.test(s);
}

function wellFormed(s) {
  return typeof s.toWellFormed === 'function' ? s.toWellFormed() : s.replace(new RegExp(LONE_SURROGATE, 'g'), '\uFFFD');
}

/**
 * The page's localStorage, or null where there is none or reading the
 * property itself throws (a sandboxed frame, storage disabled for the site):
 * such a page has nothing to migrate, and the store still opens.
 * @returns {Storage | null}
 */
export function pageLocalStorage() {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** Whether a Web Storage holds any legacy key (false where it cannot be read). Reads keys only. */
export function hasLegacyKeys(storage) {
  try {
    for (let i = 0, n = storage?.length ?? 0; i < n; i++) {
      const key = storage.key(i);
      if (key !== null && isLegacyKey(key)) return true;
    }
  } catch {
    // Unreadable: nothing the migration could read either.
  }
  return false;
}

/**
 * @param {Storage | undefined | null} [storage] defaults to the page's localStorage
 * @param {{measureOtherKeys?: boolean}} [options] measureOtherKeys reads the other
 *   keys' values only to report their size (off: rule 1 says not to read them)
 * @returns {{available: boolean, error?: string, entries: {key: string, value: string, lossy?: boolean}[],
 *            otherKeys: {key: string, units?: number}[], units: number}}
 */
export function collectLegacyStorage(storage = pageLocalStorage(), { measureOtherKeys = false } = {}) {
  const out = { available: false, entries: [], otherKeys: [], units: 0 };
  if (!storage || typeof storage.getItem !== 'function' || typeof storage.key !== 'function') return out;
  try {
    const keys = [];
    for (let i = 0, n = storage.length; i < n; i++) {
      const key = storage.key(i);
      if (key !== null) keys.push(key);
    }
    for (const key of keys) {
      if (!isLegacyKey(key)) {
        const other = { key };
        if (measureOtherKeys) other.units = key.length + (storage.getItem(key)?.length ?? 0);
        out.otherKeys.push(other);
        continue;
      }
      const value = storage.getItem(key);
      if (value === null) continue;  // removed meanwhile
      out.units += key.length + value.length;
      if (isWellFormed(key) && isWellFormed(value)) out.entries.push({ key, value });
      else out.entries.push({ key: wellFormed(key), value: wellFormed(value), lossy: true });
    }
    out.available = true;
  } catch (err) {
    // Sandboxed frames and disabled storage throw on access.
    out.error = String(err?.message ?? err);
  }
  return out;
}
