// The chaos run for soak testing: many seeds, longer runs, one backend.
//   npm run soak:sync -- [--runs 50] [--steps 200] [--seed 1234] [--trace]
// Seeds are consecutive from --seed (default: random); the first failure
// stops the soak and prints its seed (rerun it with CHAOS_SEEDS=<seed>
// node --test tests/node/sync-chaos.test.mjs, or --seed <seed> --runs 1).
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startBackend } from '../../../tools/backend/backend.mjs';
import { runChaos } from './harness.mjs';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '50' },
    steps: { type: 'string', default: '200' },
    seed: { type: 'string' },
    trace: { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const steps = Number(values.steps);
const first = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);

const be = await startBackend({ port: 0 });
const db = new pg.Client({ connectionString: be.pg.connectionString });
await db.connect();
let failed = null;
const started = Date.now();
try {
  for (let i = 0; i < runs && !failed; i++) {
    const seed = (first + i) % 2 ** 31;
    const t0 = Date.now();
    try {
      const summary = await runChaos({ be, db, seed, steps, trace: values.trace ? (line) => console.log(`  ${line}`) : undefined });
      console.log(`ok   seed ${seed} (${Date.now() - t0} ms) ${JSON.stringify(summary)}`);
    } catch (err) {
      failed = seed;
      console.error(`FAIL seed ${seed}: ${err.stack ?? err}`);
    }
  }
} finally {
  await db.end();
  await be.stop();
}
console.log(failed === null
  ? `soak: ${runs} seeds from ${first}, ${steps} steps each, all green in ${Math.round((Date.now() - started) / 1000)} s`
  : `soak: failed at seed ${failed}`);
process.exit(failed === null ? 0 : 1);
