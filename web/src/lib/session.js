// The app's connection to its database: opens the store (OPFS, in a worker),
// and opens it again when someone signs in or out, since the sync settings
// are options of openCampaignStore. A tiny external store, so React reads it
// with useSyncExternalStore and StrictMode never opens a database twice.
import { openCampaignStore } from 'campaign-store';
import { createTokenProvider, loadSession, saveSession, signInWithPassword } from './auth.js';
import { isSyncOptionUnsupported, syncApi } from './capabilities.js';

/** One database per browser profile; tabs of the app share it. */
export const DB_NAME = 'campaign-builder';

/**
 * sync: 'no-backend'   the server configured none: offline only
 *       'signed-out'   a backend, nobody signed in
 *       'on'           signed in, the store syncs
 *       'unsupported'  signed in, but this build of campaign-store has no sync loop yet
 */
const OPENING = Object.freeze({ phase: 'opening', store: null, error: null, account: null, sync: 'signed-out', notice: null });

export class AppSession {
  #backend;
  #listeners = new Set();
  #snapshot = OPENING;
  #busy = Promise.resolve();

  constructor({ backend }) {
    this.#backend = backend ?? null;
  }

  get backend() { return this.#backend; }
  getSnapshot = () => this.#snapshot;
  subscribe = (listener) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  /** Opens the database, signed in as the saved session's user if there is one. */
  start() {
    return this.#serially(() => this.#open(loadSession(this.#backend)));
  }

  /** Signs in (throws with the server's message) and reopens the store with sync on. */
  async signIn(email, password) {
    if (!this.#backend) throw new Error('no backend configured');
    const session = await signInWithPassword(this.#backend, email, password);
    saveSession(session);
    await this.#serially(() => this.#reopen(session));
  }

  signOut(notice = null) {
    saveSession(null);
    return this.#serially(() => this.#reopen(null, notice));
  }

  #serially(job) {
    const run = this.#busy.then(job, job);
    this.#busy = run.catch(() => {});
    return run;
  }

  async #reopen(session, notice = null) {
    const { store } = this.#snapshot;
    this.#set({ ...OPENING, notice });
    if (store) {
      try { await syncApi(store)?.stop?.(); } catch { /* closing anyway */ }
      await store.close();
    }
    await this.#open(session, notice);
  }

  async #open(session, notice = null) {
    const backend = this.#backend;
    const options = { name: DB_NAME, storage: 'opfs', log: logToConsole };
    let sync = backend ? 'signed-out' : 'no-backend';
    try {
      let store;
      if (backend && session) {
        const getAccessToken = createTokenProvider(backend, session, (next, err) => {
          if (!next) queueMicrotask(() => this.signOut(`Your session ended (${err?.message ?? 'refresh failed'}); sign in again.`));
        });
        try {
          store = await openCampaignStore({
            ...options,
            sync: { url: backend.url, anonKey: backend.anonKey, getAccessToken, userId: session.user.id },
          });
        } catch (err) {
          if (!isSyncOptionUnsupported(err)) throw err;
        }
        const controller = store && syncApi(store);
        if (controller) {
          await controller.start();
          sync = 'on';
        } else {
          sync = 'unsupported';
        }
      }
      store ??= await openCampaignStore(options);
      this.#set({ phase: 'ready', store, error: null, account: session?.user ?? null, sync, notice });
    } catch (error) {
      this.#set({ phase: 'error', store: null, error, account: null, sync, notice });
    }
  }

  #set(next) {
    this.#snapshot = Object.freeze(next);
    for (const listener of [...this.#listeners]) listener();
  }
}

// The store's own log (client and worker) in the browser console.
function logToConsole({ source, level, message, details }) {
  if (level === 'debug') return;
  const method = level === 'error' ? 'error' : level === 'warn' ? 'warn' : 'info';
  console[method](`[campaign-store ${source}] ${message}`, details ?? '');
}
