// A worker_threads worker that dies while it holds the Node file host's pool
// lock (crash, terminate) leaves the lock behind. The lock names this process,
// which is alive, so js/hosts/node.js would answer BUSY to every later opener
// in this process. The worker that owned it is gone, so the lock is stale:
// remove it. Relies on the lock format of js/hosts/node.js (<dir>/.lock
// holding the owner's pid); only called when our worker had the pool open
// and had not released it. Node only (js/platform/node/client.js).

import fs from 'node:fs';
import path from 'node:path';

/** @param {string} dir the {node: dir} storage directory */
export async function releaseOrphanLock(dir) {
  const lock = path.join(dir, '.lock');
  try {
    if (Number(fs.readFileSync(lock, 'utf8')) === process.pid) fs.rmSync(lock, { force: true });
  } catch {
    // no lock (released after all): nothing to do
  }
}
