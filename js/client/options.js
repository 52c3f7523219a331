// openCampaignStore() options: checked and given their defaults on the main
// thread, so a mistake fails at the call site with INVALID_ARGUMENT instead
// of somewhere in the worker. Only the serializable part goes to the worker.
import { CampaignStoreError } from '../errors.js';
import { migrationOptions } from '../legacy/client.js';
import { INT64_MODES } from '../protocol/values.js';
import { normalizeUser } from './account.js';
import { supabaseAccount } from './supabase.js';

// Node (also under jsdom, which adds a window but no Web Worker).
export const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';

// Presets of the storage hosts (js/hosts/index.js DURABILITY).
const DURABILITY = ['batched', 'full'];

/**
 * @param {import('../index.js').OpenOptions} options
 */
export function normalizeOptions(options = {}) {
  const bad = (field, problem) => {
    throw new CampaignStoreError('INVALID_ARGUMENT', `openCampaignStore: ${field} ${problem}`, { field });
  };
  if (options === null || typeof options !== 'object') bad('options', 'must be an object');
  const name = options.name ?? 'campaign-store';
  if (typeof name !== 'string' || !/^[\w.-]{1,64}$/.test(name)) bad('name', 'must be 1-64 letters, digits, _ . -');

  // A list is tried in order: the first kind this context supports is used.
  const storages = [].concat(options.storage ?? (isNode ? 'memory' : 'opfs'));
  for (const storage of storages) {
    if (storage !== 'memory' && storage !== 'opfs'
      && !(typeof storage === 'object' && storage !== null && typeof storage.node === 'string' && storage.node)) {
      bad('storage', "must be 'opfs', 'memory', {node: '/some/dir'} or a list of them (tried in order)");
    }
  }
  if (storages.length === 0) bad('storage', 'must name at least one storage');
  const storage = storages[0];
  const durability = options.durability ?? 'batched';
  if (!DURABILITY.includes(durability)) bad('durability', `must be one of ${DURABILITY.join(', ')}`);
  if (options.log !== undefined && typeof options.log !== 'function') bad('log', 'must be a function');
  if (options.worker !== undefined && typeof options.worker !== 'boolean') bad('worker', 'must be a boolean');
  if (options.int64 !== undefined && !INT64_MODES.includes(options.int64)) bad('int64', `must be one of ${INT64_MODES.join(', ')}`);

  const inWorker = options.worker !== false;
  // Tabs share OPFS; other storage is private to this store.
  const canCoordinate = !isNode && typeof BroadcastChannel === 'function' && !!globalThis.navigator?.locks;
  const multiTab = storage === 'opfs' && inWorker && canCoordinate && options.multiTab !== false;

  return {
    inWorker,
    original: options,
    log: options.log,
    int64: options.int64 ?? 'bigint',
    workerUrl: options.workerUrl,
    lifecycle: options.lifecycle !== false && !isNode,
    persist: options.persist !== false,
    // Who is signed in, and the sync settings of a user's database (account.js);
    // sync runs beside the client (getAccessToken is a function): js/client/sync.js
    ...accountOptions(options.sync),
    // ---- legacy migration: migrateLocalStorage (default on), localStorage, onMigrationProgress, legacy
    migrate: migrationOptions(options),
    // The storages to try, in order; init.storage is the first.
    storages: storages.map((s) => (s === 'memory' || s === 'opfs' ? s : { node: s.node })),
    // what the worker gets (structured-cloneable)
    init: {
      name,
      storage: storage === 'memory' || storage === 'opfs' ? storage : { node: storage.node },
      durability,
      multiTab,
      tabId: randomId(),
      testHooks: options.testHooks === true,
      wasmUrl: options.wasmUrl === undefined ? undefined : String(options.wasmUrl),
      moduleUrl: options.moduleUrl === undefined ? undefined : String(options.moduleUrl),
    },
  };
}

/** {account: {follows, currentUser, follow?}, syncFor(user)} for the sync option. */
function accountOptions(sync) {
  if (sync?.supabase) {
    const account = supabaseAccount(sync);
    return { account, syncFor: (user) => account.syncFor(user) };
  }
  // {url, anonKey, getAccessToken, userId}: that user's database; another
  // user (store.account.switch) syncs with the same settings, and the app's
  // getAccessToken answers for whoever is signed in.
  const initial = sync ? normalizeUser(sync.userId ?? null, 'sync.userId') : null;
  return {
    account: { follows: false, currentUser: async () => initial },
    syncFor: (user) => (sync && (user || !sync.userId) ? { ...sync, userId: user?.id ?? sync.userId } : null),
  };
}

function randomId() {
  if (globalThis.crypto?.randomUUID) return globalThis.crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}
