// A separate Node process working on a pool directory, for the tests that
// need a second process: persistence ("the next page load"), BUSY between
// processes, SIGKILL crash safety.
//   node child.mjs write <dir> <count> [journalMode] [synchronous]
//       opens, inserts rows 1..count in one transaction per 10 rows, exits.
//   node child.mjs read <dir>           prints {"rows": n, "check": "ok"} and exits
//   node child.mjs hold <dir>           opens, prints "ready", waits to be killed
//   node child.mjs loop <dir> <journalMode> <synchronous>
//       commits transactions forever; after each COMMIT returns it prints
//       the transaction's sequence number (synchronously, so a printed
//       number is a committed one).
import fs from 'node:fs';

import { createEngine } from '../../../js/core.js';

const [cmd, dir, a, b, c] = process.argv.slice(2);
const say = (line) => fs.writeSync(1, `${line}\n`);

async function open(journalMode, synchronous) {
  return createEngine({ storage: { kind: 'node', dir, journalMode, synchronous } });
}

if (cmd === 'write') {
  const engine = await open(b, c);
  engine.call('sql.exec', { sql: 'CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, body TEXT)' });
  for (let i = 1; i <= Number(a); i += 10) {
    const ops = [];
    for (let j = i; j < i + 10 && j <= Number(a); j++) {
      ops.push({ op: 'sql.exec', args: { sql: 'INSERT INTO t VALUES (?, ?)', params: [j, `row ${j}`] } });
    }
    engine.call('batch', { ops });
  }
  engine.dispose();
  say('done');
} else if (cmd === 'read') {
  const engine = await open();
  const rows = engine.call('sql.query', { sql: 'SELECT count(*) AS n, sum(length(body)) AS bytes FROM t' }).rows[0];
  const check = engine.call('sql.query', { sql: 'PRAGMA integrity_check' }).rows[0].integrity_check;
  engine.dispose();
  say(JSON.stringify({ rows: rows.n, bytes: rows.bytes, check }));
} else if (cmd === 'hold') {
  await open();
  say('ready');
  setInterval(() => {}, 1000);
} else if (cmd === 'loop') {
  const engine = await open(a, b);
  engine.call('sql.exec', {
    sql: 'CREATE TABLE IF NOT EXISTS log(seq INTEGER PRIMARY KEY, payload BLOB NOT NULL, total INTEGER NOT NULL)',
  });
  engine.call('sql.exec', { sql: 'CREATE INDEX IF NOT EXISTS log_total ON log(total)' });
  let seq = engine.call('sql.query', { sql: 'SELECT coalesce(max(seq), 0) AS s FROM log' }).rows[0].s;
  say('ready');
  for (;;) {
    seq++;
    const size = 50 + Math.floor(Math.random() * 12000);  // a draft: sometimes spills to overflow pages
    engine.call('batch', {
      ops: [
        { op: 'sql.exec', args: { sql: 'INSERT INTO log VALUES (?, randomblob(?), ?)', params: [seq, size, seq * 2] } },
        // Churn: rewrite and free pages so commits touch old pages too.
        { op: 'sql.exec', args: { sql: 'UPDATE log SET total = total + 1 WHERE seq = ?', params: [Math.max(1, seq - 7)] } },
        { op: 'sql.exec', args: { sql: 'DELETE FROM log WHERE seq = ? AND seq % 5 = 0', params: [seq - 40] } },
      ],
    });
    say(seq);
  }
} else {
  throw new Error(`unknown command ${cmd}`);
}
