// The one error type the module throws. `code` is one of ERROR_CODES (the
// same names the C++ core uses); `details` is structured (field, index, ...).

/** Error codes shared with the C++ core (src/db/error.hpp). */
export const ERROR_CODES = Object.freeze([
  'INVALID_ARGUMENT', 'NOT_FOUND', 'CONFLICT', 'CONSTRAINT', 'STORAGE_FULL', 'IO',
  'CORRUPT', 'BUSY', 'UNAUTHORIZED', 'NETWORK', 'INTERNAL',
  // JS-side only: the worker went away (crash, terminate, close()); the
  // storage asked for does not exist in this browser context (OPFS refused).
  'CLOSED', 'UNSUPPORTED',
]);

export class CampaignStoreError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   * @param {Record<string, unknown>} [details]
   */
  constructor(code, message, details = {}) {
    super(message);
    this.name = 'CampaignStoreError';
    this.code = code;
    this.details = details;
  }

  /** Rebuilds an error from its wire form `{code, message, details}`. */
  static fromWire(wire) {
    return new CampaignStoreError(wire?.code ?? 'INTERNAL', wire?.message ?? 'unknown error',
      wire?.details ?? {});
  }

  toJSON() {
    return { code: this.code, message: this.message, details: this.details };
  }
}
