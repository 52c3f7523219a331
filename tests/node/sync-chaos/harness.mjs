// A seeded, randomized convergence run: several devices of two users (in-
// thread wasm engines on real files) make random writes of every entity
// kind (data API, raw SQL, blobs), go offline, close and reopen, clone and
// restore exports, and sync alone or at the same time through every fault
// the gateway can inject. Then everything syncs to quiescence and the
// result is checked:
//   - every device passes integrity_check and foreign_key_check (health ok);
//   - the devices of a user are byte-identical to each other and to a fresh
//     device that pulls everything from the server;
//   - no row crosses users;
//   - for every row, the write with the newest clock survived (or a
//     delete of an ancestor removed it);
//   - every device whose write was overwritten by another's heard about it
//     (onConflict);
//   - every referenced blob is fetchable.
// The plan (which device does what, with which faults) is a function of the
// seed alone; clocks, ids of nested rows and server timing are not, so a run
// is reproducible in its operations, not byte for byte.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { createEngine } from '../../../js/core.js';
import { engineCaller } from '../../../js/legacy/index.js';
import { SyncLoop } from '../../../js/sync/loop.js';

/** mulberry32: a small, fast, seedable PRNG. */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
    uuid() {
      const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16));
      hex[12] = '4';
      hex[16] = '89ab'[Math.floor(next() * 4)];
      const s = hex.join('');
      return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
    },
  };
}

// Synced tables and, per table, its foreign keys: [column, parent, cascade?].
export const TABLES = {
  users: [],
  products: [['user_id', 'users', true]],
  product_images: [['product_id', 'products', true]],
  background_versions: [['product_image_id', 'product_images', true]],
  campaigns: [['product_id', 'products', false]],
  campaign_drafts: [['campaign_id', 'campaigns', true]],
  creatives: [['campaign_id', 'campaigns', true]],
  creative_assets: [['creative_id', 'creatives', true]],
  platform_integrations: [],
  campaign_publications: [['campaign_id', 'campaigns', true], ['platform_integration_id', 'platform_integrations', false]],
  ai_generations: [],
};
const BLOB_TABLES = new Set(['product_images', 'background_versions', 'creative_assets']);
// Columns an upload, the server (the owner) or bookkeeping rewrite after the write that set them.
const REWRITTEN = new Set(['url', 'storage_path', 'hlc', 'seq', 'user_id']);

const FAULTS = [{ drop: 1 }, { dropResponse: 1 }, { fail503: 2 }, { duplicate: 1 }, { delayMs: 20, delayCount: 2 },
  { dropResponse: 2, fail503: 1 }];

class Device {
  constructor(run, name, userId, dir) {
    Object.assign(this, { run, name, userId, dir });
    this.online = true;
    this.incarnation = 0;   // bumps when an import replaces the database
    this.lastMid = 0;
    this.heard = [];        // conflicts from onConflict: {table, id, step, incarnation}
    this.backup = null;
  }

  async open(importBytes) {
    this.engine = await createEngine({ storage: { kind: 'node', dir: this.dir } });
    this.call = engineCaller(this.engine);
    if (importBytes) {
      this.engine.importDatabase(importBytes);
      this.incarnation++;
    }
    this.call('sync.configure', { userId: this.userId, url: this.run.be.url });
    const seq = this.call('sql.query', { sql: "SELECT seq FROM sqlite_sequence WHERE name = 'sync_outbox'" }).rows[0];
    this.lastMid = Math.max(this.lastMid * (importBytes ? 0 : 1), seq?.seq ?? 0);
    this.loop = new SyncLoop({
      call: this.call,
      url: this.run.be.url,
      anonKey: this.run.be.anonKey,
      getAccessToken: () => this.run.be.mintToken({ sub: this.userId }),
      onConflict: (c) => this.heard.push({ table: c.table, id: c.id, step: this.run.step, incarnation: this.incarnation }),
      options: { baseBackoffMs: 2, maxBackoffMs: 20, maxAttempts: 8, timeoutMs: 10_000 },
    });
  }

  close() {
    this.engine.dispose();
    this.engine = null;
  }

  rows(table, where = '') {
    return this.call('sql.query', { sql: `SELECT * FROM "${table}" ${where} ORDER BY id` }).rows;
  }

  ids(table) {
    return this.call('sql.query', { sql: `SELECT id FROM "${table}" ORDER BY id` }).rows.map((r) => r.id);
  }

  /** Records the writes the last operation captured (the outbox rows it added). */
  record() {
    const added = this.call('sql.query', {
      sql: 'SELECT mutation_id, table_name, row_id, op, hlc, changed FROM sync_outbox WHERE mutation_id > ? ORDER BY mutation_id',
      params: [this.lastMid],
    }).rows;
    for (const w of added) {
      this.lastMid = Math.max(this.lastMid, w.mutation_id);
      const snapshot = w.op === 'delete' ? null : this.rows(w.table_name, `WHERE id = '${w.row_id.replace(/'/g, "''")}'`)[0] ?? null;
      this.run.writes.push({ device: this.name, incarnation: this.incarnation, user: this.userId, table: w.table_name,
        id: w.row_id, op: w.op, hlc: w.hlc, changed: w.changed === null ? null : w.changed.split('|').filter(Boolean),
        snapshot, step: this.run.step });
    }
  }
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/**
 * Runs one seeded chaos run against `be` (a started local backend; `db` a
 * superuser connection to its database). Resolves with a summary; rejects
 * with an error that names the seed. `trace` hears one line per step.
 */
export async function runChaos({ be, db, seed, steps = 80, trace = () => {} }) {
  const rand = prng(seed);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `campaign-store-chaos-${seed}-`));
  const run = { be, db, step: 0, writes: [], devices: [] };
  const users = [rand.uuid(), rand.uuid()];
  const stats = { ops: 0, failedOps: 0, syncs: 0, failedSyncs: 0, concurrent: 0, reopens: 0, clones: 0, restores: 0,
    blobs: 0, rawSql: 0, faults: 0 };
  let deviceCount = 0;
  const addDevice = async (userId, importBytes) => {
    const d = new Device(run, `d${++deviceCount}`, userId, path.join(root, `d${deviceCount}`));
    fs.mkdirSync(d.dir);
    await d.open(importBytes);
    run.devices.push(d);
    return d;
  };
  try {
    for (const [user, n] of [[users[0], 3], [users[1], 2]]) for (let i = 0; i < n; i++) await addDevice(user);
    // Each user's profile is written once, so every device ends with the same users row.
    for (const user of users) {
      const d = run.devices.find((x) => x.userId === user);
      d.call('users.update', { id: user, name: `user ${user.slice(0, 4)}` });
      d.record();
    }

    for (run.step = 1; run.step <= steps; run.step++) {
      const d = rand.pick(run.devices);
      const roll = rand.next();
      trace(`step ${run.step}: ${d.name} (${d.online ? 'online' : 'offline'}) roll ${roll.toFixed(3)}, ` +
        `pending ${d.call('sync.status').pending}, writes so far ${run.writes.length}`);
      if (roll < 0.62) {
        stats.ops++;
        if (!write(d, rand, stats)) stats.failedOps++;
        d.record();
      } else if (roll < 0.80) {
        if (!d.online) continue;
        await syncWithFaults([d], rand, stats, be, trace);
      } else if (roll < 0.85) {
        const group = run.devices.filter((x) => x.online && rand.chance(0.5)).slice(0, 3);
        if (group.length < 2) continue;
        stats.concurrent++;
        await syncWithFaults(group, rand, stats, be, trace);
      } else if (roll < 0.90) {
        d.online = !d.online;
      } else if (roll < 0.94) {
        stats.reopens++;
        d.close();
        await d.open();
      } else if (roll < 0.97 && deviceCount < 8) {
        // Another device of the same user starts from this one's export.
        stats.clones++;
        await addDevice(d.userId, d.engine.exportDatabase());
      } else {
        await backupOrRestore(d, rand, stats, be);
      }
    }

    // Quiescence: no faults, everyone online, rounds until nothing moves.
    be.faults.reset();
    for (const d of run.devices) d.online = true;
    for (let round = 0; ; round++) {
      assert.ok(round < 8, `seed ${seed}: no quiescence after 8 rounds`);
      let moved = 0;
      for (const d of run.devices) {
        const s = await d.loop.now();
        trace(`  quiescence round ${round}: ${d.name} synced: ${JSON.stringify(s)}`);
        moved += s.pushed + s.pulled + s.uploaded + s.superseded + s.rejected;
      }
      if (moved === 0) break;
    }
    await check(run, users, seed);
    return { seed, steps, devices: run.devices.length, writes: run.writes.length, ...stats };
  } catch (err) {
    err.message = `chaos seed ${seed}: ${err.message}\n(rerun with CHAOS_SEEDS=${seed})`;
    throw err;
  } finally {
    be.faults.reset();
    for (const d of run.devices) if (d.engine) d.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

async function syncWithFaults(group, rand, stats, be, trace) {
  if (rand.chance(0.6)) {
    be.faults.set(rand.pick(FAULTS));
    stats.faults++;
  }
  const results = await Promise.allSettled(group.map((d) => d.loop.now()));
  for (const [i, r] of results.entries()) {
    trace(`  ${group[i].name} synced: ${r.status === 'fulfilled' ? JSON.stringify(r.value) : r.reason}`);
    stats.syncs++;
    if (r.status === 'rejected') {
      stats.failedSyncs++;
      // A cycle may give up on a faulty network; anything else is a bug.
      assert.equal(r.reason.code, 'NETWORK', `sync failed: ${r.reason.stack ?? r.reason}`);
    }
  }
  be.faults.reset();
}

async function backupOrRestore(d, rand, stats, be) {
  if (!d.online) return;
  // Only a device that has pushed everything is backed up or restored: a
  // restore throws away local writes the backup lacks, by design.
  be.faults.reset();
  const s = await d.loop.now();
  if (d.call('sync.status').pending !== 0 || s.rejected) return;
  if (!d.backup || rand.chance(0.4)) {
    d.backup = d.engine.exportDatabase();
    return;
  }
  stats.restores++;
  d.engine.importDatabase(d.backup);
  d.incarnation++;
  d.call('sync.configure', { userId: d.userId, url: be.url });
  const seq = d.call('sql.query', { sql: "SELECT seq FROM sqlite_sequence WHERE name = 'sync_outbox'" }).rows[0];
  d.lastMid = seq?.seq ?? 0;
}

// --------------------------------------------------------------- writes

function tiny(rand) {
  const bytes = new Uint8Array(24 + rand.int(64));
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  for (let i = 8; i < bytes.length; i++) bytes[i] = rand.int(256);
  return bytes;
}

function imageUrl(d, rand, stats) {
  if (!rand.chance(0.5)) return `https://cdn.example/${rand.int(1e6)}.png`;
  stats.blobs++;
  return d.call('blobs.put', { bytes: tiny(rand), mime: 'image/png' }).ref;
}

/**
 * One random write on `d`, among those whose rows exist here; false when the
 * data API refused it (a status change that is not allowed, say).
 */
function write(d, rand, stats) {
  const pick = (table) => rand.pick(d.ids(table));
  const word = () => rand.pick(['alpha', 'beta', 'gamma', 'delta', 'omega', 'zeta']) + rand.int(100);
  const money = () => `${rand.int(5000)}.${String(rand.int(100)).padStart(2, '0')}`;
  const maybe = (table) => (rand.chance(0.6) && d.ids(table).length ? pick(table) : undefined);
  // [the table whose rows the write needs (or null), weight, the write]
  const ops = [
    [null, 4, () => d.call('products.create', { id: rand.uuid(), name: word(), price: money(), brand: word(),
      metadata: { tags: [word()], n: rand.int(9) } })],
    ['products', 3, () => d.call('products.update', { id: pick('products'), [rand.pick(['name', 'brand', 'description'])]: word() })],
    ['products', 2, () => d.call('products.update', { id: pick('products'), price: money(), metadata: { v: rand.int(99) } })],
    ['products', 1, () => d.call('products.delete', { id: pick('products') })],
    ['products', 3, () => d.call('images.add', { productId: pick('products'), id: rand.uuid(), url: imageUrl(d, rand, stats),
      altText: word() })],
    ['product_images', 2, () => d.call('images.update', { id: pick('product_images'), altText: word() })],
    ['product_images', 1, () => d.call('images.setPrimary', { imageId: pick('product_images') })],
    ['product_images', 1, () => d.call('images.delete', { id: pick('product_images') })],
    ['product_images', 2, () => d.call('backgrounds.add', { productImageId: pick('product_images'), url: imageUrl(d, rand, stats),
      prompt: word() })],
    ['background_versions', 1, () => d.call('backgrounds.activate', { id: pick('background_versions') })],
    ['background_versions', 1, () => d.call('backgrounds.delete', { id: pick('background_versions') })],
    [null, 3, () => d.call('campaigns.create', { id: rand.uuid(), name: word(), budget: money(), productId: maybe('products'),
      audienceConfig: { ages: [18, 30 + rand.int(30)] } })],
    ['campaigns', 3, () => d.call('campaigns.update', { id: pick('campaigns'), [rand.pick(['name', 'type'])]: word() })],
    ['campaigns', 2, () => d.call('campaigns.update', { id: pick('campaigns'), budget: money(),
      productId: rand.chance(0.5) ? maybe('products') ?? null : null })],
    ['campaigns', 1, () => d.call('campaigns.setStatus', { id: pick('campaigns'),
      status: rand.pick(['scheduled', 'active', 'paused', 'archived']) })],
    ['campaigns', 1, () => d.call('campaigns.delete', { id: pick('campaigns') })],
    ['campaigns', 3, () => d.call('drafts.save', { campaignId: pick('campaigns'), stepData: { step: rand.int(5), note: word() } })],
    ['campaigns', 2, () => d.call('creatives.create', { campaignId: pick('campaigns'), id: rand.uuid(), name: word(),
      width: 100 + rand.int(900), elements: [{ type: 'text', value: word() }] })],
    ['creatives', 2, () => d.call('creatives.update', { id: pick('creatives'), elements: [{ type: 'text', value: word() }] })],
    ['creatives', 1, () => d.call('creatives.delete', { id: pick('creatives') })],
    ['creatives', 2, () => d.call('assets.create', { creativeId: pick('creatives'), id: rand.uuid(), type: 'image',
      url: imageUrl(d, rand, stats) })],
    ['creative_assets', 1, () => d.call('assets.update', { id: pick('creative_assets'), content: word() })],
    ['creative_assets', 1, () => d.call('assets.delete', { id: pick('creative_assets') })],
    [null, 1, () => d.call('integrations.create', { id: rand.uuid(), platformId: rand.pick(['meta', 'tiktok']),
      platformAccountId: word() })],
    ['platform_integrations', 1, () => d.call('integrations.update', { id: pick('platform_integrations'), settings: { level: rand.int(5) } })],
    ['platform_integrations', 1, () => d.call('integrations.delete', { id: pick('platform_integrations') })],
    ['campaigns', 1, () => d.call('publications.create', { campaignId: pick('campaigns'), id: rand.uuid(),
      platformIntegrationId: maybe('platform_integrations') })],
    ['campaign_publications', 1, () => d.call('publications.update', { id: pick('campaign_publications'),
      status: rand.pick(['pending', 'live', 'failed']) })],
    ['campaign_publications', 1, () => d.call('publications.delete', { id: pick('campaign_publications') })],
    [null, 1, () => d.call('ai.create', { id: rand.uuid(), type: 'copy', prompt: word(), costCredits: '0.0125' })],
    ['ai_generations', 1, () => d.call('ai.update', { id: pick('ai_generations'), responseData: { text: word() } })],
    [null, 1, () => d.call('users.update', { id: d.userId, name: word() })],
    // Raw SQL, through the same capture as everything else.
    ['products', 2, () => {
      stats.rawSql++;
      d.call('sql.exec', { sql: 'UPDATE products SET category = ?, updated_at = ? WHERE id = ?',
        params: [word(), new Date().toISOString(), pick('products')] });
    }],
    [null, 1, () => {
      stats.rawSql++;
      d.call('sql.exec', { sql: "INSERT INTO ai_generations(id, user_id, type, prompt, service) VALUES (?, ?, 'background', ?, 'fal')",
        params: [rand.uuid(), d.userId, word()] });
    }],
  ].filter(([needs]) => needs === null || d.ids(needs).length > 0);
  let roll = rand.next() * ops.reduce((sum, [, weight]) => sum + weight, 0);
  const [, , op] = ops.find(([, weight]) => (roll -= weight) < 0) ?? ops[ops.length - 1];
  try {
    op();
    return true;
  } catch (err) {
    if (!['NOT_FOUND', 'INVALID_ARGUMENT', 'CONSTRAINT', 'CONFLICT'].includes(err.code)) throw err;
    return false;
  }
}

// --------------------------------------------------------------- checks

function dump(d) {
  const out = {};
  for (const table of Object.keys(TABLES)) out[table] = d.rows(table).map(({ seq, ...row }) => row);
  return out;
}

const parseMaybeJson = (v) => {
  if (typeof v !== 'string' || !/^[[{]/.test(v)) return v;
  try { return JSON.parse(v); } catch { return v; }
};

async function check(run, users, seed) {
  const byUser = new Map(users.map((u) => [u, run.devices.filter((d) => d.userId === u)]));
  // Devices: sound databases.
  for (const d of run.devices) {
    const health = d.call('health');
    assert.equal(health.ok, true, `${d.name} health: ${JSON.stringify(health)}`);
    assert.deepEqual(d.call('sql.query', { sql: 'PRAGMA integrity_check' }).rows, [{ integrity_check: 'ok' }], `${d.name} integrity`);
    assert.deepEqual(d.call('sql.query', { sql: 'PRAGMA foreign_key_check' }).rows, [], `${d.name} foreign keys`);
    assert.equal(d.call('sync.status').pending, 0, `${d.name} still has pending changes`);
    assert.equal(d.call('sync.status').rejected, 0, `${d.name} has rejected changes: ${JSON.stringify(d.call('sql.query', { sql: 'SELECT * FROM sync_rejected' }).rows)}`);
  }
  for (const [user, devices] of byUser) {
    // A fresh device of the user: what the server holds, through a full pull.
    const fresh = new Device(run, `fresh-${user.slice(0, 4)}`, user, fs.mkdtempSync(path.join(os.tmpdir(), 'campaign-store-chaos-fresh-')));
    try {
      await fresh.open();
      await fresh.loop.now();
      const truth = dump(fresh);
      for (const d of devices) assert.deepEqual(dump(d), truth, `${d.name} differs from the server's state`);

      // No row crosses users: every id here was written by this user's devices.
      const mine = new Set(run.writes.filter((w) => w.user === user).map((w) => `${w.table}/${w.id}`));
      for (const [table, rows] of Object.entries(truth))
        for (const row of rows) assert.ok(table === 'users' ? row.id === user : mine.has(`${table}/${row.id}`), `${table}/${row.id} is not ${user}'s`);
      const { rows: server } = await run.db.query(
        `select t.table, t.id from (${Object.keys(TABLES).map((t) => `select '${t}' as table, id::text, user_id from public.${t}`).join(' union all ')}) t where t.user_id = $1`,
        [user]);
      for (const r of server) assert.ok(r.table === 'users' || mine.has(`${r.table}/${r.id}`), `server ${r.table}/${r.id} crossed users`);

      checkNewestWrite(run, user, truth, seed);
      checkConflictsHeard(run, devices, truth);
      await checkBlobs(run, [...devices, fresh]);
    } finally {
      fresh.close();
      fs.rmSync(fresh.dir, { recursive: true, force: true });
    }
  }
}

function ancestorDeleted(run, user, table, snapshot) {
  // A CASCADE parent of the row (or its parent's, ...) was deleted by some write.
  for (const [column, parent, cascade] of TABLES[table]) {
    if (!cascade || !snapshot?.[column]) continue;
    const id = snapshot[column];
    if (run.writes.some((w) => w.user === user && w.table === parent && w.id === id && w.op === 'delete')) return true;
    const parentSnapshot = [...run.writes].reverse().find((w) => w.table === parent && w.id === id && w.snapshot)?.snapshot;
    if (parentSnapshot && ancestorDeleted(run, user, parent, parentSnapshot)) return true;
  }
  return false;
}

function checkNewestWrite(run, user, truth, seed) {
  const newest = new Map();
  for (const w of run.writes) {
    if (w.user !== user) continue;
    const key = `${w.table}/${w.id}`;
    if (!newest.has(key) || w.hlc > newest.get(key).hlc) newest.set(key, w);
  }
  const index = new Map(Object.entries(truth).flatMap(([t, rows]) => rows.map((r) => [`${t}/${r.id}`, r])));
  for (const [key, w] of newest) {
    const row = index.get(key);
    const history = () => JSON.stringify(run.writes.filter((x) => `${x.table}/${x.id}` === key)
      .map(({ device, incarnation, op, hlc, step, changed }) => ({ device, incarnation, op, hlc, step, changed })));
    if (w.op === 'delete') {
      assert.equal(row, undefined, `${key}: its newest write (${w.hlc}, ${w.device}) deleted it, yet it is there ` +
        `(clock ${row?.hlc}): ${history()}`);
      continue;
    }
    if (!row) {
      assert.ok(ancestorDeleted(run, user, w.table, w.snapshot),
        `${key}: its newest write (${w.hlc}, ${w.device} at step ${w.step}) is lost: no delete of it or of a parent: ${history()}`);
      continue;
    }
    assert.ok(row.hlc === null || row.hlc >= w.hlc || w.table === 'users',
      `${key}: stored clock ${row.hlc} is older than its newest write ${w.hlc}: ${history()}`);
    for (const [column, value] of Object.entries(w.snapshot)) {
      if (REWRITTEN.has(column)) continue;
      const fk = TABLES[w.table].find(([c]) => c === column);
      if (fk && row[column] === null && value !== null) {
        // SET NULL: the parent it named was deleted (and may have been
        // revived since: the reference stays cleared).
        assert.ok(run.writes.some((x) => x.table === fk[1] && x.id === value && x.op === 'delete'),
          `${key}.${column} lost its reference to ${fk[1]} ${value}, which nobody deleted`);
        continue;
      }
      assert.deepEqual(parseMaybeJson(row[column]), parseMaybeJson(value),
        `${key}.${column}: the newest write (${w.hlc}, ${w.device} at step ${w.step}) wrote ${JSON.stringify(value)}, ` +
        `the row has ${JSON.stringify(row[column])} (seed ${seed})`);
    }
    if (BLOB_TABLES.has(w.table) && typeof w.snapshot.url === 'string' && w.snapshot.url.startsWith('blob:sha256:')) {
      const hash = w.snapshot.url.slice(12, 76);
      assert.ok(row.url === w.snapshot.url || row.url.endsWith(`/${hash}`), `${key}.url: ${row.url} is not blob ${hash}`);
    } else if (BLOB_TABLES.has(w.table)) {
      assert.equal(row.url, w.snapshot.url, `${key}.url`);
    }
  }
}

function checkConflictsHeard(run, devices, truth) {
  // A device's last write of a row that the final row does not hold (another
  // device's newer write replaced it) must have been reported to it.
  const index = new Map(Object.entries(truth).flatMap(([t, rows]) => rows.map((r) => [`${t}/${r.id}`, r])));
  for (const d of devices) {
    const last = new Map();
    for (const w of run.writes) if (w.device === d.name && w.incarnation === d.incarnation) last.set(`${w.table}/${w.id}`, w);
    for (const [key, w] of last) {
      if (w.op !== 'upsert' || w.table === 'users') continue;
      const row = index.get(key);
      const lost = !row ? [] : (w.changed ?? Object.keys(w.snapshot)).filter((column) => {
        if (REWRITTEN.has(column) || column === 'created_at' || column === 'updated_at') return false;
        if (TABLES[w.table].some(([c]) => c === column)) return false;
        return !isDeepStrictEqual(parseMaybeJson(row[column]), parseMaybeJson(w.snapshot[column]));
      });
      if (lost.length === 0) continue;
      assert.ok(d.heard.some((c) => `${c.table}/${c.id}` === key && c.step >= w.step && c.incarnation === w.incarnation),
        `${d.name}'s write of ${key} (step ${w.step}, ${w.hlc}) was overwritten without a conflict reported to it: ` +
        lost.map((c) => `${c} ${JSON.stringify(w.snapshot[c])} -> ${JSON.stringify(row[c])}`).join(', ') +
        ` (row clock ${row.hlc}; its writes: ${JSON.stringify(run.writes.filter((x) => `${x.table}/${x.id}` === key)
          .map(({ device, incarnation, op, hlc, step, changed }) => ({ device, incarnation, op, hlc, step, changed })))}; ` +
        `heard: ${JSON.stringify(d.heard.filter((c) => `${c.table}/${c.id}` === key))})`);
    }
  }
}

async function checkBlobs(run, devices) {
  const publicPrefix = `${run.be.url}/storage/v1/object/public/`;
  const fetched = new Map();
  for (const d of devices) {
    for (const table of BLOB_TABLES) {
      for (const row of d.rows(table)) {
        if (typeof row.url !== 'string') continue;
        if (row.url.startsWith('blob:sha256:')) {
          assert.ok(d.call('blobs.info', { hash: row.url }), `${d.name} ${table}/${row.id} references a blob it lacks`);
          continue;
        }
        if (!row.url.startsWith(publicPrefix)) continue;
        if (!fetched.has(row.url)) {
          const res = await fetch(row.url);
          assert.equal(res.status, 200, `${row.url} is not fetchable`);
          fetched.set(row.url, sha256(Buffer.from(await res.arrayBuffer())));
        }
        assert.equal(fetched.get(row.url), row.url.slice(-64), `${row.url} serves other bytes`);
      }
    }
  }
}
