// Errors a storage host throws. The bridge (src/vfs/storage.host.js) reads
// only `name` and `code`: QuotaExceededError / ENOSPC mean "full", BUSY means
// another opener holds the pool, anything else is an I/O failure.
import { CampaignStoreError } from '../errors.js';

export function quotaExceeded(message) {
  return typeof DOMException === 'function'
    ? new DOMException(message, 'QuotaExceededError')
    : Object.assign(new Error(message), { name: 'QuotaExceededError' });
}

export function busy(message, details = {}) {
  return new CampaignStoreError('BUSY', message, details);
}

/** The storage kind cannot work in this context; details.name keeps the browser's error name. */
export function unsupported(message, details = {}) {
  return new CampaignStoreError('UNSUPPORTED', message, details);
}

export function notOpen(file) {
  return Object.assign(new Error(`pool file ${file} is not open`), { code: 'EBADF' });
}
