// The server's rules that keep every write: cascades keep the clocks of the
// writes that caused them, a child written while its parent is being deleted
// follows the delete, clocks are bounded wherever they enter, a reused
// mutation id with another payload is refused, the data API's limits hold
// for sync_push and the table route, timestamps have one format, and the
// gateway answers bodies that are too deep or too large with 400 / 413.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import pg from 'pg';
import { beginAs, del, hlc, rpc, upsert, useBackend, user, uuid } from './helpers.mjs';

let be;
let db;

useBackend((env) => ({ be, db } = env));

const statuses = (r) => r.body.results.map((x) => x.status);
const future = (hours) => `${String(Date.now() + hours * 3600_000).padStart(13, '0')}-00000-future`;

async function stored(table, id) {
  const { rows } = await db.query(`select * from public.${table} where id = $1`, [id]);
  return rows[0] ?? null;
}

/** POST /rest/v1/<table> as `u` (what supabase-js upsert sends). */
async function restUpsert(u, table, row) {
  const res = await fetch(`${be.url}/rest/v1/${table}`, {
    method: 'POST',
    headers: { apikey: be.anonKey, authorization: `Bearer ${u.token}`, 'content-type': 'application/json',
      prefer: 'resolution=merge-duplicates' },
    body: JSON.stringify(row),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

describe('cascades never outrank a write', () => {
  test('an edit and a later delete of its parent, in one push: the edit survives, only the reference is cleared', async () => {
    const u = user(be);
    const product = uuid();
    const campaign = uuid();
    await u.push('c1', [upsert(1, 'products', product, hlc(100), { name: 'p' }),
      upsert(2, 'campaigns', campaign, hlc(100), { name: 'old', product_id: product, budget: 10 })]);
    // Offline on one device: rename the campaign, then delete its product.
    const r = await u.push('c1', [upsert(3, 'campaigns', campaign, hlc(300), { name: 'renamed', product_id: product, budget: 99 }),
      del(4, 'products', product, hlc(400))]);
    assert.deepEqual(statuses(r), ['applied', 'applied']);
    const row = await stored('campaigns', campaign);
    assert.equal(row.name, 'renamed');
    assert.equal(row.budget, '99.00');
    assert.equal(row.product_id, null);
    assert.equal(row.hlc, hlc(300), 'the campaign keeps the clock of its own write');
  });

  test("an edit made after another device's delete of the parent wins; one made before it does too", async () => {
    const u = user(be);
    const product = uuid();
    const after = uuid();
    const before = uuid();
    await u.push('a', [upsert(1, 'products', product, hlc(100), { name: 'p' }),
      upsert(2, 'campaigns', after, hlc(100), { name: 'x', product_id: product }),
      upsert(3, 'campaigns', before, hlc(100), { name: 'y', product_id: product })]);
    const { cursor } = await u.pullAll();
    assert.deepEqual(statuses(await u.push('a', [del(4, 'products', product, hlc(200))])), ['applied']);
    const { changes } = await u.pullAll(cursor);
    const cascaded = changes.find((c) => c.id === after);
    assert.equal(cascaded.row.product_id, null, 'devices hear of the cleared reference');
    assert.equal(cascaded.hlc, hlc(100), 'with the clock of the last write, not a new one');

    const r = await u.push('b', [upsert(1, 'campaigns', after, hlc(300, 0, 'b'), { name: 'edited after', product_id: product }),
      upsert(2, 'campaigns', before, hlc(150, 0, 'b'), { name: 'edited before', product_id: product })]);
    assert.deepEqual(statuses(r), ['applied', 'applied']);
    for (const [id, name] of [[after, 'edited after'], [before, 'edited before']]) {
      const row = await stored('campaigns', id);
      assert.equal(row.name, name);
      assert.equal(row.product_id, null, 'a reference to the deleted parent is cleared on write');
    }
  });

  test('a cascaded tombstone carries the clock of the delete that caused it (or its own, when newer)', async () => {
    const u = user(be);
    const product = uuid();
    const older = uuid();
    const newer = uuid();
    await u.push('a', [upsert(1, 'products', product, hlc(100), { name: 'p' }),
      upsert(2, 'product_images', older, hlc(100), { product_id: product, url: 'https://x/1.png' }),
      upsert(3, 'product_images', newer, hlc(500), { product_id: product, url: 'https://x/2.png' })]);
    await u.push('a', [del(4, 'products', product, hlc(300))]);
    const a = await stored('product_images', older);
    const b = await stored('product_images', newer);
    assert.deepEqual([a.deleted, a.hlc], [true, hlc(300)]);
    assert.deepEqual([b.deleted, b.hlc], [true, hlc(500)]);
  });
});

describe('a child written while its parent is deleted', () => {
  async function scenario(first) {
    const u = user(be);
    const campaign = uuid();
    const draft = uuid();
    await u.push('setup', [upsert(1, 'campaigns', campaign, hlc(100), { name: 'c' })]);
    const a = new pg.Client({ connectionString: be.pg.connectionString });
    const b = new pg.Client({ connectionString: be.pg.connectionString });
    await a.connect();
    await b.connect();
    const push = (client, clientId, change) =>
      client.query('select public.sync_push($1, $2::jsonb) as r', [clientId, JSON.stringify([change])]);
    try {
      await beginAs(a, u.id);
      await beginAs(b, u.id);
      const deleteCampaign = del(1, 'campaigns', campaign, hlc(200, 0, 'deleter'));
      const insertDraft = upsert(1, 'campaign_drafts', draft, hlc(300, 0, 'writer'), { campaign_id: campaign, step_data: { step: 1 } });
      // The first session writes and stays open; the second starts meanwhile.
      const [one, two] = first === 'delete' ? [a, b] : [b, a];
      await push(one, first === 'delete' ? 'deleter' : 'writer', first === 'delete' ? deleteCampaign : insertDraft);
      const second = push(two, first === 'delete' ? 'writer' : 'deleter', first === 'delete' ? insertDraft : deleteCampaign);
      await new Promise((r) => setTimeout(r, 200));
      await one.query('commit');
      const { rows } = await second;
      await two.query('commit');
      return { draft: await stored('campaign_drafts', draft), campaign: await stored('campaigns', campaign), result: rows[0].r.results[0] };
    } finally {
      await a.end();
      await b.end();
    }
  }

  test('delete first: the concurrent child insert waits for it and is stored as a tombstone', async () => {
    const { draft, campaign, result } = await scenario('delete');
    assert.equal(campaign.deleted, true);
    assert.equal(draft.deleted, true, 'no live draft under a tombstoned campaign');
    assert.equal(result.status, 'superseded');
  });

  test('insert first: the concurrent delete waits for it and tombstones the new child', async () => {
    const { draft, campaign } = await scenario('insert');
    assert.equal(campaign.deleted, true);
    assert.equal(draft.deleted, true, 'no live draft under a tombstoned campaign');
  });
});

describe('clocks are bounded wherever they enter', () => {
  test('the table route refuses a clock more than an hour ahead', async () => {
    const u = user(be);
    const id = uuid();
    const r = await restUpsert(u, 'products', { id, user_id: u.id, name: 'far future', hlc: future(5) });
    assert.equal(r.status, 400);
    assert.equal(r.body.code, '22023');
    assert.equal(await stored('products', id), null);
    const ok = await restUpsert(u, 'products', { id, user_id: u.id, name: 'near', hlc: future(0.5) });
    assert.equal(ok.status, 201);
  });

  test('a row poisoned with a far-future clock is recoverable: any valid write wins, and the repair re-stamps it', async () => {
    const u = user(be);
    const poisoned = uuid();
    const other = uuid();
    // As an older server could have stored them (triggers off, like a restore).
    await db.query("set session_replication_role = replica");
    try {
      for (const id of [poisoned, other]) {
        await db.query("insert into public.products (id, user_id, name, hlc) values ($1, $2, 'poisoned', '9999999999999-99999-evil')", [id, u.id]);
      }
    } finally {
      await db.query("set session_replication_role = origin");
    }
    const r = await u.push('c1', [upsert(1, 'products', poisoned, hlc(100), { name: 'recovered' })]);
    assert.deepEqual(statuses(r), ['applied']);
    assert.equal((await stored('products', poisoned)).name, 'recovered');

    // A write without a clock (table route) on a poisoned row gets a sane server clock.
    const plain = await restUpsert(u, 'products', { id: other, user_id: u.id, name: 'plain' });
    assert.equal(plain.status, 201);
    assert.match((await stored('products', other)).hlc, /^\d{13}-\d{5}-server$/);
    assert.ok((await stored('products', other)).hlc < future(1));

    await db.query("set session_replication_role = replica");
    await db.query("update public.products set hlc = '9999999999999-00000-evil' where id = $1", [other]);
    await db.query("set session_replication_role = origin");
    const { rows } = await db.query('select sync.repair_future_clocks() as n');
    assert.ok(rows[0].n >= 1);
    const repaired = await stored('products', other);
    assert.match(repaired.hlc, /^\d{13}-\d{5}-server$/);
    assert.ok(repaired.hlc < future(1));
  });
});

describe('deletes', () => {
  test('a delete of a row the server has not seen yet leaves a tombstone: a copy pushing the create later loses', async () => {
    const u = user(be);
    const id = uuid();
    assert.deepEqual(statuses(await u.push('device', [del(1, 'products', id, hlc(200))])), ['applied']);
    const stored = await db.query('select deleted, hlc, name from public.products where id = $1', [id]);
    assert.deepEqual(stored.rows[0], { deleted: true, hlc: hlc(200), name: null });
    const late = await u.push('copy', [upsert(1, 'products', id, hlc(100, 0, 'copy'), { name: 'created offline' })]);
    assert.equal(late.body.results[0].status, 'superseded');
    assert.equal(late.body.results[0].row.deleted, true);
    const { changes } = await u.pullAll();
    assert.deepEqual(changes.map((c) => [c.id, c.deleted]), [[id, true]]);
  });

  test("a delete of another user's id writes nothing and reveals nothing", async () => {
    const owner = user(be);
    const other = user(be);
    const id = uuid();
    await owner.push('o', [upsert(1, 'products', id, hlc(100), { name: 'mine' })]);
    assert.deepEqual(statuses(await other.push('x', [del(1, 'products', id, hlc(500, 0, 'x'))])), ['applied']);
    const row = (await db.query('select deleted, name, user_id from public.products where id = $1', [id])).rows[0];
    assert.deepEqual(row, { deleted: false, name: 'mine', user_id: owner.id });
  });

  test('a live row still needs its required columns', async () => {
    const u = user(be);
    const r = await u.push('c1', [upsert(1, 'campaigns', uuid(), hlc(100), { budget: 1 })]);
    assert.equal(r.body.results[0].code, 'CONSTRAINT');
  });
});

describe('mutation ids', () => {
  test('a reused mutation id with another payload is refused with a clear error, never answered from the record', async () => {
    const u = user(be);
    const first = uuid();
    const second = uuid();
    assert.deepEqual(statuses(await u.push('clone', [upsert(7, 'products', first, hlc(100), { name: 'first' })])), ['applied']);
    const again = await u.push('clone', [upsert(7, 'products', second, hlc(200), { name: 'second' })]);
    const [res] = again.body.results;
    assert.equal(res.status, 'rejected');
    assert.equal(res.code, 'CONFLICT');
    assert.equal(res.reason, 'mutation_id_reused');
    assert.match(res.message, /mutation_id 7/);
    assert.equal(await stored('products', second), null);
    // The same payload again is still the same push: its recorded result.
    const replay = await u.push('clone', [upsert(7, 'products', first, hlc(100), { name: 'first' })]);
    assert.deepEqual(statuses(replay), ['applied']);
  });
});

describe("the data API's limits", () => {
  test('sync_push rejects values the data API refuses, each alone', async () => {
    const u = user(be);
    const ok = uuid();
    const r = await u.push('c1', [
      upsert(1, 'products', uuid(), hlc(100), { name: 'x'.repeat(256) }),
      upsert(2, 'products', uuid(), hlc(100), { name: '' }),
      upsert(3, 'products', uuid(), hlc(100), { name: 'ok', price: -1 }),
      upsert(4, 'campaigns', uuid(), hlc(100), { name: 'c', status: 'bogus' }),
      upsert(5, 'campaigns', uuid(), hlc(100), { name: 'c', currency: 'EURO' }),
      upsert(6, 'products', uuid(), hlc(100), { name: 'm', metadata: { blob: 'y'.repeat(1024 * 1024) } }),
      upsert(7, 'creatives', uuid(), hlc(100), { width: 0 }),
      upsert(8, 'products', uuid(), hlc(100), { name: 'd', description: 'z'.repeat(65537) }),
      upsert(9, 'campaigns', uuid(), hlc(100), { name: 'c', starts_at: '20000-01-01T00:00:00Z' }),
      upsert(10, 'products', ok, hlc(100), { name: 'é'.repeat(255), description: 'z'.repeat(65536) }),
    ]);
    const res = r.body.results;
    for (let i = 0; i < 9; i++) {
      assert.equal(res[i].status, 'rejected', `change ${i + 1}: ${JSON.stringify(res[i])}`);
      assert.equal(res[i].code, 'INVALID_ARGUMENT', `change ${i + 1}: ${res[i].message}`);
    }
    assert.match(res[0].message, /name/);
    assert.equal(res[9].status, 'applied', res[9].message);
  });

  test('a 15 MiB name is refused by sync_push and by the table route', async () => {
    const u = user(be);
    const huge = 'n'.repeat(15 * 1024 * 1024);
    const r = await u.push('c1', [upsert(1, 'products', uuid(), hlc(100), { name: huge })]);
    assert.equal(r.status, 200);
    assert.equal(r.body.results[0].status, 'rejected');
    const rest = await restUpsert(u, 'products', { id: uuid(), user_id: u.id, name: huge });
    assert.equal(rest.status, 400);
  });

  test('a row already out of limits can still be deleted and cascaded', async () => {
    const u = user(be);
    const product = uuid();
    const image = uuid();
    await u.push('c1', [upsert(1, 'products', product, hlc(100), { name: 'p' }),
      upsert(2, 'product_images', image, hlc(100), { product_id: product, url: 'https://x/1.png' })]);
    await db.query("set session_replication_role = replica");
    await db.query("update public.product_images set alt_text = $2 where id = $1", [image, 'a'.repeat(5000)]);
    await db.query("set session_replication_role = origin");
    assert.deepEqual(statuses(await u.push('c1', [del(3, 'products', product, hlc(200))])), ['applied']);
    assert.equal((await stored('product_images', image)).deleted, true);
  });
});

describe('one timestamp format', () => {
  test('timestamps come back as YYYY-MM-DDTHH:MM:SS.mmmZ, from pulls and superseded rows', async () => {
    const u = user(be);
    const id = uuid();
    const startsAt = '2024-05-01T12:00:00.000Z';
    await u.push('c1', [upsert(1, 'campaigns', id, hlc(100), { name: 'c', starts_at: '2024-05-01T14:00:00+02:00',
      created_at: '2024-01-02T03:04:05.678Z', updated_at: '2024-01-02T03:04:05.678Z' })]);
    const { changes } = await u.pullAll();
    const row = changes.find((c) => c.id === id).row;
    assert.equal(row.starts_at, startsAt);
    assert.equal(row.created_at, '2024-01-02T03:04:05.678Z');
    assert.equal(row.ends_at, null);
    const older = await u.push('c2', [upsert(1, 'campaigns', id, hlc(50, 0, 'other'), { name: 'old' })]);
    assert.equal(older.body.results[0].row.starts_at, startsAt);
  });
});

describe('request bodies', () => {
  test('an over-deep JSON body is 400, not a transient 5xx', async () => {
    const u = user(be);
    const depth = 100_000;
    const body = `{"client_id":"c1","changes":[${'['.repeat(depth)}${']'.repeat(depth)}]}`;
    const res = await fetch(`${be.url}/rest/v1/rpc/sync_push`, {
      method: 'POST',
      headers: { apikey: be.anonKey, authorization: `Bearer ${u.token}`, 'content-type': 'application/json' },
      body,
    });
    assert.equal(res.status, 400);
    const json = await res.json();
    assert.match(json.code, /^(PGRST102|22023|54001)$/);
  });

  test('an over-size body is answered 413, not a reset connection', async () => {
    const u = user(be);
    const body = JSON.stringify({ client_id: 'c1', changes: [{ pad: 'x'.repeat(17 * 1024 * 1024) }] });
    const res = await fetch(`${be.url}/rest/v1/rpc/sync_push`, {
      method: 'POST',
      headers: { apikey: be.anonKey, authorization: `Bearer ${u.token}`, 'content-type': 'application/json' },
      body,
    });
    assert.equal(res.status, 413);
    assert.equal((await res.json()).code, 'PGRST413');
    const table = await fetch(`${be.url}/rest/v1/products`, {
      method: 'POST',
      headers: { apikey: be.anonKey, authorization: `Bearer ${u.token}`, 'content-type': 'application/json' },
      body,
    });
    assert.equal(table.status, 413);
  });
});
