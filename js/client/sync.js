// store.sync: the Supabase sync of one store. The C++ engine decides what to
// send and how to apply answers (sync.* ops); SyncLoop (js/sync/loop.js)
// carries the requests over fetch. The loop runs beside the client, where the
// app's getAccessToken lives (a function cannot cross into the worker), and
// reaches the engine through the store's one door.
//
// Several tabs may hold a store on one database; their requests all end at the
// leader's engine, which keeps one request in flight. A Web Lock per database
// makes sure only one tab runs a sync cycle at a time.
import { SyncLoop } from '../sync/loop.js';

/**
 * @param {import('./store.js').CampaignStore} store
 * @param {{url: string, anonKey: string, getAccessToken: Function, userId: string,
 *   autoStart?: boolean, intervalMs?: number}} settings
 * @param {string} name the database name (scopes the cross-tab lock)
 */
export async function attachSync(store, settings, name) {
  const { url, anonKey, getAccessToken, userId } = settings;
  if (!url || !anonKey || typeof getAccessToken !== 'function' || !userId) {
    throw new TypeError('sync needs {url, anonKey, getAccessToken, userId}');
  }
  const statusListeners = new Set();
  const conflictListeners = new Set();
  let lastStatus = null;
  const loop = new SyncLoop({
    call: (op, args) => store.call(op, args),
    url,
    anonKey,
    getAccessToken,
    onStatus: (s) => {
      lastStatus = s;
      for (const cb of statusListeners) cb(s);
    },
    onConflict: (c) => { for (const cb of conflictListeners) cb(c); },
    options: settings.intervalMs ? { intervalMs: settings.intervalMs } : undefined,
  });

  // One cycle at a time across tabs of this origin.
  const locks = globalThis.navigator?.locks;
  if (locks) {
    const cycle = loop.cycle.bind(loop);
    loop.cycle = () => locks.request(`campaign-store-sync:${name}`, cycle);
  }

  // The project URL also turns blob uploads on (rows get public URLs under it).
  await store.call('sync.configure', { userId, url });
  // Local writes (any table) make the loop sync soon, debounced.
  const off = store.subscribe('*', ({ tables }) => {
    if (tables.some((t) => !t.startsWith('sync_'))) loop.notifyLocalChange();
  });
  store.onDisconnect(() => { off(); loop.stop(); });  // sign-out, another user, or close

  const api = {
    /** Starts background sync: now, then periodically and after local writes. */
    start: () => loop.start(),
    /** Stops background sync. */
    stop: () => loop.stop(),
    /** One full cycle now; resolves with {pushed, pulled, conflicts, ...}. */
    now: () => loop.now(),
    /** {state, pending, lastSyncedAt, conflicts, rejected, blobsPending, blobsRejected, error}. */
    status: () => loop.status(),
    /** Last-writer-wins decisions that discarded a write, newest first. */
    conflicts: (limit) => store.call('sync.conflicts', limit ? { limit } : {}),
    /** Blob uploads to Storage and their state ({state?: 'pending'|'acknowledged'|'rejected', limit?}). */
    blobs: (options) => store.call('sync.blobs', options ?? {}),
    /** Rejected uploads (all, or one hash) become pending again; uploads on the next cycle. */
    retryBlobs: (hash) => store.call('sync.retryBlobs', hash ? { hash } : {}),
    /** Hears status changes; returns an unsubscribe function. */
    onStatus(cb) { statusListeners.add(cb); if (lastStatus) cb(lastStatus); return () => statusListeners.delete(cb); },
    /** Hears conflicts as sync resolves them ({table, id, winner, local, remote}). */
    onConflict(cb) { conflictListeners.add(cb); return () => conflictListeners.delete(cb); },
  };
  if (settings.autoStart !== false) api.start();
  return api;
}
