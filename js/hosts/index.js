// Persistent storage for an engine: open a pool of files on a host (OPFS in
// a browser worker, node:fs in Node, or memory), install the host on the
// wasm module under an id, and hand back the `open` op's arguments.
//
//   const storage = await openStorage(engine.module, { kind: 'opfs', name: 'campaign-store' });
//   engine.call('open', storage.openArgs);
//   ...between calls: if (storage.needsMaintenance) await storage.maintain();
//   engine.call('close'); storage.release();
//
// Engine.openStorage() (js/engine/engine.js) does exactly this.
//
// Every host is imported statically, so the browser worker is one chunk
// (Vite 6/7 build workers as IIFE, which cannot code-split); the Node file
// host comes from the platform module, which browsers resolve to a stub.
import { openNodePool } from '#platform/engine';
import { CampaignStoreError } from '../errors.js';
import { openMemoryPool } from './memory.js';
import { openOpfsPool, requestPersistence } from './opfs.js';

/**
 * @typedef {object} StorageOptions
 * @property {'opfs'|'node'|'memory'} kind
 * @property {string} [name]      OPFS pool name (a directory under .campaign-store/), default 'default'
 * @property {string} [dir]       Node: the directory holding the pool files
 * @property {import('./memory.js').MemoryVolume} [volume]  memory: the volume to reopen
 * @property {number} [capacity]  pool files opened up front (default 4)
 * @property {string} [database]  the SQLite file name inside the pool (default 'campaign-store.db')
 * @property {'batched'|'full'} [durability]  preset, see DURABILITY (default 'batched')
 * @property {number} [syncWithinMs] batched: flush at most this long after a commit (default 200)
 * @property {'wal'|'delete'|'truncate'|'persist'} [journalMode]
 * @property {'full'|'normal'|'extra'|'off'} [synchronous]
 * @property {'exclusive'|'normal'} [lockingMode]
 * @property {number} [journalSizeLimit]
 * @property {boolean} [persist]  OPFS: ask navigator.storage.persist() on open (default true). The browser
 *           exposes persist() on the main thread only; from a worker the main-thread client must call
 *           requestPersistence() (js/hosts/opfs.js) itself.
 */

const OPEN_KEYS = ['journalMode', 'synchronous', 'lockingMode', 'journalSizeLimit'];

/**
 * Durability presets, chosen by measurement (bench/vfs/README.md).
 * Both use WAL with the exclusive lock: one flush per durable point instead
 * of 3-6 for a rollback journal.
 *   batched  every commit is written to the OS before the call returns, so it
 *            survives a crash of the tab, worker or browser; the engine
 *            flushes it to disk within syncWithinMs (200 ms), so power loss
 *            or an OS crash can lose at most the commits of that window.
 *            Never corrupts.
 *   full     every commit is flushed before the call returns (synchronous=FULL).
 * Explicit journalMode/synchronous options override the preset.
 */
export const DURABILITY = Object.freeze({
  batched: Object.freeze({ journalMode: 'wal', synchronous: 'normal', syncWithinMs: 200 }),
  full: Object.freeze({ journalMode: 'wal', synchronous: 'full', syncWithinMs: 0 }),
});

function durabilitySettings(options) {
  const preset = DURABILITY[options.durability ?? 'batched'];
  if (!preset) {
    throw new CampaignStoreError('INVALID_ARGUMENT', `durability must be 'batched' or 'full', got ${options.durability}`,
      { field: 'durability' });
  }
  const synchronous = options.synchronous ?? preset.synchronous;
  return {
    journalMode: options.journalMode ?? preset.journalMode,
    synchronous,
    // A timed flush only makes sense when commits do not flush themselves.
    syncWithinMs: synchronous === 'normal' || synchronous === 'off' ? (options.syncWithinMs ?? preset.syncWithinMs) : 0,
  };
}

/** Opens the pool for options.kind; the host's verbs are synchronous from here on. */
export async function openHost(options) {
  const { kind, capacity } = options;
  switch (kind) {
    case 'memory':
      return openMemoryPool({ volume: options.volume, capacity, syncGrowth: options.syncGrowth });
    case 'node':
      return openNodePool({ dir: options.dir, capacity });
    case 'opfs': {
      const host = await openOpfsPool({ name: options.name, capacity, root: options.root });
      // persist() exists on the main thread only: in a worker this records
      // null, and the main-thread client should call requestPersistence().
      host.persistGranted = options.persist === false ? null : await requestPersistence();
      return host;
    }
    default:
      throw new CampaignStoreError('INVALID_ARGUMENT', `storage kind must be 'opfs', 'node' or 'memory', got ${kind}`,
        { field: 'kind' });
  }
}

/** Makes host reachable from C++ under a fresh id (the `open` op's `host`). */
export function installHost(module, host) {
  module.csStorageHosts ??= new Map();
  module.csStorageNextHostId ??= 1;
  const id = module.csStorageNextHostId++;
  module.csStorageHosts.set(id, host);
  return id;
}

export function uninstallHost(module, id) {
  module.csStorageHosts?.delete(id);
  module.csStorageErrors?.delete(id);
}

/**
 * Opens a pool and installs its host.
 * @param {any} module the instantiated wasm module (engine.module)
 * @param {StorageOptions} options
 */
export async function openStorage(module, options) {
  const durability = durabilitySettings(options);
  const host = await openHost(options);
  const hostId = installHost(module, host);
  const openArgs = { storage: 'pool', host: hostId };
  if (options.database) openArgs.name = options.database;
  for (const key of OPEN_KEYS) if (options[key] !== undefined) openArgs[key] = options[key];
  openArgs.journalMode = durability.journalMode;
  openArgs.synchronous = durability.synchronous;
  let released = false;
  return {
    kind: options.kind,
    host,
    hostId,
    openArgs,
    /** Batched durability: flush this long after a commit at the latest (0 = commits flush themselves). */
    syncWithinMs: durability.syncWithinMs,
    /** True when the pool should grow before the next call (OPFS only). */
    get needsMaintenance() {
      return Boolean(host.needsMaintenance);
    },
    /** Adds the files the pool asked for; call between engine calls. */
    async maintain() {
      await host.maintain?.();
    },
    /** Releases the host (its files, its lock) and forgets its id. Idempotent. */
    release() {
      if (released) return;
      released = true;
      uninstallHost(module, hostId);
      host.release();
    },
    /** release(), for callers that await a close(). */
    async close() {
      this.release();
    },
    /** navigator.storage.estimate()/persisted() where there is one. */
    async estimate() {
      return host.estimate ? host.estimate() : { usage: null, quota: null, persisted: null };
    },
    /** OPFS: what persist() answered on open; null when not asked or not available (workers). */
    get persistGranted() {
      return host.persistGranted ?? null;
    },
  };
}
