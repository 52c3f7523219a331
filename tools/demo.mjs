// The main job until the Campaign Builder demo lands: open the engine, write
// and read a few rows through the one door, and print what happened.
import { createEngine } from '../js/core.js';

const engine = await createEngine();
const { version, sqlite } = engine.call('version');
console.log(`campaign-store ${version} (SQLite ${sqlite}) loaded in Node ${process.version}`);
engine.call('open');
engine.call('sql.exec', { sql: 'CREATE TABLE demo(id INTEGER PRIMARY KEY, name TEXT NOT NULL)' });
engine.call('batch', {
  ops: ['Spring sale', 'Back to school', 'Holiday push'].map((name) => ({
    op: 'sql.exec', args: { sql: 'INSERT INTO demo(name) VALUES (?)', params: [name] },
  })),
});
const { rows } = engine.call('sql.query', { sql: 'SELECT id, name FROM demo WHERE id > ?', params: [0] });
console.table(rows);
engine.dispose();
