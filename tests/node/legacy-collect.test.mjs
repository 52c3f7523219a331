// Collection on the main thread: exactly the legacy keys are read (other
// keys are listed, never read), strings JavaScript holds but UTF-8 cannot
// (lone surrogates) are flagged, the browser's time zone reaches the engine,
// and a storage that throws is no migration rather than a failed open.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { collectLegacyStorage, migrateLegacyStorage, timeZoneTransitions } from '../../js/legacy/index.js';
import { loadDump, loadManifest, MemoryStorage, openEngine } from './legacy-support.mjs';

test('only the legacy keys are read; every other key is listed and left alone', () => {
  const dump = loadDump('lookalike-keys');
  const manifest = loadManifest('lookalike-keys');
  const read = new Set();
  const storage = new MemoryStorage(dump);
  const spy = {
    get length() { return storage.length; },
    key: (i) => storage.key(i),
    getItem: (k) => { read.add(k); return storage.getItem(k); },
  };
  const collected = collectLegacyStorage(spy);
  const legacy = Object.keys(manifest.keys).filter((k) => manifest.keys[k].status !== 'unmapped');
  assert.deepEqual(collected.entries.map((e) => e.key).sort(), legacy.sort());
  assert.deepEqual([...read].sort(), legacy.sort());
  assert.deepEqual(collected.otherKeys.map((o) => o.key).sort(),
    Object.keys(manifest.keys).filter((k) => manifest.keys[k].status === 'unmapped').sort());
  assert.equal(collected.units, legacy.reduce((n, k) => n + k.length + dump[k].length, 0));
});

test('a value with a lone surrogate is migrated with U+FFFD, reported lossy, and never released', async () => {
  const { engine, call } = await openEngine();
  try {
    // A raw lone surrogate in the stored text (JSON.stringify would have escaped it) ...
    const storage = new MemoryStorage({ products: '[{"id":"p","name":"broken \uD800 pair"}]' });
    const collected = collectLegacyStorage(storage);
    assert.equal(collected.entries[0].lossy, true);
    const report = await migrateLegacyStorage(call, { localStorage: storage });
    assert.equal(report.keys.products.lossy, true);
    assert.ok(report.warnings.some((w) => w.code === 'LOSSY' && w.key === 'products'));
    assert.equal(engine.call('sql.query', { sql: 'SELECT name FROM products' }).rows[0].name, 'broken \uFFFD pair');
    const released = await call('legacy.release', { entries: collected.entries });
    assert.deepEqual(released.release, []);
    // ... and an escaped one, which JSON.parse accepts and UTF-8 cannot hold either.
    const escaped = new MemoryStorage({ campaigns: JSON.stringify([{ id: 1, name: 'x\uDC00y' }]) });
    assert.equal(collectLegacyStorage(escaped).entries[0].lossy, undefined);
    const second = await migrateLegacyStorage(call, { localStorage: escaped });
    assert.equal(second.keys.campaigns.lossy, true);
    assert.equal(engine.call('sql.query', { sql: "SELECT name FROM campaigns WHERE source = 'legacy'" }).rows[0].name, 'x\uFFFDy');
  } finally {
    engine.dispose();
  }
});

test("local-time dates use the browser's zone, daylight saving included", async () => {
  const previous = process.env.TZ;
  process.env.TZ = 'America/New_York';
  try {
    const transitions = timeZoneTransitions({ from: Date.UTC(2025, 0, 1), to: Date.UTC(2026, 0, 1) });
    assert.deepEqual(transitions.map(([, o]) => o), [-300, -240, -300]);
    assert.equal(new Date(transitions[1][0]).toISOString(), '2025-03-09T07:00:00.000Z');  // 2 am EST
    const { engine, call } = await openEngine();
    try {
      const storage = new MemoryStorage({ products: JSON.stringify([
        { id: 'winter', createdAt: '11/24/2025, 3:04:05 PM' },
        { id: 'summer', createdAt: '2025-07-01T12:00:00' },
      ]) });
      await migrateLegacyStorage(call, { localStorage: storage, timeZone: { transitions } });
      const rows = engine.call('sql.query', {
        sql: "SELECT m.legacy_id AS id, p.created_at FROM products p JOIN legacy_id_map m ON m.row_id = p.id ORDER BY m.legacy_id",
      }).rows;
      assert.deepEqual(rows, [
        { id: 'summer', created_at: '2025-07-01T16:00:00.000Z' },
        { id: 'winter', created_at: '2025-11-24T20:04:05.000Z' },
      ]);
    } finally {
      engine.dispose();
    }
  } finally {
    if (previous === undefined) delete process.env.TZ;
    else process.env.TZ = previous;
  }
});

test('a storage that throws (sandboxed frame) is no migration, not a failure', async () => {
  const hostile = { get length() { throw new Error('SecurityError'); }, key() {}, getItem() {} };
  const collected = collectLegacyStorage(hostile);
  assert.equal(collected.available, false);
  assert.match(collected.error, /SecurityError/);
  assert.equal(await migrateLegacyStorage(() => assert.fail('no call'), { localStorage: hostile }), null);
  assert.equal(await migrateLegacyStorage(() => assert.fail('no call'), { localStorage: new MemoryStorage({ theme: 'dark' }) }), null);
});
