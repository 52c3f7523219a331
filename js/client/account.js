// Accounts: one database per user, and one for the signed-out state.
//
//   name                      the signed-out database: data made while nobody
//                             is signed in, and the legacy localStorage
//                             migration (that data belongs to no account)
//   name.user-<userId>        a signed-in user's database, synced for that user
//
// store.account switches between them behind the same store object (the
// connection is replaced: store.js reconnect). Nothing moves between
// databases unless the app asks: adoptSignedOutData() moves the signed-out
// rows into the signed-in user's database (where they sync up), and is never
// done on its own. With `sync: {supabase}` the store follows the client's
// auth state: signing in opens that user's database, signing out or in as
// someone else closes it (and stops its sync) and opens the other one.
import { CampaignStoreError } from '../errors.js';
import { openCampaignStore } from './open.js';  // (a cycle: used only when called)

const USER_ID = /^[\w-]{1,64}$/;

/**
 * Synced tables, parents before children: the order rows are copied in,
 * and (reversed) deleted. users and the local-only tables stay.
 */
export const ACCOUNT_TABLES = [
  'products', 'product_images', 'background_versions', 'campaigns', 'campaign_drafts', 'creatives',
  'creative_assets', 'platform_integrations', 'campaign_publications', 'ai_generations',
];
// A blob named by content hash (a URL column, or inside JSON): its bytes move too.
const BLOB_REF = /blob:sha256:([0-9a-f]{64})/g;
const COPY_BATCH_BYTES = 8 * 1024 * 1024;

/** {name, storage, migrate} of the database `user` (null: signed out) uses, on `storage` (default: the first asked for). */
export function databaseFor(opts, user, storage = opts.init.storage) {
  const { name } = opts.init;
  if (!user) return { name, storage, migrate: true };
  const suffix = `user-${user.id}`;
  return {
    name: `${name}.${suffix}`,
    storage: typeof storage === 'object' ? { node: `${storage.node.replace(/[\\/]+$/, '')}/${suffix}` } : storage,
    migrate: false,
  };
}

/** A user as the store keeps it: {id, email}; null stays null. */
export function normalizeUser(user, field = 'user') {
  if (user === null || user === undefined) return null;
  const id = typeof user === 'string' ? user : user?.id;
  if (typeof id !== 'string' || !USER_ID.test(id)) {
    throw new CampaignStoreError('INVALID_ARGUMENT', `${field}: a user id is 1-64 letters, digits, _ or -`, { field });
  }
  return { id, email: typeof user === 'object' && typeof user.email === 'string' ? user.email : null };
}

/**
 * Gives the store its `account` (and a `sync` that follows it) before the
 * first connection. `connect(user, ready)` opens a user's database on the
 * store's fresh connection (open.js). Resolves with {user, detach}.
 */
export async function attachAccount(store, opts, connect) {
  const listeners = new Set();
  let snapshot = Object.freeze({ phase: 'opening', user: null, database: null, error: null });
  const set = (next) => {
    snapshot = Object.freeze({ ...snapshot, ...next });
    for (const listener of [...listeners]) {
      try { listener(); } catch { /* a listener must not break the switch */ }
    }
  };
  let queue = Promise.resolve();
  let stopFollowing = () => {};

  const source = opts.account;
  const initial = await source.currentUser();
  snapshot = Object.freeze({ ...snapshot, user: initial, database: databaseFor(opts, initial).name });

  const sync = createSyncFacade(store);
  if (opts.syncFor(initial) || source.follows) store.sync = sync;
  store.onSyncAttached = (api) => sync.attach(api);

  /** Switches to `user`'s database (null: the signed-out one); one switch at a time, in order. */
  const switchTo = (user) => {
    let next;
    try {
      next = normalizeUser(user);
    } catch (err) {
      return Promise.reject(err);
    }
    const run = queue.then(async () => {
      if (store.closed) throw new CampaignStoreError('CLOSED', 'the store is closed');
      if (snapshot.phase === 'ready' && (snapshot.user?.id ?? null) === (next?.id ?? null)) {
        if (next?.email && next.email !== snapshot.user?.email) set({ user: next });
        return;
      }
      const database = databaseFor(opts, next).name;
      set({ phase: 'switching', user: next, database, error: null });
      sync.detach();
      try {
        await store.reconnect((ready) => connect(next, ready));
      } catch (error) {
        set({ phase: 'error', error });
        throw error;
      }
      set({ phase: 'ready' });
      store.announceAllTables();
    });
    queue = run.catch(() => {});
    return run;
  };

  store.account = {
    /** Whose database is open: {id, email}, or null for the signed-out database. */
    get user() { return snapshot.user; },
    /** The name of the database open now. */
    get database() { return snapshot.database; },
    /** {phase: 'opening'|'ready'|'switching'|'error', user, database, error}; the same object until it changes. */
    getSnapshot: () => snapshot,
    /** Hears every change of getSnapshot(); returns an unsubscribe function. */
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    switch: switchTo,
    /** What the signed-out database holds: {total, tables: {table: rows}}; zero while it is the one open. */
    signedOutData: () => countSignedOut(store, opts),
    /**
     * Moves everything the signed-out database holds into the signed-in
     * user's database (rows keep their ids; their blobs come along), where it
     * syncs up; the signed-out database is left empty. Resolves with
     * {moved, tables}. Safe to run again after an interruption.
     */
    adoptSignedOutData: () => adoptSignedOut(store, opts, snapshot.user),
  };
  store.onClose(() => { stopFollowing(); sync.detach(); });

  return {
    user: initial,
    /**
     * The first connection is up: follow the auth state from here (the
     * client reports the current user on subscribing, so a change during
     * the open is not missed).
     */
    ready() {
      set({ phase: 'ready' });
      if (!source.follows) return;
      stopFollowing = source.follow((user) => {
        // Not inside the auth client's callback: it must not wait for us.
        setTimeout(() => {
          if (!store.closed) switchTo(user).catch(() => { /* in the snapshot */ });
        }, 0);
      });
    },
  };
}

/**
 * store.sync while the store may change users: the same object throughout,
 * backed by the current user's sync loop, or answering "signed out".
 */
function createSyncFacade(store) {
  const statusListeners = new Set();
  const conflictListeners = new Set();
  let current = null;
  let offs = [];
  const signedOut = () => ({
    state: 'signed-out', pending: 0, lastSyncedAt: null, conflicts: 0, rejected: 0,
    blobsPending: 0, blobsRejected: 0, blobsToDownload: 0, realtime: 'off', error: null,
  });
  const notSignedIn = () => Promise.reject(new CampaignStoreError('UNAUTHORIZED', 'nobody is signed in: nothing syncs'));
  const facade = {
    start: () => current?.start(),
    stop: () => current?.stop(),
    now: () => (current ? current.now() : notSignedIn()),
    status: () => (current ? current.status() : Promise.resolve(signedOut())),
    conflicts: (limit) => (current ? current.conflicts(limit) : Promise.resolve([])),
    blobs: (options) => (current ? current.blobs(options) : Promise.resolve([])),
    retryBlobs: (hash) => (current ? current.retryBlobs(hash) : notSignedIn()),
    downloadBlobs: () => (current ? current.downloadBlobs() : notSignedIn()),
    onStatus(cb) {
      statusListeners.add(cb);
      if (!current) cb(signedOut());
      else current.status().then((s) => { if (statusListeners.has(cb)) cb(s); }, () => {});
      return () => statusListeners.delete(cb);
    },
    onConflict(cb) { conflictListeners.add(cb); return () => conflictListeners.delete(cb); },
    /** @internal */
    attach(api) {
      current = api;
      offs = [
        api.onStatus((s) => { if (current === api) for (const cb of statusListeners) cb(s); }),
        api.onConflict((c) => { if (current === api) for (const cb of conflictListeners) cb(c); }),
      ];
    },
    /** @internal */
    detach() {
      if (!current) return;
      current.stop();
      for (const off of offs) off();
      offs = [];
      current = null;
      for (const cb of statusListeners) cb(signedOut());
    },
  };
  return facade;
}

// The signed-out database, opened beside the store's own (another worker;
// other tabs may hold it: multi-tab forwards to them). Its legacy migration
// runs here when it has not yet.
async function withSignedOut(opts, job) {
  const other = await openCampaignStore({
    ...opts.original,
    sync: undefined,
    persist: false,
  });
  try {
    return await job(other);
  } finally {
    await other.close();
  }
}

async function countRows(store) {
  const tables = {};
  let total = 0;
  for (const table of ACCOUNT_TABLES) {
    const { rows } = await store.sql.query(`SELECT count(*) AS n FROM ${table}`);
    tables[table] = rows[0].n;
    total += rows[0].n;
  }
  return { total, tables };
}

async function countSignedOut(store, opts) {
  if (!store.account.user) return { total: 0, tables: Object.fromEntries(ACCOUNT_TABLES.map((t) => [t, 0])) };
  return withSignedOut(opts, countRows);
}

async function adoptSignedOut(store, opts, user) {
  if (!user) throw new CampaignStoreError('INVALID_ARGUMENT', 'adoptSignedOutData needs a signed-in user: the signed-out database is open');
  return withSignedOut(opts, async (from) => {
    const moved = await countRows(from);
    for (const table of ACCOUNT_TABLES) await copyTable(from, store, table);
    // Everything is in the user's database now: empty the signed-out one.
    await from.batch([...ACCOUNT_TABLES].reverse().map((table) => ({ op: 'sql.exec', args: { sql: `DELETE FROM ${table}` } })));
    return { moved: moved.total, tables: moved.tables };
  });
}

// Rows keep every column but the local rowid (seq); INSERT OR IGNORE makes a
// rerun after an interruption skip what already arrived. Blobs the rows name
// are copied first, so no row points at bytes its database lacks.
async function copyTable(from, to, table) {
  const { rows } = await from.sql.query(`SELECT * FROM ${table}`);
  let ops = [];
  let bytes = 0;
  const flush = async () => {
    if (ops.length) await to.batch(ops);
    ops = [];
    bytes = 0;
  };
  for (const row of rows) {
    delete row.seq;
    // The rows belong to the signed-in user now (users rows stay behind).
    if ('user_id' in row) row.user_id = null;
    for (const value of Object.values(row)) {
      if (typeof value !== 'string') continue;
      for (const [, hash] of value.matchAll(BLOB_REF)) await copyBlob(from, to, hash);
    }
    const columns = Object.keys(row);
    const sql = `INSERT OR IGNORE INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
    const params = columns.map((c) => row[c]);
    ops.push({ op: 'sql.exec', args: { sql, params } });
    bytes += params.reduce((n, v) => n + (typeof v === 'string' ? v.length : 8), 0);
    if (bytes >= COPY_BATCH_BYTES) await flush();
  }
  await flush();
}

async function copyBlob(from, to, hash) {
  if (await to.blobs.info(hash)) return;
  const info = await from.blobs.info(hash);
  if (info) await to.blobs.put(await from.blobs.get(hash), info.mime ?? undefined);
}
