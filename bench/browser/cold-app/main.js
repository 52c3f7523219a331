// Cold start as an app ships it (bench/browser/client-section.mjs builds this
// with Vite, so both libraries arrive bundled and minified): from the import
// of the library to the first answer from its worker. ?engine=ours:
// openCampaignStore({storage: 'memory'}) then a ping (the open creates the
// full schema; nothing to migrate, so the lean module); ?engine=worker1: sqlite-wasm's Worker1 promiser, open
// ':memory:', SELECT 1. Each import is its own chunk: a page loads only one.
const engine = new URLSearchParams(location.search).get('engine');

async function ours() {
  const { openCampaignStore } = await import('campaign-store');
  const imported = performance.now();
  const store = await openCampaignStore({ name: 'bench-cold', storage: 'memory', multiTab: false });
  await store.call('ping');
  return imported;
}

async function worker1() {
  const { sqlite3Worker1Promiser } = await import('@sqlite.org/sqlite-wasm');
  const imported = performance.now();
  const promiser = await sqlite3Worker1Promiser({ onerror: () => {} });
  const { dbId } = await promiser('open', { filename: ':memory:' });
  await promiser('exec', { dbId, sql: 'SELECT 1', resultRows: [] });
  return imported;
}

const t0 = performance.now();
(engine === 'ours' ? ours() : worker1()).then(
  (imported) => { window.cold = { importMs: imported - t0, ms: performance.now() - t0 }; },
  (e) => { window.cold = { error: `${e?.name}: ${e?.message ?? e}` }; });
