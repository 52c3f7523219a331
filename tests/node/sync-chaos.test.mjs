// The seeded randomized convergence test (tests/node/sync-chaos/harness.mjs)
// for a few fixed seeds, so CI is repeatable; CHAOS_SEEDS=1,2,3 (and
// CHAOS_STEPS) run others. `npm run soak:sync` runs many random seeds.
import { test } from 'node:test';
import { useBackend } from '../server/helpers.mjs';
import { runChaos } from './sync-chaos/harness.mjs';

const seeds = (process.env.CHAOS_SEEDS ?? '1,2,3').split(',').map((s) => Number(s.trim())).filter(Number.isFinite);
const steps = Number(process.env.CHAOS_STEPS ?? 70);

let be;
let db;
useBackend((env) => ({ be, db } = env));

for (const seed of seeds) {
  test(`chaos: seed ${seed}, ${steps} steps: devices converge, the newest write survives, nothing crosses users`, async () => {
    const summary = await runChaos({ be, db, seed, steps });
    console.log(`# chaos ${JSON.stringify(summary)}`);
  });
}
