// Seed corpus for the legacy import fuzzer: every committed adversarial dump
// and the small preset, in the fuzzer's input format (see
// legacy_import_fuzzer.cpp): records "<key byte><value>" separated by NUL.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generatePreset } from '../fixtures/generate.mjs';

const KEYS = ['products', 'campaigns', 'saved_campaigns', 'backgrounds', 'sample_data', 'campaign_draft_a',
  'campaign_minimal_a', 'campaign_draft_1', 'campaign_minimal_1', 'campaign_draft_campaign_1', 'theme', 'Products'];
const out = process.argv[2];
mkdirSync(out, { recursive: true });
const dumps = fileURLToPath(new URL('../fixtures/dumps/', import.meta.url));

function encode(dump) {
  const parts = [];
  let drafts = 0;
  for (const [key, value] of Object.entries(dump)) {
    let k = KEYS.indexOf(key);
    if (k < 0 && key.startsWith('campaign_draft_')) k = [5, 7, 9][drafts++ % 3];
    else if (k < 0 && key.startsWith('campaign_minimal_')) k = [6, 8][drafts % 2];
    else if (k < 0) k = 10;
    const bytes = Buffer.from(value.replace(/\u0000/g, ''), 'utf8');
    parts.push(Buffer.concat([Buffer.from([k]), bytes]));
  }
  return Buffer.concat(parts.flatMap((p, i) => (i ? [Buffer.from([0]), p] : [p])));
}

for (const file of readdirSync(dumps).filter((f) => f.endsWith('.json') && !f.includes('manifest'))) {
  writeFileSync(`${out}/${file.replace('.json', '')}`, encode(JSON.parse(readFileSync(dumps + file, 'utf8'))));
}
writeFileSync(`${out}/preset-small`, encode(generatePreset('small').dump));
console.log(`corpus: ${readdirSync(out).length} seeds in ${out}`);
