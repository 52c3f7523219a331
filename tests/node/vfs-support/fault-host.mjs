// Wraps a JS host and makes the `at`-th call of one verb throw, the way a
// real host fails: an I/O error (EIO), a quota error (QuotaExceededError),
// another holder of the file (NoModificationAllowedError, as OPFS throws) or
// a file that is not open (EBADF). Every other call runs on the inner host.
import { notOpen, quotaExceeded } from '../../../js/hosts/errors.js';

const VERBS = ['files', 'grow', 'read', 'write', 'truncate', 'flush', 'getSize', 'close', 'release', 'maintain'];

export const FAULTS = {
  io: (verb) => Object.assign(new Error(`injected I/O error on ${verb}`), { code: 'EIO' }),
  full: (verb) => quotaExceeded(`injected quota error on ${verb}`),
  busy: (verb) => Object.assign(new Error(`injected lock error on ${verb}`), { name: 'NoModificationAllowedError' }),
  closed: (verb, file) => notOpen(file),
};

/** A host that runs every verb on `inner`; a test replaces the verbs it wants to fail. */
export function delegating(inner) {
  const host = Object.create(inner);
  for (const v of VERBS) if (typeof inner[v] === 'function') host[v] = inner[v].bind(inner);
  return host;
}

/** @param {{verb: string, at: number, kind?: keyof FAULTS}} fault */
export function withFaults(inner, { verb, at, kind = 'io' }) {
  const state = { calls: 0, fired: false };
  const host = delegating(inner);
  host.state = state;
  host[verb] = (...args) => {
    if (++state.calls === at) {
      state.fired = true;
      throw FAULTS[kind](verb, args[0]);
    }
    return inner[verb](...args);
  };
  return host;
}
