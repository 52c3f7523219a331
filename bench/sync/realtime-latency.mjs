// Commit-to-visible latency on another device of the user, Realtime against
// the poll-only configuration, in one run against the local backend: a
// server-side writer commits products at random moments (an INSERT as
// another device's push would make, committed by PostgreSQL); two readers
// watch their own database for each product: one with Realtime (and the
// 30 s poll as fallback), one polling only (30 s). The latency of a product
// is the time from its COMMIT returning to the reader's store announcing
// the row.
//
//   node bench/sync/realtime-latency.mjs [--samples 20] [--interval-ms 30000]
// Also the `realtime` section of `npm run bench`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { RealtimeClient } from '@supabase/realtime-js';
import pg from 'pg';
import WebSocket from 'ws';
import { openCampaignStore } from '../../js/index.js';
import { startBackend } from '../../tools/backend/backend.mjs';

const percentile = (values, p) => {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

/** Resolves with {realtime: [ms], poll: [ms]} for `samples` commits. */
export async function measure({ samples = 20, intervalMs = 30_000, gapMs = [1000, 3000], log = () => {} } = {}) {
  const be = await startBackend({ port: 0 });
  const userId = crypto.randomUUID();
  const sync = (extra) => ({ url: be.url, anonKey: be.anonKey, userId, getAccessToken: () => be.mintToken({ sub: userId }),
    intervalMs, ...extra });
  const writer = new pg.Client({ connectionString: be.pg.postgresConnectionString });
  await writer.connect();
  const readers = {
    realtime: await openCampaignStore({ storage: 'memory', worker: false,
      sync: sync({ realtime: { RealtimeClient, transport: WebSocket }, blobDownloads: false }) }),
    poll: await openCampaignStore({ storage: 'memory', worker: false, sync: sync({ blobDownloads: false }) }),
  };
  const committedAt = new Map();  // product id -> ms
  const seen = { realtime: [], poll: [] };
  const waiting = { realtime: new Set(), poll: new Set() };
  const watchers = [];
  try {
    for (const [name, store] of Object.entries(readers)) {
      watchers.push(store.subscribe(['products'], async () => {
        const now = performance.now();
        for (const id of [...waiting[name]]) {
          if (committedAt.has(id) && await store.products.get(id).then(() => true, () => false)) {
            waiting[name].delete(id);
            seen[name].push(now - committedAt.get(id));
          }
        }
      }));
    }
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('Realtime did not connect')), 15_000);
      const off = readers.realtime.sync.onStatus((s) => {
        if (s.realtime === 'connected') { clearTimeout(timer); off(); resolve(); }
      });
    });
    for (let i = 0; i < samples; i++) {
      await new Promise((r) => setTimeout(r, gapMs[0] + Math.random() * (gapMs[1] - gapMs[0])));
      const id = crypto.randomUUID();
      waiting.realtime.add(id);
      waiting.poll.add(id);
      const hlc = `${String(Date.now()).padStart(13, '0')}-00000-bench`;
      await writer.query('insert into public.products (id, user_id, name, hlc) values ($1, $2, $3, $4)',
        [id, userId, `Sample ${i}`, hlc]);
      committedAt.set(id, performance.now());
      log(`  commit ${i + 1}/${samples}`);
    }
    // The poll reader needs up to one interval more for the last commits.
    const deadline = performance.now() + intervalMs * 2 + 10_000;
    while ((waiting.realtime.size || waiting.poll.size) && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
    }
    return { realtime: seen.realtime, poll: seen.poll, missing: { realtime: waiting.realtime.size, poll: waiting.poll.size } };
  } finally {
    for (const off of watchers) off();
    await writer.end();
    for (const store of Object.values(readers)) await store.close();
    await be.stop();
  }
}

function summary(result, intervalMs) {
  const row = (name, values) => (values.length
    ? `| ${name} | ${values.length} | ${percentile(values, 50).toFixed(0)} | ${percentile(values, 95).toFixed(0)} | ${Math.max(...values).toFixed(0)} |`
    : `| ${name} | 0 | n/a | n/a | n/a |`);
  const r50 = percentile(result.realtime, 50);
  const p50 = percentile(result.poll, 50);
  return [
    '### Realtime: commit-to-visible latency on another device',
    '',
    `A server-side writer commits a product every 1–3 s (random); two readers of the same user, in the same run: Realtime ` +
    `(the gateway's Realtime socket, realtime-js) with the ${intervalMs / 1000} s poll as fallback, and poll-only ` +
    `(${intervalMs / 1000} s). Latency: from the writer's COMMIT returning to the reader's store announcing the row (ms).`,
    '',
    '| reader | samples | p50 ms | p95 ms | max ms |',
    '| --- | --- | --- | --- | --- |',
    row('Realtime', result.realtime),
    row(`poll only (${intervalMs / 1000} s)`, result.poll),
    '',
    `p50 ratio poll / Realtime: ${(p50 / r50).toFixed(0)}×.${result.missing.realtime || result.missing.poll
      ? ` Not seen before the deadline: Realtime ${result.missing.realtime}, poll ${result.missing.poll}.` : ''}`,
    '',
  ].join('\n');
}

export async function realtimeSection(ctx) {
  const samples = ctx.mode === 'quick' ? 8 : 20;
  const result = await measure({ samples, log: ctx.log });
  const at = (p) => ({ realtime: percentile(result.realtime, p), poll: percentile(result.poll, p) });
  return { markdown: () => summary(result, 30_000), p50: at(50), p95: at(95) };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { samples: { type: 'string', default: '20' }, 'interval-ms': { type: 'string', default: '30000' } } });
  const intervalMs = Number(values['interval-ms']);
  const result = await measure({ samples: Number(values.samples), intervalMs, log: console.error });
  console.log(summary(result, intervalMs));
  process.exit(0);
}
