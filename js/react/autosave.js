// Debounced draft autosave, as a tiny external store (React-free, so it is
// testable on its own; useDraftAutosave wraps it with useSyncExternalStore).
// Saves only when the step data really changed (by value, not by object
// identity: a re-render makes new objects with the same content), at most
// one save in flight, always the latest data last, and flush() on unmount so
// leaving the step never drops the last edit.

const IDLE = Object.freeze({ status: 'idle', savedAt: null, error: null });

export class DraftAutosaver {
  #store;
  #snapshot = IDLE;
  #listeners = new Set();
  #timer = null;
  #pending = null;        // {campaignId, stepData, json}
  #latest = new Map();    // campaignId -> json saved, being saved or pending (or first seen)
  #lastRef = null;
  #inFlight = null;

  /** @param {{drafts: {save: Function}}} store */
  constructor(store) {
    this.#store = store;
  }

  getSnapshot = () => this.#snapshot;

  subscribe = (listener) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  /**
   * Called with the current step data on every render.
   * @param {{debounceMs?: number, enabled?: boolean, saveInitial?: boolean}} [options]
   */
  update(campaignId, stepData, { debounceMs = 1000, enabled = true, saveInitial = false } = {}) {
    if (!enabled || campaignId === null || campaignId === undefined || stepData === undefined) return;
    if (stepData === this.#lastRef && this.#pending?.campaignId === campaignId) return;
    this.#lastRef = stepData;
    const json = JSON.stringify(stepData);
    const key = String(campaignId);
    if (!this.#latest.has(key) && !saveInitial) {
      this.#latest.set(key, json);  // what the builder opened with is already stored
      return;
    }
    if (this.#latest.get(key) === json) return;
    this.#latest.set(key, json);
    if (this.#pending && this.#pending.campaignId !== campaignId) this.flush();  // keep the other draft's edit
    this.#pending = { campaignId, stepData, json };
    this.#set({ ...this.#snapshot, status: 'pending' });
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => { this.flush(); }, Math.max(0, debounceMs));
  }

  /** Saves the pending edit now. Resolves when everything is saved. */
  async flush() {
    clearTimeout(this.#timer);
    this.#timer = null;
    while (this.#inFlight) await this.#inFlight;
    const job = this.#pending;
    if (!job) return;
    this.#pending = null;
    this.#set({ ...this.#snapshot, status: 'saving' });
    this.#inFlight = (async () => {
      try {
        await this.#store.drafts.save(job.campaignId, job.stepData);
        if (!this.#pending) this.#set({ status: 'saved', savedAt: Date.now(), error: null });
      } catch (error) {
        // Keep the edit: the next change or flush tries again.
        this.#pending ??= job;
        this.#set({ ...this.#snapshot, status: 'error', error });
      } finally {
        this.#inFlight = null;
      }
    })();
    await this.#inFlight;
  }

  #set(next) {
    this.#snapshot = Object.freeze(next);
    for (const l of [...this.#listeners]) l();
  }
}
