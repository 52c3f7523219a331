// store.sync: the Supabase sync of one store. The C++ engine decides what to
// send and how to apply answers (sync.* ops); SyncLoop (js/sync/loop.js)
// carries the requests over fetch. The loop runs beside the client, where the
// app's getAccessToken lives (a function cannot cross into the worker), and
// reaches the engine through the store's one door.
//
// Several tabs may hold a store on one database; their requests all end at the
// leader's engine, which keeps one request in flight. A Web Lock per database
// makes sure only one tab runs a sync cycle at a time.
//
// Realtime (js/sync/realtime.js) wakes the loop when the server has changes
// for the user; only the leader tab joins the channel, so a user's tabs hold
// one socket between them, and a follower that becomes leader joins it.
import { BlobDownloads } from '../sync/downloads.js';
import { SyncLoop } from '../sync/loop.js';
import { RealtimeWake, realtimeSource } from '../sync/realtime.js';

/**
 * @param {import('./store.js').CampaignStore} store
 * @param {{url: string, anonKey: string, getAccessToken: Function, userId: string,
 *   autoStart?: boolean, intervalMs?: number,
 *   realtime?: {supabase?: any, RealtimeClient?: Function, transport?: Function, intervalMs?: number}|null}} settings
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
  // Blobs the pulled rows reference are fetched into the local store after
  // each cycle, by the leader tab (blobDownloads: false turns it off).
  const downloads = settings.blobDownloads === false ? null : new BlobDownloads({
    call: (op, args) => store.call(op, args),
    url,
    online: () => loop.online,
    onProgress: () => loop.emit(loop.state),
    log: (level, message, details) => store.clientLog(level, message, details),
    options: settings.blobDownloads,
  });
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
    onCycle: () => { if (downloads && leads(store)) downloads.run(); },
    extraStatus: () => ({ blobsToDownload: downloads?.remaining ?? 0 }),
    options: {
      ...(settings.intervalMs ? { intervalMs: settings.intervalMs } : {}),
      ...(settings.realtime?.intervalMs ? { realtimeIntervalMs: settings.realtime.intervalMs } : {}),
    },
  });

  // One cycle at a time across tabs of this origin.
  const locks = globalThis.navigator?.locks;
  if (locks) {
    const cycle = loop.cycle.bind(loop);
    loop.cycle = () => locks.request(`campaign-store-sync:${name}`, cycle);
  }

  // The project URL also turns blob uploads on (rows get public URLs under it).
  await store.call('sync.configure', { userId, url });
  // Local writes make the loop sync soon, debounced. A write to push is one
  // the capture triggers put in sync_outbox; rows a pull applied are not
  // captured, so a pull does not start another cycle of its own.
  const off = store.subscribe('*', ({ tables }) => {
    if (tables.includes('sync_outbox')) loop.notifyLocalChange();
  });
  const realtime = settings.realtime ? followLeadership(store, loop, settings) : { start() {}, stop() {} };
  store.onDisconnect(() => { off(); realtime.stop(); loop.stop(); downloads?.stop(); });  // sign-out, another user, or close

  const api = {
    /** Starts background sync: now, then periodically, after local writes and on Realtime messages. */
    start: () => { loop.start(); realtime.start(); },
    /** Stops background sync (and leaves the Realtime channel). */
    stop: () => { realtime.stop(); loop.stop(); },
    /** One full cycle now; resolves with {pushed, pulled, conflicts, ...}. */
    now: () => loop.now(),
    /** {state, pending, lastSyncedAt, conflicts, rejected, blobsPending, blobsRejected, blobsToDownload, realtime, error}. */
    status: () => loop.status(),
    /** Last-writer-wins decisions that discarded a write, newest first. */
    conflicts: (limit) => store.call('sync.conflicts', limit ? { limit } : {}),
    /** Downloads now the blobs the rows reference and this device lacks; resolves when the run ends. */
    downloadBlobs: () => (downloads ? downloads.run() : Promise.resolve()),
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

// Whether this tab's worker holds the database (a store without tabs to coordinate always does).
const leads = (store) => (store.info?.role ?? 'leader') === 'leader';

// The Realtime channel while started, online and this tab leads; a tab that
// stops leading (or goes offline) leaves it.
function followLeadership(store, loop, settings) {
  const { realtime, url, anonKey, getAccessToken, userId } = settings;
  if (!realtime.supabase && typeof realtime.RealtimeClient !== 'function') {
    throw new TypeError('sync.realtime needs {RealtimeClient} (from @supabase/realtime-js) without sync.supabase');
  }
  let wake = null;
  let wanted = false;
  let online = loop.online;
  const update = () => {
    const lead = wanted && online && leads(store);
    if (lead && !wake) {
      let source;
      try {
        source = realtimeSource({ ...realtime, url, anonKey, getAccessToken });
      } catch (err) {
        // No WebSocket here (Node < 22 without realtime.transport): polling only.
        store.clientLog('warn', `realtime is off: ${err?.message ?? err}`);
        return;
      }
      wake = new RealtimeWake({
        source,
        userId,
        onWake: () => loop.wake(),
        onState: (state) => loop.setRealtime(state),
        log: (level, message, details) => store.clientLog(level, message, details),
      });
      wake.start();
    } else if (!lead && wake) {
      wake.stop();
      wake = null;
      loop.setRealtime('off');
    }
  };
  const offRole = store.onRole(update);
  store.onDisconnect(offRole);
  // Offline: no socket trying to reconnect; back online: join again.
  if (typeof addEventListener === 'function') {
    const onOnline = () => { online = true; update(); };
    const onOffline = () => { online = false; update(); };
    addEventListener('online', onOnline);
    addEventListener('offline', onOffline);
    store.onDisconnect(() => {
      removeEventListener('online', onOnline);
      removeEventListener('offline', onOffline);
    });
  }
  return {
    start() { wanted = true; update(); },
    stop() { wanted = false; update(); },
  };
}
