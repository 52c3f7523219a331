// The local backend's Realtime endpoint, driven by @supabase/realtime-js
// itself: private channels authorized by the RLS policy of
// supabase/migrations/0006_realtime.sql, Broadcast from the database
// (realtime.send at commit, the sync tables' trigger), refused and expiring
// tokens, an access_token update, and a gateway restart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { RealtimeClient } from '@supabase/realtime-js';
import WebSocket from 'ws';
import { startBackend } from '../../tools/backend/backend.mjs';

const WAIT_MS = 15_000;
let be;
let db;
before(async () => {
  be = await startBackend({ port: 0 });
  db = new pg.Client({ connectionString: be.pg.postgresConnectionString });
  await db.connect();
});
after(async () => {
  await db?.end();
  await be?.stop();
});

/** A realtime-js client as an app makes one (Node 20 has no WebSocket: ws is the transport). */
function client(token, options = {}) {
  return new RealtimeClient(`${be.url.replace(/^http/, 'ws')}/realtime/v1`, {
    params: { apikey: be.anonKey }, transport: WebSocket, accessToken: async () => token(),
    reconnectAfterMs: () => 100, ...options,
  });
}

/** Resolves with the first value `subscribe`'s events yield that `match` accepts. */
function next(events, match, what) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), WAIT_MS);
    const seen = events.seen.find(match);
    if (seen) { clearTimeout(timer); resolve(seen); return; }
    events.waiters.push({ match, resolve: (v) => { clearTimeout(timer); resolve(v); } });
  });
}
function recorder() {
  const events = { seen: [], waiters: [] };
  events.push = (value) => {
    events.seen.push(value);
    for (const w of [...events.waiters]) {
      if (w.match(value)) { events.waiters.splice(events.waiters.indexOf(w), 1); w.resolve(value); }
    }
  };
  return events;
}

/**
 * Joins `campaign-store:<owner>`; records broadcasts and subscribe statuses.
 * The token is fetched first, as Supabase says to before joining a private
 * channel (realtime-js joins with the token it holds at subscribe time).
 */
async function join(rt, owner, { isPrivate = true } = {}) {
  await rt.setAuth();
  const messages = recorder();
  const statuses = recorder();
  const channel = rt.channel(`campaign-store:${owner}`, { config: { private: isPrivate } });
  channel.on('broadcast', { event: '*' }, (m) => messages.push(m));
  channel.on('system', {}, (m) => statuses.push({ status: 'system', message: m }));
  channel.subscribe((status, err) => statuses.push({ status, err }));
  return { channel, messages, statuses };
}

/** join(), then waits for the join to succeed. */
async function joined(rt, owner) {
  const j = await join(rt, owner);
  await next(j.statuses, (s) => s.status === 'SUBSCRIBED', 'the join');
  return j;
}

/** Runs `body(rt)` with a client holding `token()`'s tokens; disconnects after. */
async function withClient(token, body) {
  const rt = client(token);
  try {
    return await body(rt);
  } finally {
    rt.disconnect();
  }
}

const send = (topicOwner, payload) =>
  db.query("select realtime.send($1::jsonb, 'changed', $2, true)", [JSON.stringify(payload), `campaign-store:${topicOwner}`]);

test('a user joins their own private channel and hears only committed messages, in commit order', async () => {
  const alice = crypto.randomUUID();
  await withClient(() => be.mintToken({ sub: alice }), async (rt) => {
    const { messages, statuses } = await joined(rt, alice);
    await db.query('begin');
    await send(alice, { n: 1 });
    await db.query('rollback');
    await send(alice, { n: 2 });
    const first = await next(messages, () => true, 'a broadcast');
    assert.deepEqual(first.payload, { n: 2 }, 'a rolled-back message is never delivered');
    assert.equal(first.event, 'changed');
    assert.equal(typeof first.meta?.id, 'string');
  });
});

test('a commit writing a user\'s synced rows sends that user one message per transaction', async () => {
  const alice = crypto.randomUUID();
  await withClient(() => be.mintToken({ sub: alice }), async (rt) => {
    const { messages, statuses } = await joined(rt, alice);
    await db.query('begin');
    for (let i = 0; i < 3; i++) {
      await db.query(`insert into public.products (id, user_id, name, hlc) values (gen_random_uuid(), $1, $2, $3)`,
        [alice, `P${i}`, `${String(Date.now()).padStart(13, '0')}-0000${i}-test`]);
    }
    await db.query('commit');
    await send(alice, { marker: true });
    await next(messages, (m) => m.payload?.marker, 'the marker');
    const nudges = messages.seen.filter((m) => !m.payload?.marker);
    assert.equal(nudges.length, 1, 'three rows in one transaction: one message');
    assert.deepEqual(nudges[0].payload, {}, 'the message carries no row data');
  });
});

test('another user cannot join a private channel that is not theirs, nor hear it on a public one', async () => {
  const alice = crypto.randomUUID();
  const bob = crypto.randomUUID();
  const rt = client(() => be.mintToken({ sub: bob }));
  try {
    const stolen = await join(rt, alice);
    const refused = await next(stolen.statuses, (s) => s.status === 'CHANNEL_ERROR', 'the refusal');
    assert.match(refused.err?.message ?? '', /Unauthorized: You do not have permissions to read from this Channel topic: campaign-store:/);
    await rt.removeChannel(stolen.channel);

    const publicCopy = await join(rt, alice, { isPrivate: false });
    const own = await join(rt, bob);
    await next(publicCopy.statuses, (s) => s.status === 'SUBSCRIBED', 'the public join');
    await next(own.statuses, (s) => s.status === 'SUBSCRIBED', 'bob\'s join');
    await send(alice, { secret: true });
    await send(bob, { marker: true });
    await next(own.messages, (m) => m.payload?.marker, 'bob\'s marker');
    assert.deepEqual(publicCopy.messages.seen, [], 'a private message never reaches a public channel');
  } finally {
    rt.disconnect();
  }
});

test('a bad or expired token is refused at join, and a channel closes when its token expires', async () => {
  const alice = crypto.randomUUID();
  const cases = [
    [() => be.mintToken({ sub: alice, expiresIn: -10 }), /InvalidJWTToken: Token has expired \d+ seconds ago/],
    [() => `${be.mintToken({ sub: alice })}x`, /JwtSignatureError/],
    [() => 'not-a-jwt', /MalformedJWT/],
  ];
  for (const [token, reason] of cases) {
    const rt = client(token);
    try {
      const { statuses } = await join(rt, alice);
      const refused = await next(statuses, (s) => s.status === 'CHANNEL_ERROR', `refusal ${reason}`);
      assert.match(refused.err?.message ?? '', reason);
    } finally {
      rt.disconnect();
    }
  }

  const rt = client(() => be.mintToken({ sub: alice, expiresIn: 2 }));
  try {
    const { statuses } = await joined(rt, alice);
    const system = await next(statuses, (s) => s.status === 'system', 'the expiry notice');
    assert.equal(system.message.status, 'error');
    assert.match(system.message.message, /Token has expired/);
    await next(statuses, (s) => s.status === 'CLOSED', 'the channel closing');
  } finally {
    rt.disconnect();
  }
});

test('a new access token keeps the channel; an invalid one closes it', async () => {
  const alice = crypto.randomUUID();
  let token = be.mintToken({ sub: alice });
  const rt = client(() => token);
  try {
    const { messages, statuses } = await joined(rt, alice);
    token = be.mintToken({ sub: alice, expiresIn: 7200 });
    await rt.setAuth(token);
    await send(alice, { after: 'refresh' });
    await next(messages, (m) => m.payload?.after === 'refresh', 'a message after the refresh');

    await rt.setAuth(be.mintToken({ sub: crypto.randomUUID() }));  // someone else's token
    const system = await next(statuses, (s) => s.status === 'system', 'the refusal');
    assert.match(system.message.message, /permissions to read/);
    await next(statuses, (s) => s.status === 'CLOSED', 'the channel closing');
  } finally {
    rt.disconnect();
  }
});

test('after a gateway restart the client reconnects, rejoins and hears new messages', async () => {
  const alice = crypto.randomUUID();
  await withClient(() => be.mintToken({ sub: alice }), async (rt) => {
    const { messages, statuses } = await joined(rt, alice);
    const joins = () => statuses.seen.filter((s) => s.status === 'SUBSCRIBED').length;
    await be.restartGateway({ downMs: 300 });
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for the rejoin')), WAIT_MS);
      statuses.waiters.push({ match: (s) => s.status === 'SUBSCRIBED' && joins() >= 2, resolve: () => { clearTimeout(timer); resolve(); } });
      if (joins() >= 2) { clearTimeout(timer); resolve(); }
    });
    await send(alice, { after: 'restart' });
    await next(messages, (m) => m.payload?.after === 'restart', 'a message after the restart');
  });
});
