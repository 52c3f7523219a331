// Wraps a JS host and makes the k-th write or flush throw, the way a real
// host fails: an I/O error (EIO) or a quota error (QuotaExceededError).
import { quotaExceeded } from '../../../js/hosts/errors.js';

export function withFaults(inner, { failWriteAt = 0, failFlushAt = 0, kind = 'io' } = {}) {
  const state = { writes: 0, flushes: 0, fired: false };
  const fail = (verb) => {
    state.fired = true;
    if (kind === 'full') throw quotaExceeded(`injected quota error on ${verb}`);
    throw Object.assign(new Error(`injected I/O error on ${verb}`), { code: 'EIO' });
  };
  const host = Object.create(inner);
  host.state = state;
  host.write = (id, src, offset) => {
    if (++state.writes === failWriteAt) fail('write');
    return inner.write(id, src, offset);
  };
  host.flush = (id) => {
    if (++state.flushes === failFlushAt) fail('flush');
    return inner.flush(id);
  };
  // Methods the wrapper does not override run on the inner host.
  for (const verb of ['files', 'grow', 'read', 'truncate', 'getSize', 'close', 'release', 'maintain']) {
    if (typeof inner[verb] === 'function' && !Object.hasOwn(host, verb)) host[verb] = inner[verb].bind(inner);
  }
  return host;
}
