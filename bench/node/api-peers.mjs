// The API workloads, written once per JS peer. Every peer gets the same
// data (bench/lib/data.mjs) and returns the same checksums, so the runner
// can check that all peers computed the same answer.
//   ours        campaign-store's public API in-thread: engine.call(op, args)
//   oursClient  the same ops through the worker client (openCampaignStore)
//   sqliteWasm  @sqlite.org/sqlite-wasm's oo1 API: the same schema and the
//               same statements, prepared once, bind/step/reset per row
// The native peers (raw C API, and our core's dispatcher) are in
// bench/native/driver.cpp and do the same steps in C++.
import { cents, readChecksum, stepData } from '../lib/data.mjs';
import { FTS_INDEX, STATEMENTS as S } from '../lib/statements.mjs';

// Runs in Node and in a browser worker (bench/browser/worker.js) alike.
const now = () => performance.now();
export function yieldNow() {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => { port1.close(); resolve(); };
    port2.postMessage(0);
  });
}

export function apiArgs(p) {
  return { name: p.name, brand: p.brand, category: p.category, price: p.price, description: p.description,
    images: p.images.map((im) => ({ url: im.url })) };
}

/**
 * `saves` autosaves round-robin over the campaigns, each timed:
 * save(campaignId, stepData) may be sync or async. Yields between saves, as
 * a worker does between two messages (lets batched durability's timer run).
 */
export async function timedSaves(campaignIds, saves, save) {
  const each = [];
  for (let i = 0; i < saves; i++) {
    const c = i % campaignIds.length;
    const sd = stepData(i, c);
    const t = now();
    await save(campaignIds[c], sd);
    each.push(now() - t);
    await yieldNow();
  }
  return latencies(each);
}

export function latencies(ms) {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { p50: at(0.5), p99: at(0.99), total: ms.reduce((a, b) => a + b, 0) };
}

const urlChars = (images) => images.reduce((n, im) => n + im.url.length, 0);

// ------------------------------------------------------------------ ours
/** call(op, args) may be sync (engine) or async (worker client): `await` covers both. */
export function oursPeer(call, { perCall = false } = {}) {
  return {
    async bulk(products) {
      const t0 = now();
      let ids;
      if (perCall) {
        ids = [];
        for (const p of products) ids.push((await call('products.create', apiArgs(p))).id);
      } else {
        const res = await call('batch', { ops: products.map((p) => ({ op: 'products.create', args: apiArgs(p) })) });
        ids = res.map((r) => r.id);
      }
      return { ms: now() - t0, ids };
    },
    async reads(ids, reads) {
      let sum = 0;
      const t0 = now();
      for (const i of reads) {
        const p = await call('products.get', { id: ids[i] });
        sum += readChecksum(p.name, cents(p.price), p.images.length, urlChars(p.images));
      }
      return { ms: now() - t0, checksum: sum };
    },
    async lists(categories, limit) {
      let items = 0, priceCents = 0, pages = 0;
      const t0 = now();
      for (const category of categories) {
        let cursor;
        do {
          const r = await call('products.list', cursor ? { category, limit, cursor } : { category, limit });
          pages++;
          items += r.items.length;
          for (const p of r.items) priceCents += cents(p.price);
          cursor = r.nextCursor;
        } while (cursor);
      }
      return { ms: now() - t0, checksum: { items, priceCents }, pages };
    },
    async search(terms) {
      let items = 0, nameChars = 0;
      const t0 = now();
      for (const q of terms) {
        const r = await call('search.query', { q });
        items += r.items.length;
        for (const it of r.items) nameChars += it.name.length;
      }
      return { ms: now() - t0, checksum: { items, nameChars } };
    },
    async campaigns(n) {
      const ids = [];
      for (let c = 0; c < n; c++) ids.push((await call('campaigns.create', { name: `Campaign ${c}` })).id);
      return ids;
    },
    drafts(campaignIds, saves) {
      return timedSaves(campaignIds, saves, (campaignId, stepData) => call('drafts.save', { campaignId, stepData }));
    },
    async check() {
      const row = async (sql) => Object.values((await call('sql.query', { sql })).rows[0]);
      return { products: await row(S.checkProducts), images: await row(S.checkImages), fts: await row(S.checkFts),
        drafts: await row(S.checkDrafts) };
    },
  };
}

// ------------------------------------------------------------ sqlite-wasm
let hlcCounter = 0;
const nodeId = 'bench0000000000';
function nextHlc() {
  // Same shape and size as ours: zero-padded ms, counter, node id.
  return `${String(Date.now()).padStart(15, '0')}:${String(++hlcCounter).padStart(5, '0')}:${nodeId}`;
}
const iso = (ms = Date.now()) => new Date(ms).toISOString();
const WEEK = 7 * 24 * 3600 * 1000;

// The bound parameters of the mirrored statements, shared by the sqlite-wasm peers.
export const params = {
  product: (id, p, at, hlc) => [id, null, p.name, p.description, p.brand, p.category, cents(p.price), null, null, '{}', '{}', '{}',
    'active', at, at, hlc],
  image: (imageId, productId, im, k, at, hlc) => [imageId, productId, im.url, null, null, null, null, k === 0 ? 1 : 0, '{}', at, at, hlc],
  campaign: (id, c, at) => [id, null, null, `Campaign ${c}`, null, 'draft', null, 'USD', null, null, null, '{}', '{}', '{}', '{}', null,
    'v2', at, at, nextHlc()],
  updateDraft: (id, text, at) => [id, 0, null, 1, text, 1, iso(at), 1, iso(at + WEEK), iso(at), nextHlc()],
  insertDraft: (id, campaignId, text, at) => [id, campaignId, text, iso(at), iso(at + WEEK), iso(at), iso(at), nextHlc()],
};
export { iso, nextHlc };

/**
 * Every page of the category walks through the mirrored list statements (the
 * sqlite-wasm peers): pageRows(category, after) answers up to limit + 1 rows
 * as arrays, `after` the last row's (created_at, rowid) or null.
 */
export async function walkLists(categories, limit, pageRows) {
  let items = 0, priceCents = 0, pages = 0;
  const t0 = now();
  for (const category of categories) {
    let after = null;
    for (;;) {
      const rows = await pageRows(category, after);
      pages++;
      const page = rows.slice(0, limit);
      items += page.length;
      for (const r of page) priceCents += r[6];
      if (rows.length <= limit) break;
      const last = page[page.length - 1];
      after = [last[15], last[16]];
    }
  }
  return { ms: now() - t0, checksum: { items, priceCents }, pages };
}

export async function openSqliteWasm(schema, moduleUrl = '@sqlite.org/sqlite-wasm') {
  const { default: init } = await import(moduleUrl);
  const sqlite3 = await init({ print: () => {}, printErr: () => {} });
  const open = (makeDb = () => new sqlite3.oo1.DB(':memory:', 'c')) => {
    const db = makeDb();
    // Our build's compile-time defaults, set at run time here.
    db.exec('PRAGMA foreign_keys=ON; PRAGMA cache_size=-8192');
    for (const sql of schema) db.exec(sql);
    return db;
  };
  return { sqlite3, open };
}

export function sqliteWasmPeer(db) {
  const stmts = {};
  const st = (name) => (stmts[name] ??= db.prepare(S[name]));
  const run = (name, params) => (params.length ? st(name).bind(params) : st(name)).stepReset();
  // As our Transaction::commit does: index what the transaction queued.
  const commit = () => {
    const q = st('ftsPending');
    q.step();
    const pending = q.get(0);
    q.reset();
    if (pending) for (const name of FTS_INDEX) run(name, []);
    run('commit', []);
  };
  return {
    bulk(products) {
      const t0 = now();
      const ids = [];
      run('begin', []);
      const ins = st('insertProduct');
      const img = st('insertImage');
      for (const p of products) {
        const id = crypto.randomUUID();
        const at = iso();
        const hlc = nextHlc();
        const price = cents(p.price);
        ins.bind(params.product(id, p, at, hlc)).stepReset();
        const images = [];
        p.images.forEach((im, k) => {
          const imageId = crypto.randomUUID();
          img.bind(params.image(imageId, id, im, k, at, hlc)).stepReset();
          images.push({ id: imageId, productId: id, url: im.url, isPrimary: k === 0, createdAt: at, updatedAt: at });
        });
        // What the API answers (the product and its images), built in JS as an app would.
        const out = { id, name: p.name, description: p.description, brand: p.brand, category: p.category, price,
          status: 'active', createdAt: at, updatedAt: at, images };
        ids.push(out.id);
      }
      commit();
      return { ms: now() - t0, ids };
    },
    reads(ids, reads) {
      let sum = 0;
      const qp = st('getProduct'), qi = st('getImages'), qb = st('getBackgrounds'), qc = st('getProductCampaigns');
      const t0 = now();
      for (const i of reads) {
        const id = ids[i];
        qp.bind([id]);
        if (!qp.step()) throw new Error(`no product ${id}`);
        const p = qp.get({});
        qp.reset();
        const images = [];
        qi.bind([id]);
        while (qi.step()) images.push(qi.get({}));
        qi.reset();
        if (images.length) {
          qb.bind([id]);
          while (qb.step()) qb.get({});
          qb.reset();
        }
        const campaigns = [];
        qc.bind([id]);
        while (qc.step()) campaigns.push(qc.get({}));
        qc.reset();
        sum += readChecksum(p.name, p.price, images.length, urlChars(images));
      }
      return { ms: now() - t0, checksum: sum };
    },
    lists(categories, limit) {
      const first = st('listFirst'), next = st('listNext');
      return walkLists(categories, limit, (category, after) => {
        const q = after ? next.bind([category, after[0], after[1], limit + 1]) : first.bind([category, limit + 1]);
        const rows = [];
        while (q.step()) rows.push(q.get([]));
        q.reset();
        return rows;
      });
    },
    search(terms) {
      let items = 0, nameChars = 0;
      const q = st('search');
      const t0 = now();
      for (const term of terms) {
        q.bind(1, `"${term}"*`).bind(3, 20);
        while (q.step()) {
          const r = q.get({});
          items++;
          nameChars += r.name.length;
        }
        q.reset();
      }
      return { ms: now() - t0, checksum: { items, nameChars } };
    },
    campaigns(n) {
      const ids = [];
      for (let c = 0; c < n; c++) {
        const id = crypto.randomUUID();
        const at = iso();
        run('begin', []);
        run('insertCampaign', params.campaign(id, c, at));
        commit();
        ids.push(id);
      }
      return ids;
    },
    async drafts(campaignIds, saves) {
      const each = [];
      const exists = st('campaignExists'), find = st('draftForCampaign'), get = st('getDraft');
      for (let i = 0; i < saves; i++) {
        const c = i % campaignIds.length;
        const sd = stepData(i, c);
        const t = now();
        const campaignId = campaignIds[c];
        run('begin', []);
        exists.bind([campaignId]);
        if (!exists.step()) throw new Error('no campaign');
        exists.reset();
        find.bind([campaignId]);
        let id = find.step() ? find.get(0) : null;
        find.reset();
        const at = Date.now();
        const text = JSON.stringify(sd);
        if (id) {
          run('updateDraft', params.updateDraft(id, text, at));
        } else {
          id = crypto.randomUUID();
          run('insertDraft', params.insertDraft(id, campaignId, text, at));
        }
        get.bind([id]);
        get.step();
        const row = get.get({});
        get.reset();
        commit();
        const out = { ...row, stepData: sd };
        if (!out.id) throw new Error('draft not saved');
        each.push(now() - t);
        await yieldNow();
      }
      return latencies(each);
    },
    check() {
      const row = (sql) => db.selectArray(sql);
      return { products: row(S.checkProducts), images: row(S.checkImages), fts: row(S.checkFts), drafts: row(S.checkDrafts) };
    },
    finalize() {
      for (const s of Object.values(stmts)) s.finalize();
    },
  };
}
