// Bounded fault injection for sync tests. Every fault is a count that
// decrements as it fires, so a test can never leave the gateway broken.
//   drop          next N requests: socket destroyed before anything runs
//   dropResponse  next N requests: handled (and committed), then the socket
//                 is destroyed, so the client never sees the result
//   fail503       next N requests answered 503 without running
//   duplicate     next N RPC calls run twice (two transactions); the second
//                 result is returned
//   delayMs/delayCount  next delayCount requests wait delayMs first

const MAX_COUNT = 1000;
const MAX_DELAY_MS = 30_000;
const COUNTS = ['drop', 'dropResponse', 'fail503', 'duplicate', 'delayCount'];

function checkedInt(name, value, max) {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`fault ${name} must be an integer between 0 and ${max}`);
  }
  return value;
}

export function createFaults() {
  const state = { drop: 0, dropResponse: 0, fail503: 0, duplicate: 0, delayCount: 0, delayMs: 0 };
  return {
    /** Merges the given counts into the current ones; unknown keys throw. */
    set(changes = {}) {
      const next = { ...state };
      for (const [key, value] of Object.entries(changes)) {
        if (COUNTS.includes(key)) next[key] = checkedInt(key, value, MAX_COUNT);
        else if (key === 'delayMs') next.delayMs = checkedInt(key, value, MAX_DELAY_MS);
        else throw new RangeError(`unknown fault ${key}`);
      }
      Object.assign(state, next);
      return { ...state };
    },
    get() { return { ...state }; },
    reset() { return this.set({ drop: 0, dropResponse: 0, fail503: 0, duplicate: 0, delayCount: 0, delayMs: 0 }); },
    /** Consumes one `kind` if any is pending; true when the fault fires. */
    take(kind) {
      if (state[kind] > 0) {
        state[kind] -= 1;
        return true;
      }
      return false;
    },
    /** The delay to apply to this request (consumes one), or 0. */
    takeDelay() {
      return this.take('delayCount') ? state.delayMs : 0;
    },
  };
}
