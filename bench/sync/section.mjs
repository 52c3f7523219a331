// Sync against the local backend: initial pull and push, ours (in-thread
// engine + SyncLoop) vs naive supabase-js loops, each run in a fresh worker.
import { Section } from '../lib/report.mjs';
import { inWorker } from '../lib/run-peer.mjs';

const worker = new URL('./sync-worker.mjs', import.meta.url);

// Rows of `userId` in public.products, counted as the superuser.
async function serverProducts(be, userId) {
  const { default: pg } = await import('pg');
  const db = new pg.Client({ connectionString: be.pg.connectionString });
  await db.connect();
  try {
    const { rows } = await db.query('select count(*)::int as n from public.products where user_id = $1 and not deleted', [userId]);
    return rows[0].n;
  } finally {
    await db.end();
  }
}

export async function syncSection(ctx) {
  const pullRows = ctx.mode === 'quick' ? 2_000 : 10_000;
  const pushRows = ctx.mode === 'quick' ? 200 : 1_000;
  const s = new Section('Sync: local backend (PostgreSQL 15 + Supabase-compatible gateway on loopback)', {
    intro: `Initial pull of ${pullRows.toLocaleString()} product rows into a fresh in-memory engine (SyncLoop, default ` +
      `pullPage 500), and one sync cycle pushing ${pushRows.toLocaleString()} new products (default pushBatch 200; the cycle ` +
      'ends with the pull of its own echo). Naive peers: a per-row supabase-js `from(\'products\').upsert(row)` loop ' +
      '(PostgREST\'s `POST /rest/v1/products` with `Prefer: resolution=merge-duplicates`, run by the gateway as the user ' +
      'under RLS) over the same rows, and `rpc(\'sync_pull\')` pages kept as one JSON string (the status quo has no ' +
      'database to write into). Each workload is given as time and as throughput (rows ÷ each run\'s time).',
  });
  let be;
  try {
    const { startBackend } = await import('../../tools/backend/backend.mjs');
    ctx.log('  starting the local backend');
    be = await startBackend({ port: 0 });
  } catch (e) {
    s.note(`Skipped: the local backend did not start (${String(e.message).split('\n')[0]}).`);
    s.finish();
    return s;
  }
  try {
    const user = () => crypto.randomUUID();
    const base = { url: be.url, anonKey: be.anonKey };
    const seedUser = user();
    const seedToken = be.mintToken({ sub: seedUser });
    ctx.log(`  seeding ${pullRows} rows`);
    const seed = await inWorker(worker, { ...base, role: 'seed', token: seedToken, userId: seedUser, n: pullRows }, { timeoutMs: 300_000 });
    s.note(`Seeding pushed ${seed.pushed} rows in ${seed.requests} requests, ${(seed.pushMs / 1000).toFixed(2)} s (one run, not compared).`);
    const runs = { pull: [], naivePull: [], push: [], pushPhase: [], naivePush: [] };
    const okAll = { pull: true, naivePull: true, push: true, naivePush: true };
    for (let r = 0; r < ctx.reps; r++) {
      ctx.log(`  sync run ${r + 1}/${ctx.reps}`);
      // Alternate which peer pulls first, so server-side caches favour neither.
      const pullOurs = async () => {
        const pull = await inWorker(worker, { ...base, role: 'pull', token: be.mintToken({ sub: seedUser }), userId: seedUser, n: pullRows }, { timeoutMs: 300_000 });
        runs.pull.push(pull.ms);
        okAll.pull &&= pull.ok;
      };
      const pullNaive = async () => {
        const np = await inWorker(worker, { ...base, role: 'naive-pull', token: be.mintToken({ sub: seedUser }), userId: seedUser, n: pullRows }, { timeoutMs: 300_000 });
        runs.naivePull.push(np.ms);
        okAll.naivePull &&= np.ok;
      };
      for (const f of r % 2 ? [pullNaive, pullOurs] : [pullOurs, pullNaive]) await f();
      const pu = user();
      const push = await inWorker(worker, { ...base, role: 'push', token: be.mintToken({ sub: pu }), userId: pu, n: pushRows }, { timeoutMs: 300_000 });
      runs.push.push(push.ms);
      runs.pushPhase.push(push.pushMs);
      okAll.push &&= push.ok;
      const nu = user();
      const naive = await inWorker(worker, { ...base, role: 'naive-push', token: be.mintToken({ sub: nu }), userId: nu, n: pushRows }, { timeoutMs: 300_000 });
      runs.naivePush.push(naive.ms);
      // The server must hold every row the upserts wrote, under that user.
      const stored = await serverProducts(be, nu);
      okAll.naivePush &&= naive.ok && stored === pushRows;
    }
    const pullW = `initial pull, ${pullRows.toLocaleString()} rows`;
    const pushW = `push ${pushRows.toLocaleString()} changes`;
    const peers = [
      [pullW, pullRows, 'ours: SyncLoop into the engine', runs.pull, okAll.pull],
      [pullW, pullRows, 'naive: supabase-js sync_pull pages → JSON string', runs.naivePull, okAll.naivePull],
      [pushW, pushRows, 'ours: push phase of the cycle', runs.pushPhase, okAll.push],
      [pushW, pushRows, 'ours: whole cycle (push + pull of the echo)', runs.push, okAll.push],
      [pushW, pushRows, 'naive: supabase-js from(\'products\').upsert(row) per row', runs.naivePush, okAll.naivePush],
    ];
    for (const [workload, , peer, values, ok] of peers) s.add(workload, peer, values, { ok });
    for (const [workload, rows, peer, values, ok] of peers) {
      s.add(`${workload} (throughput)`, peer, values.map((ms) => rows / (ms / 1000)), { unit: 'rows/s', better: 'higher', ok });
    }
    s.note('Verified: the pulling engine holds exactly the seeded rows; pushes leave nothing pending; the naive pull ' +
      'returns every seeded row; the naive push sent one upsert per row, left nothing pending, and the server holds ' +
      'every one of its rows under its user.');
  } finally {
    await be.stop();
  }
  s.finish();
  return s;
}
