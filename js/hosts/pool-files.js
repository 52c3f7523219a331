// What the file-backed hosts (node.js, opfs.js) share: pool files named
// NNNN.pool in one directory, and the table of the ones open, by id (= the
// number in the file's name), that files() lists and every verb looks up.
import { notOpen } from './errors.js';

export const POOL_FILE = /^(\d{4})\.pool$/;

/** @param {number} number */
export function poolFileName(number) {
  return `${String(number).padStart(4, '0')}.pool`;
}

/** @template Entry what the host keeps per open file (an fd, a sync access handle) */
export class PoolFiles {
  /**
   * @param {'node' | 'opfs'} kind
   * @param {unknown} dir the directory: a path, or a FileSystemDirectoryHandle
   */
  constructor(kind, dir) {
    this.kind = kind;
    this.dir = dir;
    /** @type {(Entry | null)[]} by file id; null once closed */
    this.slots = [];
  }

  files() {
    const ids = [];
    this.slots.forEach((entry, id) => { if (entry !== null) ids.push(id); });
    return ids;
  }

  /** The open file's entry; throws EBADF (notOpen) for a closed or unknown id. */
  entry(id) {
    const entry = this.slots[id];
    if (entry === null || entry === undefined) throw notOpen(id);
    return entry;
  }

  /** Takes file id out of the table: its entry, to close, or null when it was not open. */
  forget(id) {
    const entry = this.slots[id];
    if (entry === null || entry === undefined) return null;
    this.slots[id] = null;
    return entry;
  }
}
