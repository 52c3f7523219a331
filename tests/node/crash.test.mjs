// Crash safety: a child process commits transactions in a loop and is killed
// with SIGKILL at a random moment, 50 times over, cycling through the
// journal modes (the database switches mode across crashes too). After each
// kill the database must open, pass PRAGMA integrity_check, and hold every
// transaction the child reported as committed (it reports only after COMMIT
// returned). Bounded: 50 kills, each child lives at most ~0.5 s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import readline from 'node:readline';

import { createEngine } from '../../js/core.js';
import { removeDir, scratchDir } from './vfs-support/locations.mjs';

const CHILD = fileURLToPath(new URL('./vfs-support/child.mjs', import.meta.url));
const KILLS = Number(process.env.CS_CRASH_KILLS ?? 50);
const MODES = [['wal', 'full'], ['wal', 'normal'], ['delete', 'full'], ['truncate', 'full'], ['persist', 'normal']];

// Runs one child until it has reported at least one commit, then kills it
// after a random extra delay. Returns the sequence numbers it reported.
async function runAndKill(dir, journalMode, synchronous) {
  const child = spawn(process.execPath, [CHILD, 'loop', dir, journalMode, synchronous], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const reported = [];
  let ready = false;
  const lines = readline.createInterface({ input: child.stdout });
  let killTimer = null;
  const exited = once(child, 'exit');
  lines.on('line', (line) => {
    if (line === 'ready') {
      ready = true;
      return;
    }
    reported.push(Number(line));
    if (!killTimer) killTimer = setTimeout(() => child.kill('SIGKILL'), Math.random() * 150);
  });
  const watchdog = setTimeout(() => child.kill('SIGKILL'), 15000);
  const [code, signal] = await exited;
  clearTimeout(watchdog);
  clearTimeout(killTimer);
  // readline may still hold lines the child wrote just before dying.
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(signal, 'SIGKILL', `the child died by itself (code ${code}): ${stderr}`);
  assert.ok(ready, `the child never opened the database: ${stderr}`);
  return reported;
}

test(`${KILLS} SIGKILLs at random moments lose no reported commit and never corrupt`, { timeout: 180000 }, async (t) => {
  const dir = scratchDir('cs-crash-');
  const reported = new Set();
  let rounds = 0;
  let unreported = 0;
  try {
    for (let i = 0; i < KILLS; i++) {
      const [journalMode, synchronous] = MODES[i % MODES.length];
      const seqs = await runAndKill(dir, journalMode, synchronous);
      for (const s of seqs) reported.add(s);
      rounds++;

      const engine = await createEngine({ storage: { kind: 'node', dir, journalMode, synchronous } });
      try {
        const check = engine.call('sql.query', { sql: 'PRAGMA integrity_check' }).rows.map((r) => r.integrity_check);
        assert.deepEqual(check, ['ok'], `after kill ${i + 1} (${journalMode}/${synchronous})`);
        const present = new Set(engine.call('sql.query', { sql: 'SELECT seq FROM log' }).rows.map((r) => r.seq));
        const max = engine.call('sql.query', { sql: 'SELECT max(seq) AS m FROM log' }).rows[0].m;
        for (const s of reported) {
          // Every fifth row is deleted by a later transaction, 40 commits on.
          if (s % 5 === 0 && s + 40 <= max) continue;
          assert.ok(present.has(s), `after kill ${i + 1} (${journalMode}/${synchronous}): committed seq ${s} is missing`);
        }
        // At most the one transaction the child committed but had no time to report.
        const last = Math.max(0, ...seqs);
        assert.ok(max === null || max <= last + 1, `after kill ${i + 1}: max seq ${max} > last reported ${last} + 1`);
        if (max === last + 1) unreported++;
      } finally {
        engine.dispose();
      }
    }
    assert.equal(rounds, KILLS);
    assert.ok(reported.size > KILLS, `the children committed work (${reported.size} commits)`);
  } finally {
    removeDir(dir);
  }
  t.diagnostic(`${KILLS} kills, ${reported.size} reported commits, ${unreported} committed but killed before reporting`);
});
