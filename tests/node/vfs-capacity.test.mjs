// Capacity: far past localStorage's 5 MB. 1 GiB is written through the Node
// host in big transactions of 4 MiB rows, then read back in full (every
// row's tail is checked, so every overflow page is read). Quick because the
// rows are large: ~2 s of I/O on an SSD. Durability is not what is measured
// here, so the journal is DELETE (new pages are not journaled) with
// synchronous=OFF.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { createEngine } from '../../js/core.js';
import { removeDir, scratchDir } from './vfs-support/locations.mjs';

const ROW = 4 << 20;
const ROWS = 256;  // 1 GiB
const PER_TX = 32;

test('1 GiB written and read back through the Node host', { timeout: 120000 }, async () => {
  const dir = scratchDir('cs-capacity-');
  try {
    let engine = await createEngine({ storage: { kind: 'node', dir, journalMode: 'delete', synchronous: 'off' } });
    engine.call('sql.exec', { sql: 'CREATE TABLE big(id INTEGER PRIMARY KEY, b BLOB NOT NULL)' });
    for (let first = 1; first <= ROWS; first += PER_TX) {
      // Each row ends in its own id, so a misplaced page is caught on read.
      engine.call('sql.exec', {
        sql: `WITH RECURSIVE n(i) AS (SELECT ?1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)
              INSERT INTO big SELECT i, CAST(zeroblob(${ROW - 8}) || printf('%08d', i) AS BLOB) FROM n`,
        params: [first, first + PER_TX - 1],
      });
    }
    engine.dispose();

    const bytesOnDisk = fs.readdirSync(dir).filter((f) => f.endsWith('.pool'))
      .reduce((sum, f) => sum + fs.statSync(path.join(dir, f)).size, 0);
    assert.ok(bytesOnDisk >= ROWS * ROW, `pool files hold ${bytesOnDisk} bytes`);

    engine = await createEngine({ storage: { kind: 'node', dir, journalMode: 'delete', synchronous: 'off' } });
    const rows = engine.call('sql.query', {
      sql: "SELECT count(*) AS n, sum(length(b)) AS bytes, sum(CAST(CAST(substr(b, -8) AS TEXT) AS INTEGER) = id) AS tails FROM big",
    }).rows[0];
    assert.deepEqual(rows, { n: ROWS, bytes: ROWS * ROW, tails: ROWS });
    const info = engine.call('storage.info');
    assert.ok(info.pageCount * info.pageSize >= ROWS * ROW);
    engine.dispose();
  } finally {
    removeDir(dir);
  }
});
