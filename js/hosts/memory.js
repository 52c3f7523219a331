// The memory host: pool files are byte arrays in a MemoryVolume. The volume
// outlives the host, so "closing the tab and coming back" is a new host over
// the same volume. Used by unit tests, and as the worker's fallback when
// neither OPFS nor Node files exist. Optional quota (bytes over all files)
// throws QuotaExceededError like OPFS does; `syncGrowth: false` makes grow()
// behave like OPFS (files only added by `await maintain()`).
import { busy, notOpen, quotaExceeded } from './errors.js';

export class MemoryVolume {
  constructor({ quota = Infinity } = {}) {
    /** @type {{data: Uint8Array, length: number}[]} */
    this.files = [];
    this.quota = quota;
    this.holder = null;
  }

  get bytes() {
    return this.files.reduce((sum, f) => sum + f.length, 0);
  }
}

export class MemoryPoolHost {
  constructor(volume, { capacity = 4, syncGrowth = true } = {}) {
    if (volume.holder) throw busy('the memory volume is held by another open pool');
    volume.holder = this;
    this.kind = 'memory';
    this.volume = volume;
    this.syncGrowth = syncGrowth;
    this.pendingGrowth = 0;
    while (volume.files.length < capacity) volume.files.push({ data: new Uint8Array(0), length: 0 });
    this.open = new Set(volume.files.map((_, i) => i));
  }

  files() {
    return [...this.open];
  }

  grow(n) {
    if (this.open.size === 0) return 0;
    if (!this.syncGrowth) {
      // Repeated asks (SQLite retrying, the pool's spare) are one need.
      this.pendingGrowth = Math.max(this.pendingGrowth, n);
      return 0;
    }
    this.#add(n);
    return n;
  }

  /** True when grow() asked for files that maintain() will add. */
  get needsMaintenance() {
    return this.pendingGrowth > 0 && this.open.size > 0;
  }

  async maintain() {
    if (this.pendingGrowth > 0 && this.open.size > 0) this.#add(this.pendingGrowth);
    this.pendingGrowth = 0;
  }

  read(id, dst, offset) {
    const f = this.#file(id);
    const end = Math.min(f.length, offset + dst.length);
    if (end <= offset) return 0;
    dst.set(f.data.subarray(offset, end));
    return end - offset;
  }

  write(id, src, offset) {
    const f = this.#file(id);
    this.#resize(f, Math.max(f.length, offset + src.length));
    f.data.set(src, offset);
    return src.length;
  }

  truncate(id, size) {
    this.#resize(this.#file(id), size);
  }

  flush(id) {
    this.#file(id);
  }

  getSize(id) {
    return this.#file(id).length;
  }

  close(id) {
    if (this.open.delete(id) && this.open.size === 0) this.volume.holder = null;
  }

  /** Closes whatever the engine did not close (an open that failed). */
  release() {
    for (const id of this.files()) this.close(id);
  }

  #add(n) {
    for (let i = 0; i < n; i++) {
      this.volume.files.push({ data: new Uint8Array(0), length: 0 });
      this.open.add(this.volume.files.length - 1);
    }
  }

  #file(id) {
    if (!this.open.has(id)) throw notOpen(id);
    return this.volume.files[id];
  }

  #resize(f, size) {
    if (size > f.length) {
      const growth = size - f.length;
      if (this.volume.bytes + growth > this.volume.quota) {
        throw quotaExceeded(`memory volume quota of ${this.volume.quota} bytes exceeded`);
      }
      if (size > f.data.length) {
        const next = new Uint8Array(Math.max(size, Math.min(f.data.length * 2, size + (64 << 20))));
        next.set(f.data.subarray(0, f.length));
        f.data = next;
      } else {
        f.data.fill(0, f.length, size);  // bytes cut off earlier must read back as zeros
      }
    }
    f.length = size;
  }
}

/** @param {{volume?: MemoryVolume, capacity?: number, syncGrowth?: boolean}} [options] */
export function openMemoryPool({ volume = new MemoryVolume(), ...options } = {}) {
  return new MemoryPoolHost(volume, options);
}
