// Where the node:test suites put pools: each location opens the same pool
// every time (a "restart"), so persistence can be checked.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { MemoryVolume, openMemoryPool } from '../../../js/hosts/memory.js';
import { openNodePool } from '../../../js/hosts/node.js';

export function scratchDir(prefix = 'cs-vfs-') {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** The storage options (js/hosts/index.js) and a direct host opener for each kind. */
export function locations() {
  const volume = new MemoryVolume();
  const lazy = new MemoryVolume();
  const dir = scratchDir();
  return [
    {
      name: 'memory',
      storage: { kind: 'memory', volume },
      open: async () => openMemoryPool({ volume }),
      cleanup() {},
    },
    {
      name: 'memory, growing only between calls (like OPFS)',
      storage: { kind: 'memory', volume: lazy, syncGrowth: false },
      open: async () => openMemoryPool({ volume: lazy, syncGrowth: false }),
      cleanup() {},
    },
    {
      name: 'node files',
      storage: { kind: 'node', dir },
      open: () => openNodePool({ dir }),
      largeOffsets: true,
      cleanup: () => removeDir(dir),
    },
  ];
}
