// One sync run in a fresh worker thread, against the local backend
// (tools/backend: PostgreSQL 15 + the Supabase-compatible gateway).
//   seed        create n products (one batch) and push them (SyncLoop)
//   pull        a fresh in-memory engine of the same user: initial pull (SyncLoop)
//   push        a fresh user's engine with n new products: one sync cycle
//               (push everything, then the pull that follows)
//   naive-push  the same n rows written one per request with supabase-js:
//               from(table).upsert(row), i.e. PostgREST's POST /rest/v1/<table>
//               with Prefer: resolution=merge-duplicates (the gateway serves it)
//   naive-pull  supabase-js rpc('sync_pull') page by page (500 rows, like
//               ours), rows kept as one JSON string (the status quo's storage)
// workerData: {role, url, anonKey, token, userId, n}
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';

const { role, url, anonKey, token, userId, n } = workerData;
const now = () => performance.now();

async function engineFor() {
  const { createEngine } = await import('../../js/core.js');
  const { SyncLoop } = await import('../../js/sync/loop.js');
  const engine = await createEngine();
  engine.call('open');
  engine.call('sync.configure', { userId });
  const marks = { firstPull: null };
  const call = (op, args) => {
    const r = engine.call(op, args);
    if (op === 'sync.next' && r.kind === 'pull' && marks.firstPull === null) marks.firstPull = now();
    return r;
  };
  const loop = new SyncLoop({ call, url, anonKey, getAccessToken: () => token,
    options: { baseBackoffMs: 5, maxBackoffMs: 40, maxAttempts: 6 } });
  return { engine, loop, marks };
}

function createProducts(engine, count, tag) {
  const ops = [];
  for (let i = 0; i < count; i++) {
    ops.push({ op: 'products.create', args: { name: `${tag} product ${i}`, brand: 'Acme', category: 'shoes', price: `${1 + (i % 500)}.99` } });
  }
  engine.call('batch', { ops });
}

const count = (engine) => engine.call('sql.query', { sql: 'SELECT count(*) AS n FROM products' }).rows[0].n;

// Node 20 has no WebSocket and Realtime is not used: a transport that refuses
// to connect keeps supabase-js from asking for `ws` (as tests/server does).
class NoRealtime {
  constructor() { throw new Error('Realtime is not part of the local backend'); }
}

async function supabase() {
  const { createClient } = await import('@supabase/supabase-js');
  return createClient(url, anonKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: NoRealtime },
    global: { headers: { Authorization: `Bearer ${token}` } },
  });
}

async function main() {
  if (role === 'seed' || role === 'push') {
    const { engine, loop, marks } = await engineFor();
    createProducts(engine, n, role);
    const t0 = now();
    const summary = await loop.now();
    const ms = now() - t0;
    const pending = engine.call('sync.status').pending;
    engine.dispose();
    return { ms, pushMs: (marks.firstPull ?? now()) - t0, pushed: summary.pushed, pulled: summary.pulled,
      requests: summary.requests, pending, ok: summary.pushed >= n && pending === 0 };  // + the owner's users row
  }
  if (role === 'pull') {
    const { engine, loop } = await engineFor();
    const t0 = now();
    const summary = await loop.now();
    const ms = now() - t0;
    const rows = count(engine);
    engine.dispose();
    return { ms, pulled: summary.pulled, requests: summary.requests, rows, ok: rows === n };
  }
  if (role === 'naive-push') {
    // The rows our engine would push (same data, same encoding), each written
    // with its own supabase-js upsert; a batch's upserts are then handed back
    // to the engine as applied, so it moves on to the next batch (only the
    // requests are timed).
    const { engine } = await engineFor();
    createProducts(engine, n, 'naive');
    const db = await supabase();
    engine.call('sync.begin');
    let ms = 0, sent = 0, products = 0;
    for (;;) {
      const request = engine.call('sync.next');
      if (request.kind !== 'push') break;
      const { changes } = request.body;
      const results = [];
      const t0 = now();
      for (const change of changes) {
        if (change.op !== 'upsert') throw new Error(`naive peer: only upserts are expected, got ${change.op}`);
        const { error } = await db.from(change.table).upsert({ ...change.row, id: change.id, user_id: userId });
        if (error) throw new Error(`upsert into ${change.table}: ${error.message}`);
        results.push({ mutation_id: change.mutation_id, status: 'applied' });
      }
      ms += now() - t0;
      sent += changes.length;
      products += changes.filter((c) => c.table === 'products').length;
      const applied = engine.call('sync.apply', { id: request.id, status: 200, body: { results } });
      if (!applied.ok) throw new Error(`sync.apply refused the per-row answers: ${JSON.stringify(applied).slice(0, 300)}`);
    }
    const pending = engine.call('sync.status').pending;
    engine.dispose();
    return { ms, sent, products, pending, ok: products === n && pending === 0 };
  }
  if (role === 'naive-pull') {
    const db = await supabase();
    const t0 = now();
    const rows = [];
    let cursor = null;
    let pages = 0;
    for (;;) {
      const { data, error } = await db.rpc('sync_pull', { cursor, limit: 500 });
      if (error) throw new Error(`sync_pull: ${error.message}`);
      pages++;
      rows.push(...data.changes);
      cursor = data.cursor;
      if (!data.has_more) break;
    }
    const stored = JSON.stringify(rows.filter((r) => r.table === 'products').map((r) => r.row));
    const ms = now() - t0;
    const products = rows.filter((r) => r.table === 'products').length;
    return { ms, pages, rows: products, bytes: stored.length, ok: products === n };
  }
  throw new Error(`unknown role ${role}`);
}

main().then((result) => parentPort.postMessage({ result }), (e) => parentPort.postMessage({ error: String(e?.stack ?? e) }));
