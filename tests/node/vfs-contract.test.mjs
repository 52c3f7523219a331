// Contracts over every JS host: the host verbs (vfs-support/host-contract.mjs)
// and the VFS methods (src/vfs/contract.cpp through the storage.selfTest op
// of the test build, i.e. C++ -> storage.host.js -> JS host); the shipped
// build answers that op NOT_FOUND. OPFS runs the same two in Chromium
// (tests/browser/opfs.test.mjs).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { createEngine } from '../../js/core.js';
import { openStorage } from '../../js/hosts/index.js';
import { hostContract } from './vfs-support/host-contract.mjs';
import { locations } from './vfs-support/locations.mjs';
import { testBuild } from './shared/test-build.mjs';

for (const location of locations()) {
  describe(`host: ${location.name}`, () => {
    after(() => location.cleanup());

    for (const [name, run] of hostContract) {
      test(`host contract: ${name}`, () => run(location));
    }

    test('VFS contract through the wasm bridge (storage.selfTest, test build)', async () => {
      const engine = await createEngine(testBuild);
      const storage = await openStorage(engine.module, location.storage);
      try {
        const r = engine.call('storage.selfTest', { host: storage.hostId, largeOffsets: Boolean(location.largeOffsets) });
        assert.ok(r.cases.length >= 15, 'every case ran');
        for (const c of r.cases) assert.ok(c.ok, `${c.name}: ${c.message}`);
        assert.equal(r.failed, 0);
        // The self-test closed the pool: the host is spent, as after `close`.
        assert.deepEqual(storage.host.files(), []);
      } finally {
        storage.release();
        engine.dispose();
      }
    });
  });
}

test('the shipped build leaves the VFS contract out: storage.selfTest is NOT_FOUND', async () => {
  const engine = await createEngine();
  try {
    assert.throws(() => engine.call('storage.selfTest', { host: 0 }), (e) => e.code === 'NOT_FOUND' && /test build/.test(e.message));
  } finally {
    engine.dispose();
  }
});
