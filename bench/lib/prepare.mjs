// Writes the run's data file: generated data, the peers' schema (ours, read
// from a freshly opened engine) and the peers' statements.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './data.mjs';
import { STATEMENTS, peerSchema } from './statements.mjs';

export const BENCH_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const BUILD_DIR = path.join(BENCH_DIR, 'build');  // git-ignored (build/)
export const REPO = path.dirname(BENCH_DIR);

export async function ourSchemaRows() {
  const { createEngine } = await import('../../js/core.js');
  const engine = await createEngine();
  engine.call('open');
  const { rows } = engine.call('sql.query', { sql: 'SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY rowid' });
  engine.dispose();
  return rows;
}

export async function prepareData(mode) {
  fs.mkdirSync(BUILD_DIR, { recursive: true });
  const data = generate(mode);
  data.schema = peerSchema(await ourSchemaRows());
  data.statements = STATEMENTS;
  const file = path.join(BUILD_DIR, `data-${mode}.json`);
  fs.writeFileSync(file, JSON.stringify(data));
  return { file, data };
}
