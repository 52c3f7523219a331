// The Node host: pool files are real files (NNNN.pool) in a directory,
// driven through file descriptors with the synchronous fs calls, so crash
// and persistence tests run headlessly. A lock file holding the owner's pid
// keeps a second process (or a second worker of this one) out: it gets BUSY.
// A lock left by a process that no longer exists (killed, crashed) is taken
// over. Limits: the pid check cannot see processes on other machines (no
// network filesystems), and a reused pid makes a stale lock look held.
import fs from 'node:fs';
import path from 'node:path';

import { busy } from './errors.js';
import { POOL_FILE, PoolFiles, poolFileName } from './pool-files.js';

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';  // exists, owned by someone else
  }
}

// Creates the lock atomically with its content: a temp file is written,
// then hard-linked to the lock name, which fails if the lock exists.
function acquireLock(dir) {
  const lockPath = path.join(dir, '.lock');
  const temp = path.join(dir, `.lock.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}`);
  fs.writeFileSync(temp, String(process.pid));
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        fs.linkSync(temp, lockPath);
        return lockPath;
      } catch (e) {
        if (e.code !== 'EEXIST') throw e;
      }
      let pid = NaN;
      try {
        pid = Number(fs.readFileSync(lockPath, 'utf8'));
      } catch (e) {
        if (e.code === 'ENOENT') continue;  // released meanwhile: try again
        throw e;
      }
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
        const who = pid === process.pid ? 'this process (another engine or worker)' : `process ${pid}`;
        throw busy(`storage directory ${dir} is in use by ${who}`, { dir, pid });
      }
      // Stale: its owner is gone. Move it aside (atomic) and try again.
      try {
        fs.renameSync(lockPath, `${temp}.stale`);
        fs.rmSync(`${temp}.stale`, { force: true });
      } catch (e) {
        if (e.code !== 'ENOENT') throw e;
      }
    }
    throw busy(`storage directory ${dir} lock is contended`, { dir });
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/** @extends {PoolFiles<number>} a file descriptor per open pool file */
export class NodePoolHost extends PoolFiles {
  constructor(dir, lockPath) {
    super('node', dir);
    this.lockPath = lockPath;
  }

  grow(n) {
    if (!this.lockPath) return 0;  // spent
    const first = this.slots.length;
    for (let id = first; id < first + n; id++) this.#openFile(id);
    return n;
  }

  async maintain() {}

  read(id, dst, offset) {
    const fd = this.entry(id);
    let done = 0;
    while (done < dst.length) {
      const got = fs.readSync(fd, dst, done, dst.length - done, offset + done);
      if (got === 0) break;  // end of file
      done += got;
    }
    return done;
  }

  write(id, src, offset) {
    const fd = this.entry(id);
    let done = 0;
    while (done < src.length) done += fs.writeSync(fd, src, done, src.length - done, offset + done);
    return done;
  }

  truncate(id, size) {
    fs.ftruncateSync(this.entry(id), size);
  }

  flush(id) {
    fs.fdatasyncSync(this.entry(id));
  }

  getSize(id) {
    return fs.fstatSync(this.entry(id)).size;
  }

  close(id) {
    const fd = this.forget(id);
    if (fd === null) return;
    fs.closeSync(fd);
    if (this.files().length === 0) this.#unlock();
  }

  release() {
    for (const id of this.files()) this.close(id);
    this.#unlock();
  }

  /** Opens the pool files already in the directory, then adds up to capacity. */
  openAll(capacity) {
    let count = 0;
    for (const name of fs.readdirSync(this.dir)) {
      const m = POOL_FILE.exec(name);
      if (m) count = Math.max(count, Number(m[1]) + 1);
    }
    for (let id = 0; id < Math.max(count, capacity); id++) this.#openFile(id);
  }

  #openFile(id) {
    const file = path.join(this.dir, poolFileName(id));
    this.slots[id] = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o600);
  }

  #unlock() {
    if (!this.lockPath) return;
    fs.rmSync(this.lockPath, { force: true });
    this.lockPath = null;
  }
}

/** @param {{dir: string, capacity?: number}} options */
export async function openNodePool({ dir, capacity = 4 }) {
  if (!dir) throw new TypeError('openNodePool: dir is required');
  fs.mkdirSync(dir, { recursive: true });
  const host = new NodePoolHost(dir, acquireLock(dir));
  try {
    host.openAll(capacity);
  } catch (e) {
    host.release();
    throw e;
  }
  return host;
}
