// The OPFS host: pool files are FileSystemSyncAccessHandles in the Origin
// Private File System, in a dedicated worker (sync access handles exist only
// there). Opening handles is asynchronous, so it happens up front
// (openOpfsPool) and between calls (maintain), never inside a SQLite call.
// The handles are exclusive: while this pool is open, another tab or worker
// that opens it gets BUSY. No COOP/COEP headers, no SharedArrayBuffer.
//
// Layout: <OPFS root>/.campaign-store/<name>/NNNN.pool
import { busy, unsupported } from './errors.js';
import { POOL_FILE, PoolFiles, poolFileName } from './pool-files.js';

const ROOT_DIR = '.campaign-store';

// Another tab or worker holds the file's access handle (the spec's error).
function isBusyError(e) {
  return e?.name === 'NoModificationAllowedError';
}

// OPFS, or its sync access handles, refused in this context: Firefox's
// private browsing (SecurityError from getDirectory), WebKit builds without
// sync access handles (NotSupportedError, InvalidStateError), no API at all.
const REFUSALS = new Set(['SecurityError', 'NotSupportedError', 'InvalidStateError', 'NotAllowedError', 'TypeError']);

function refused(e, step) {
  return unsupported(`OPFS is not available here (${step}: ${e?.name ?? 'Error'}: ${e?.message ?? e})`,
    { storage: 'opfs', name: e?.name ?? 'Error', step });
}

/**
 * Fails at once, with UNSUPPORTED and the browser's error name, where OPFS
 * cannot be used: gets the root, and opens and closes a sync access handle
 * on a file of its own (no other tab can hold it).
 */
export async function probeOpfs() {
  const sm = globalThis.navigator?.storage;
  if (typeof sm?.getDirectory !== 'function') {
    throw unsupported('OPFS is not available here (no navigator.storage.getDirectory)', { storage: 'opfs', name: 'TypeError', step: 'getDirectory' });
  }
  let root;
  try {
    root = await sm.getDirectory();
  } catch (e) {
    throw refused(e, 'getDirectory');
  }
  const name = `.probe-${Math.random().toString(36).slice(2)}`;
  try {
    const file = await root.getFileHandle(name, { create: true });
    if (typeof file.createSyncAccessHandle !== 'function') {
      throw unsupported('OPFS sync access handles are not available here (no createSyncAccessHandle)',
        { storage: 'opfs', name: 'TypeError', step: 'createSyncAccessHandle' });
    }
    (await file.createSyncAccessHandle()).close();
  } catch (e) {
    if (e?.code === 'UNSUPPORTED') throw e;
    if (REFUSALS.has(e?.name)) throw refused(e, 'createSyncAccessHandle');
    throw e;
  } finally {
    await root.removeEntry(name).catch(() => {});
  }
}

/** @extends {PoolFiles<{fileName: string, sah: FileSystemSyncAccessHandle}>} */
export class OpfsPoolHost extends PoolFiles {
  constructor(dir, name) {
    super('opfs', dir);
    this.name = name;
    this.pendingGrowth = 0;
    this.spent = false;
    this.next = 0;  // number of the next pool file to create
  }

  // Cannot open a handle synchronously: remember, and maintain() adds them.
  grow(n) {
    // Repeated asks (SQLite retrying, the pool's spare) are one need.
    if (!this.spent) this.pendingGrowth = Math.max(this.pendingGrowth, n);
    return 0;
  }

  /** True when grow() asked for files: call `await maintain()` before the next engine call. */
  get needsMaintenance() {
    return this.pendingGrowth > 0 && !this.spent;
  }

  async maintain() {
    while (this.pendingGrowth > 0 && !this.spent) {
      await this.#openFile(this.#nextNumber());
      this.pendingGrowth--;
    }
  }

  read(id, dst, offset) {
    return this.entry(id).sah.read(dst, { at: offset });
  }

  write(id, src, offset) {
    return this.entry(id).sah.write(src, { at: offset });
  }

  truncate(id, size) {
    this.entry(id).sah.truncate(size);
  }

  flush(id) {
    this.entry(id).sah.flush();
  }

  getSize(id) {
    return this.entry(id).sah.getSize();
  }

  close(id) {
    const h = this.forget(id);
    if (h === null) return;
    h.sah.close();
    if (this.files().length === 0) this.spent = true;
  }

  release() {
    for (const id of this.files()) this.close(id);
    this.spent = true;
  }

  /** navigator.storage.estimate() and persisted(), for metrics. */
  async estimate() {
    return storageEstimate();
  }

  async openAll(capacity) {
    const numbers = [];
    for await (const [fileName, handle] of this.dir.entries()) {
      const m = POOL_FILE.exec(fileName);
      if (m && handle.kind === 'file') numbers.push(Number(m[1]));
    }
    numbers.sort((a, b) => a - b);
    for (const n of numbers) await this.#openFile(n);
    while (this.slots.length < capacity) await this.#openFile(this.#nextNumber());
  }

  #nextNumber() {
    return this.next;
  }

  async #openFile(number) {
    const fileName = poolFileName(number);
    const fileHandle = await this.dir.getFileHandle(fileName, { create: true });
    let sah;
    try {
      sah = await fileHandle.createSyncAccessHandle();
    } catch (e) {
      if (isBusyError(e)) {
        throw busy(`the storage pool "${this.name}" is open in another tab or worker`, { name: this.name });
      }
      throw e;
    }
    this.slots.push({ fileName, sah });
    this.next = Math.max(this.next, number + 1);
  }
}

/** {usage, quota, persisted} from the StorageManager, where available. */
export async function storageEstimate() {
  const sm = globalThis.navigator?.storage;
  const out = { usage: null, quota: null, persisted: null };
  if (!sm) return out;
  try {
    const e = await sm.estimate();
    out.usage = e.usage ?? null;
    out.quota = e.quota ?? null;
  } catch { /* not available in this context */ }
  try {
    out.persisted = typeof sm.persisted === 'function' ? await sm.persisted() : null;
  } catch { /* idem */ }
  return out;
}

/**
 * Asks the browser not to evict this origin's storage. navigator.storage.persist()
 * exists on the main thread only (not in workers): returns null where it is
 * unavailable, so the main-thread client can call it instead.
 */
export async function requestPersistence() {
  const sm = globalThis.navigator?.storage;
  if (typeof sm?.persist !== 'function') return null;
  try {
    return await sm.persist();
  } catch {
    return null;
  }
}

/**
 * @param {{name?: string, capacity?: number, root?: FileSystemDirectoryHandle}} [options]
 */
export async function openOpfsPool({ name = 'default', capacity = 4, root } = {}) {
  if (!root) await probeOpfs();
  const top = root ?? await navigator.storage.getDirectory();
  const base = await top.getDirectoryHandle(ROOT_DIR, { create: true });
  const dir = await base.getDirectoryHandle(name, { create: true });
  const host = new OpfsPoolHost(dir, name);
  try {
    await host.openAll(capacity);
  } catch (e) {
    host.release();
    throw e;
  }
  return host;
}

/** Removes a pool's directory entirely (it must not be open anywhere). */
export async function removeOpfsPool({ name = 'default', root } = {}) {
  const top = root ?? await navigator.storage.getDirectory();
  const base = await top.getDirectoryHandle(ROOT_DIR, { create: true });
  try {
    await base.removeEntry(name, { recursive: true });
  } catch (e) {
    if (e?.name === 'NotFoundError') return;
    if (isBusyError(e)) throw busy(`the storage pool "${name}" is open in another tab or worker`, { name });
    throw e;
  }
}
