// Realtime wakes store.sync: a change pushed by one device reaches another
// device of the user without anyone calling sync.now(), while the other
// device's poll interval is far longer than the test, in both forms of the
// sync option (a RealtimeClient class, and the app's SupabaseClient).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from '@supabase/supabase-js';
import { RealtimeClient } from '@supabase/realtime-js';
import WebSocket from 'ws';
import { openCampaignStore } from '../../js/index.js';
import { startBackend } from '../../tools/backend/backend.mjs';

const WAIT_MS = 20_000;
const NEVER_MS = 3_600_000;  // no poll happens during a test
let be;
before(async () => { be = await startBackend({ port: 0 }); });
after(async () => { await be?.stop(); });

/** Resolves when `check()` is truthy, re-checked on every change of `store`'s tables and status. */
function until(store, check, what) {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (err, value) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      offChanges();
      offStatus();
      if (err) reject(err); else resolve(value);
    };
    const timer = setTimeout(() => finish(new Error(`timed out waiting for ${what}`)), WAIT_MS);
    const probe = () => Promise.resolve(check()).then((v) => { if (v) finish(null, v); }, (err) => finish(err));
    const offChanges = store.subscribe('*', probe);
    const offStatus = store.sync.onStatus(probe);
    probe();
  });
}

test('a RealtimeClient wakes the other device\'s sync: the change arrives without sync.now()', async () => {
  const userId = crypto.randomUUID();
  const sync = (extra) => ({
    url: be.url, anonKey: be.anonKey, userId, getAccessToken: () => be.mintToken({ sub: userId }),
    intervalMs: NEVER_MS, ...extra,
  });
  const writer = await openCampaignStore({ storage: 'memory', worker: false, sync: sync({ autoStart: false }) });
  const reader = await openCampaignStore({
    storage: 'memory',
    sync: sync({ realtime: { RealtimeClient, transport: WebSocket } }),
  });
  try {
    await until(reader, async () => (await reader.sync.status()).realtime === 'connected', 'the channel');
    await until(reader, async () => (await reader.sync.status()).state === 'idle', 'the first cycle');
    const p = await writer.products.create({ name: 'Made on the writer' });
    await writer.sync.now();
    const got = await until(reader, () => reader.products.get(p.id).catch(() => null), 'the product on the reader');
    assert.equal(got.name, 'Made on the writer');
  } finally {
    await writer.close();
    await reader.close();
  }
});

test('with sync: {supabase}, Realtime rides on the client\'s socket; stopping sync leaves the channel', async () => {
  const [alice] = be.users;
  const signIn = async () => {
    const supabase = createClient(be.url, be.anonKey, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      realtime: { transport: WebSocket },
    });
    const { error } = await supabase.auth.signInWithPassword({ email: alice.email, password: alice.password });
    assert.equal(error, null);
    return supabase;
  };
  const writerClient = await signIn();
  const readerClient = await signIn();
  const writer = await openCampaignStore({ storage: 'memory', worker: false, sync: { supabase: writerClient, autoStart: false } });
  const reader = await openCampaignStore({ storage: 'memory', sync: { supabase: readerClient, intervalMs: NEVER_MS } });
  try {
    assert.equal(reader.account.user.id, alice.id);
    await until(reader, async () => (await reader.sync.status()).realtime === 'connected', 'the channel');
    assert.deepEqual(readerClient.getChannels().map((c) => c.subTopic), [`campaign-store:${alice.id}`]);
    const c = await writer.campaigns.create({ name: 'Launch' });
    await writer.sync.now();
    const got = await until(reader, () => reader.campaigns.get(c.id).catch(() => null), 'the campaign on the reader');
    assert.equal(got.name, 'Launch');

    reader.sync.stop();
    assert.equal((await reader.sync.status()).realtime, 'off');
  } finally {
    await writer.close();
    await reader.close();
    await writerClient.removeAllChannels();
    await readerClient.removeAllChannels();
  }
});
