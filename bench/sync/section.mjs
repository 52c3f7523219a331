// Sync against the local backend: initial pull and push, ours (in-thread
// engine + SyncLoop) vs naive supabase-js loops, each run in a fresh worker.
import { Section } from '../lib/report.mjs';
import { inWorker } from '../lib/run-peer.mjs';

const worker = new URL('./sync-worker.mjs', import.meta.url);

export async function syncSection(ctx) {
  const pullRows = ctx.mode === 'quick' ? 2_000 : 10_000;
  const pushRows = ctx.mode === 'quick' ? 200 : 1_000;
  const s = new Section('Sync: local backend (PostgreSQL 15 + Supabase-compatible gateway on loopback)', {
    intro: `Initial pull of ${pullRows.toLocaleString()} product rows into a fresh in-memory engine (SyncLoop, default ` +
      `pullPage 500), and one sync cycle pushing ${pushRows.toLocaleString()} new products (default pushBatch 200; the cycle ` +
      'ends with the pull of its own echo). Naive peers: supabase-js `rpc(\'sync_push\', {client_id, changes: [one change]})` ' +
      'per row — the gateway serves only RPC, no table endpoints, so this is what a per-row upsert costs — and ' +
      '`rpc(\'sync_pull\')` pages kept as one JSON string (the status quo has no database to write into).',
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
      okAll.naivePush &&= naive.ok;
    }
    s.add(`initial pull, ${pullRows.toLocaleString()} rows`, 'ours: SyncLoop into the engine', runs.pull, { ok: okAll.pull });
    s.add(`initial pull, ${pullRows.toLocaleString()} rows`, 'naive: supabase-js sync_pull pages → JSON string', runs.naivePull, { ok: okAll.naivePull });
    s.add(`push ${pushRows.toLocaleString()} changes`, 'ours: push phase of the cycle', runs.pushPhase, { ok: okAll.push });
    s.add(`push ${pushRows.toLocaleString()} changes`, 'ours: whole cycle (push + pull of the echo)', runs.push, { ok: okAll.push });
    s.add(`push ${pushRows.toLocaleString()} changes`, 'naive: supabase-js rpc per row', runs.naivePush, { ok: okAll.naivePush });
    s.note('Verified: the pulling engine holds exactly the seeded rows; pushes leave nothing pending; the naive pull ' +
      'returns every seeded row; the naive push sent one request per change and left nothing pending.');
  } finally {
    await be.stop();
  }
  s.finish();
  return s;
}
