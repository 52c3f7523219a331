// The account model through the public API: one database per user and one
// for the signed-out state, behind the same store object; nothing moves
// between them unless the app adopts the signed-out data; with
// `sync: {supabase}` the store follows the supabase-js client's auth state
// against the local backend (GoTrue password sign-in, refresh, sign-out).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@supabase/supabase-js';
import { openCampaignStore } from '../../js/index.js';
import { startBackend } from '../../tools/backend/backend.mjs';

const dirs = [];
function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'cs-account-'));
  dirs.push(dir);
  return dir;
}
after(() => { for (const dir of dirs) rmSync(dir, { recursive: true, force: true }); });

const names = async (store) => (await store.products.list({ sort: 'name', order: 'asc' })).items.map((p) => p.name);

test('each user has a database of their own; signed-out data stays apart until adopted, blobs included', async () => {
  const dir = tempDir();
  const store = await openCampaignStore({ storage: { node: dir } });
  try {
    assert.equal(store.account.user, null);
    assert.equal(store.account.database, 'campaign-store');
    const png = new Uint8Array([137, 80, 78, 71, 1, 2, 3, 4]);
    const { ref } = await store.blobs.put(png.slice(), 'image/png');  // (put transfers its buffer)
    await store.products.create({ name: 'Made signed out', images: [{ url: ref }] });
    const live = store.liveQuery((s) => s.products.list());
    const seen = [];
    const off = live.subscribe(() => { if (live.getSnapshot().data) seen.push(live.getSnapshot().data.items.length); });

    await store.account.switch({ id: 'alice', email: 'alice@example.com' });
    assert.deepEqual(store.account.getSnapshot().phase, 'ready');
    assert.equal(store.account.database, 'campaign-store.user-alice');
    assert.deepEqual(await names(store), [], 'a user never sees the signed-out rows on their own');
    await store.products.create({ name: 'Alice 1' });
    assert.deepEqual(await store.account.signedOutData().then((d) => [d.total, d.tables.products, d.tables.product_images]), [2, 1, 1]);

    await store.account.switch({ id: 'bob' });
    assert.deepEqual(await names(store), []);
    await store.products.create({ name: 'Bob 1' });

    await store.account.switch({ id: 'alice' });
    assert.deepEqual(await names(store), ['Alice 1']);
    const adopted = await store.account.adoptSignedOutData();
    assert.equal(adopted.moved, 2);
    assert.deepEqual(await names(store), ['Alice 1', 'Made signed out']);
    const moved = (await store.products.list()).items.find((p) => p.name === 'Made signed out');
    const image = (await store.products.get(moved.id)).images[0];
    assert.deepEqual([...await store.blobs.get(image.url)], [...png], 'the blob came along');
    assert.equal((await store.account.signedOutData()).total, 0);
    // Adopted rows are local changes of this user's database: they sync up.
    assert.ok((await store.sync.status()).pending >= 2);

    await store.account.switch(null);
    assert.deepEqual(await names(store), []);
    await new Promise((r) => setTimeout(r, 50));
    off();
    assert.ok(seen.includes(0) && seen.includes(2), `the live query re-ran on every switch (${seen})`);
    assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('user-')).sort(), ['user-alice', 'user-bob']);
  } finally {
    await store.close();
  }
  // Reopened as bob: his database, as he left it.
  const again = await openCampaignStore({ storage: { node: dir }, sync: null });
  try {
    await again.account.switch('bob');
    assert.deepEqual(await names(again), ['Bob 1']);
  } finally {
    await again.close();
  }
});

test('what the old user\'s screens write as the switch begins lands in their database; calls after it go to the next', async () => {
  const store = await openCampaignStore({ storage: { node: tempDir() }, worker: false });
  try {
    await store.account.switch('alice');
    const product = await store.products.create({ name: 'Alice draft holder' });
    let write;
    const off = store.account.subscribe(() => {
      // A component unmounting on "switching" flushes its autosave.
      if (store.account.getSnapshot().phase === 'switching' && !write) {
        write = store.products.update(product.id, { name: 'Saved while switching' });
      }
    });
    await store.account.switch('bob');
    await write;
    off();
    assert.deepEqual(await names(store), []);
    await store.account.switch('alice');
    assert.deepEqual(await names(store), ['Saved while switching']);
    await assert.rejects(store.account.switch('not a valid id!'), { code: 'INVALID_ARGUMENT' });
  } finally {
    await store.close();
  }
});

describeSupabase();

function describeSupabase() {
  let be;
  before(async () => { be = await startBackend({ port: 0 }); });
  after(async () => { await be?.stop(); });

  // Node 20 has no WebSocket; this test does not use Realtime.
  class NoRealtime { constructor() { throw new Error('no Realtime here'); } }
  const memoryStorage = () => {
    const items = new Map();
    return { items, getItem: (k) => items.get(k) ?? null, setItem: (k, v) => { items.set(k, v); }, removeItem: (k) => { items.delete(k); } };
  };
  const switched = (store, id) => new Promise((resolve, reject) => {
    const check = () => {
      const s = store.account.getSnapshot();
      if (s.phase === 'error') { off(); reject(s.error); }
      if (s.phase === 'ready' && (s.user?.id ?? null) === id) { off(); resolve(); }
    };
    const off = store.account.subscribe(check);
    check();
  });

  test('sync: {supabase}: the store follows sign-in, refresh, sign-out and another user through supabase-js', { timeout: 60_000 }, async () => {
    const [alice, bob] = be.users;
    const storage = memoryStorage();
    const supabase = createClient(be.url, be.anonKey, {
      auth: { storage, persistSession: true, autoRefreshToken: false, detectSessionInUrl: false },
      realtime: { transport: NoRealtime },
    });
    const store = await openCampaignStore({ storage: { node: tempDir() }, sync: { supabase, autoStart: false } });
    try {
      assert.equal(store.account.user, null);
      assert.equal((await store.sync.status()).state, 'signed-out');
      await assert.rejects(store.sync.now(), { code: 'UNAUTHORIZED' });
      await store.products.create({ name: 'Made signed out' });

      const signedIn = switched(store, alice.id);
      const { error } = await supabase.auth.signInWithPassword({ email: alice.email, password: alice.password });
      assert.equal(error, null);
      await signedIn;
      assert.deepEqual(store.account.user, { id: alice.id, email: alice.email });
      assert.deepEqual(await names(store), []);

      // The stored access token goes bad: the server refuses it, the store asks
      // supabase.auth.refreshSession() for a fresh one (refresh-token grant) and carries on.
      const key = [...storage.items.keys()].find((k) => k.endsWith('-auth-token'));
      const saved = JSON.parse(storage.items.get(key));
      storage.items.set(key, JSON.stringify({ ...saved, access_token: `${saved.access_token.slice(0, -4)}AAAA` }));
      await store.products.create({ name: 'Alice online' });
      be.requests.clear();
      const summary = await store.sync.now();
      assert.ok(summary.pushed >= 1);
      assert.ok(be.requests.list({ method: 'POST', pathPrefix: '/auth/v1/token' }).length >= 1, 'a refresh-token grant');
      assert.ok(be.requests.list({ pathPrefix: '/rest/v1/rpc/sync_push' }).some((r) => r.status === 401), 'the bad token was refused');
      assert.equal((await store.sync.status()).pending, 0);

      const { data: { session: before } } = await supabase.auth.getSession();
      const signedOut = switched(store, null);
      await supabase.auth.signOut();
      await signedOut;
      assert.deepEqual(await names(store), ['Made signed out']);
      assert.equal((await store.sync.status()).state, 'signed-out');
      // GoTrue's sign-out revokes the session's refresh token.
      const reuse = await fetch(`${be.url}/auth/v1/token?grant_type=refresh_token`, {
        method: 'POST', headers: { apikey: be.anonKey, 'content-type': 'application/json' },
        body: JSON.stringify({ refresh_token: before.refresh_token }),
      });
      assert.equal(reuse.status, 400);

      const asBob = switched(store, bob.id);
      await supabase.auth.signInWithPassword({ email: bob.email, password: bob.password });
      await asBob;
      await store.sync.now();
      assert.deepEqual(await names(store), [], 'bob pulls none of alice\'s rows');
      // Straight from bob to alice: her database, and her rows from the server.
      const asAlice = switched(store, alice.id);
      await supabase.auth.signInWithPassword({ email: alice.email, password: alice.password });
      await asAlice;
      assert.deepEqual(await names(store), ['Alice online']);
    } finally {
      await store.close();
      await supabase.auth.signOut().catch(() => {});
    }
  });
}
