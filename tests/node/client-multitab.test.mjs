// Multi-tab coordination (js/worker/coordinator.js) with several "tabs" in
// one thread: fake Web Locks and BroadcastChannel (shared/multitab-fakes.mjs)
// and one engine standing for the OPFS database they share. The real thing
// runs in Chromium in tests/browser/client-multitab.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEngine } from '../../js/core.js';
import { TabCoordinator } from '../../js/worker/coordinator.js';
import { Executor, REQUEST_LOG_TABLE } from '../../js/worker/executor.js';
import { Serial } from '../../js/worker/serial.js';
import { decodeAnswer } from '../../js/protocol/values.js';
import { ChannelHub, FakeLocks } from './shared/multitab-fakes.mjs';

const LOCK = 'campaign-store:shop';
const wait = (ms) => new Promise((r) => setTimeout(r, ms));

async function world() {
  const engine = await createEngine();
  engine.call('open');
  engine.call('sql.exec', { sql: 'CREATE TABLE items(id INTEGER PRIMARY KEY, v TEXT UNIQUE NOT NULL)' });
  return { engine, locks: new FakeLocks(), hub: new ChannelHub(), opens: [] };
}

function tab(w, tag) {
  const queue = new Serial();
  const executor = new Executor(w.engine);
  const replies = new Map();
  const t = { tag, events: [], roles: [], logs: [], dbOpen: false, nextId: 1 };
  t.coord = new TabCoordinator({
    name: 'shop',
    tabId: tag,
    locks: w.locks,
    createChannel: w.hub.factory(tag),
    exec: {
      run: (op, args) => queue.run(() => executor.run(op, args)),
      runText: (op, args) => queue.run(() => executor.runText(op, args)),
      runOnce: (key, op, args) => queue.run(() => executor.runOnce(key, op, args)),
      prune: () => queue.run(() => executor.pruneLog()),
      idle: () => queue.idle(),
    },
    openDb: async () => {
      w.opens.push(tag);
      t.dbOpen = true;
      return { close: async () => { t.dbOpen = false; } };
    },
    reply: (id, body) => {
      const settle = replies.get(id);
      assert.ok(settle, `${tag}: answer for unknown or already answered request ${id}`);
      replies.delete(id);
      settle(body);
    },
    emitChanges: (changes) => t.events.push(changes),
    onRole: (role, leader) => t.roles.push([role, leader]),
    log: (level, message) => t.logs.push(`${level}: ${message}`),
  });
  // As the client does (RpcClient): an answer in envelope text is decoded.
  const answer = (body) => {
    if (typeof body.text !== 'string') return body;
    const { result, changes } = decodeAnswer(body.text, body.blobs);
    return { ok: true, result, changes: changes ?? body.changes ?? [], asText: true };
  };
  t.request = (op, args) => new Promise((resolve) => {
    const id = t.nextId++;
    replies.set(id, (body) => resolve(answer(body)));
    t.coord.submit(id, op, args);
  });
  t.insert = (v) => t.request('sql.exec', { sql: 'INSERT INTO items(v) VALUES (?)', params: [v] });
  t.pending = () => replies.size;
  // The tab is closed for good: its worker is gone without a word.
  t.kill = () => {
    w.hub.disconnect(tag);
    w.locks.kill(LOCK);
  };
  return t;
}

// A world where tab A leads and tab B follows.
async function twoTabs() {
  const w = await world();
  const a = tab(w, 'A');
  await a.coord.start();
  const b = tab(w, 'B');
  await b.coord.start();
  return { w, a, b };
}

function rows(w) {
  return w.engine.call('sql.query', { sql: 'SELECT v FROM items ORDER BY v' }).rows.map((r) => r.v);
}

test('the first tab leads; the others forward to it and hear its changes', async () => {
  const w = await world();
  const a = tab(w, 'A');
  assert.equal(await a.coord.start(), 'leader');
  const b = tab(w, 'B');
  const c = tab(w, 'C');
  assert.equal(await b.coord.start(), 'follower');
  assert.equal(await c.coord.start(), 'follower');
  assert.equal(b.coord.leader, 'A');

  const fromB = await b.insert('b1');
  assert.equal(fromB.ok, true);
  assert.deepEqual(fromB.changes, ['items']);   // B hears its own change in the answer
  const fromA = await a.insert('a1');
  assert.deepEqual(fromA.changes, ['items']);
  assert.equal(fromA.asText, true);             // the leader's own request: envelope text
  assert.equal(fromB.asText, true);             // a forwarded one too, as the exactly-once log keeps it
  await wait(10);
  assert.deepEqual(a.events, [['items']]);        // A hears B's write
  assert.deepEqual(b.events, [['items']]);        // B hears A's write, not its own twice
  assert.deepEqual(c.events, [['items'], ['items']]);
  const read = await c.request('sql.query', { sql: 'SELECT count(*) AS n FROM items' });
  assert.deepEqual(read.result.rows, [{ n: 2 }]);
  const failed = await b.request('sql.exec', { sql: 'INSERT INTO items(v) VALUES (?)', params: ['a1'] });
  assert.equal(failed.ok, false);
  assert.equal(failed.error.code, 'CONFLICT');  // UNIQUE, as the core reports it
  assert.deepEqual(w.opens, ['A']);
});

test('a leader that dies after committing but before answering: answered from the log, applied once', async () => {
  const { w, a, b } = await twoTabs();
  w.hub.drop = (tag, m) => tag === 'A' && m.t === 'res';
  const answer = b.insert('x');
  await wait(20);
  assert.deepEqual(rows(w), ['x'], 'A committed it');
  assert.equal(b.pending(), 1, 'but B never heard back');
  a.kill();
  w.hub.drop = null;
  const body = await answer;
  assert.equal(body.ok, true);
  assert.deepEqual(body.result, { changes: 1, lastInsertRowid: 1 });
  assert.deepEqual(rows(w), ['x'], 'not applied twice');
  assert.equal(b.coord.role, 'leader');
  assert.deepEqual(w.opens, ['A', 'B']);
});

test('a request the channel cannot carry is answered with an error, not left waiting', async () => {
  const { b } = await twoTabs();
  const body = await Promise.race([b.request('ping', { echo: () => 1 }), wait(3000).then(() => 'pending')]);
  assert.equal(body.ok, false);
  assert.equal(body.error.code, 'INVALID_ARGUMENT');
  assert.equal(b.pending(), 0);
  assert.equal((await b.request('ping', { echo: 'next' })).result.echo, 'next');
});

test('forwarded answers keep bigints, bytes and -0, also when replayed from the log', async () => {
  const { w, a, b } = await twoTabs();
  const read = await b.request('sql.query', { sql: 'SELECT ? AS n, ? AS b, ? AS z', params: [2n ** 62n + 1n, new Uint8Array([1, 2]), -0] });
  assert.deepEqual(read.result.rows, [{ n: 2n ** 62n + 1n, b: new Uint8Array([1, 2]), z: -0 }]);
  assert.ok(Object.is(read.result.rows[0].z, -0));
  // A logged write whose answer holds both, answered from the log by the next leader.
  w.hub.drop = (tag, m) => tag === 'A' && m.t === 'res';
  const write = b.request('batch', {
    ops: [
      { op: 'sql.exec', args: { sql: 'INSERT INTO items(id, v) VALUES (?, ?)', params: [2n ** 62n + 1n, 'big'] } },
      { op: 'sql.query', args: { sql: 'SELECT id, CAST(v AS BLOB) AS raw FROM items' } },
    ],
  });
  await wait(20);
  assert.equal(b.pending(), 1, 'the answer was lost');
  a.kill();
  w.hub.drop = null;
  const body = await write;
  assert.equal(body.ok, true);
  assert.deepEqual(body.result, [
    { changes: 1, lastInsertRowid: 2n ** 62n + 1n },
    { columns: ['id', 'raw'], rows: [{ id: 2n ** 62n + 1n, raw: new TextEncoder().encode('big') }] },
  ]);
  assert.deepEqual(rows(w), ['big'], 'applied once');
});

test('a leader that dies before seeing a request: the next leader applies it', async () => {
  const w = await world();
  const a = tab(w, 'A');
  await a.coord.start();
  const b = tab(w, 'B');
  const c = tab(w, 'C');
  await b.coord.start();
  await c.coord.start();
  w.hub.drop = (tag, m) => m.t === 'req' && m.to === 'A';
  const fromB = b.insert('b');
  const fromC = c.insert('c');
  await wait(10);
  a.kill();
  w.hub.drop = null;
  assert.equal((await fromB).ok, true);
  assert.equal((await fromC).ok, true);
  assert.deepEqual(rows(w), ['b', 'c']);
  assert.equal(c.coord.leader, 'B');
});

test('pagehide: the leader steps down, releases the database, and comes back as a follower', async () => {
  const w = await world();
  const a = tab(w, 'A');
  await a.coord.start();
  const b = tab(w, 'B');
  await b.coord.start();
  await a.insert('before');
  await a.coord.suspend();
  assert.equal(a.dbOpen, false, 'handles released at once');
  await wait(10);
  assert.equal(b.coord.role, 'leader');
  assert.equal(b.dbOpen, true);
  // A's requests while hidden wait, and are served once it is back.
  const hidden = a.insert('while hidden');
  await wait(10);
  assert.equal(a.pending(), 1);
  a.coord.resume();
  assert.equal((await hidden).ok, true);
  assert.equal(a.coord.role, 'follower');
  assert.deepEqual(rows(w), ['before', 'while hidden']);
});

test('handover under load: every write from every tab is answered once and stored once', async () => {
  const w = await world();
  const tabs = ['A', 'B', 'C', 'D'].map((tag) => tab(w, tag));
  for (const t of tabs) await t.coord.start();
  const answers = [];
  const kills = [];
  for (let round = 0; round < 30; round++) {
    for (const t of tabs) if (!t.dead) answers.push(t.insert(`${t.tag}-${round}`).then((body) => ({ t, round, body })));
    if (round % 10 === 5) {
      // Kill whoever leads, sometimes losing its last answers on the way.
      const leader = tabs.find((t) => t.coord.role === 'leader' && !t.dead);
      w.hub.drop = (tag, m) => tag === leader.tag && m.t === 'res' && Math.random() < 0.5;
      await wait(1);
      leader.dead = true;
      leader.kill();
      kills.push(leader.tag);
      w.hub.drop = null;
    }
    await wait(1);
  }
  // Tabs that were killed are gone with their callers; every other write
  // must be answered, successfully (a write applied twice would fail UNIQUE).
  const results = await Promise.all(answers.map((p) => Promise.race([p, wait(3000).then(() => null)])));
  const expected = [];
  for (const r of results) {
    if (!r) continue;
    assert.equal(r.body.ok, true, JSON.stringify(r.body.error));
    expected.push(`${r.t.tag}-${r.round}`);
  }
  assert.equal(kills.length, 3);
  const stored = rows(w);
  for (const v of expected) assert.ok(stored.includes(v), `${v} was answered but is not stored`);
  // Nothing is stored that nobody asked for, and the live tab lost nothing.
  const survivor = tabs.find((t) => !t.dead);
  const survivorWrites = results.filter((r) => r?.t === survivor).length;
  assert.equal(survivorWrites, 30);
  assert.ok(stored.every((v) => /^[A-D]-\d+$/.test(v)));
}, { timeout: 20000 });

test('the request log is pruned and keeps only forwarded writes', async () => {
  const w = await world();
  const a = tab(w, 'A');
  await a.coord.start();
  const b = tab(w, 'B');
  await b.coord.start();
  await b.insert('w');
  await b.request('sql.query', { sql: 'SELECT 1' });
  await a.insert('own');
  const log = w.engine.call('sql.query', { sql: `SELECT key FROM ${REQUEST_LOG_TABLE}` }).rows;
  assert.deepEqual(log.map((r) => r.key), ['B:1']);
  const ex = new Executor(w.engine);
  ex.pruneLog(Date.now() + 11 * 60 * 1000);
  assert.equal(w.engine.call('sql.query', { sql: `SELECT count(*) AS n FROM ${REQUEST_LOG_TABLE}` }).rows[0].n, 0);
});

test('close waits for answers in flight, then leaves the election', async () => {
  const w = await world();
  const a = tab(w, 'A');
  await a.coord.start();
  const b = tab(w, 'B');
  await b.coord.start();
  const inFlight = b.insert('last');
  await b.coord.close();
  assert.equal((await inFlight).ok, true);
  const after = await b.insert('after close');
  assert.equal(after.error.code, 'CLOSED');
  await a.coord.close();
  assert.equal(a.dbOpen, false);
});
