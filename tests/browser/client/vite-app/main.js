// An app bundled by Vite (client-vite.test.mjs): the module's worker and
// wasm must be found through the bundle's own asset URLs.
import { openCampaignStore } from 'campaign-store';

window.result = (async () => {
  const store = await openCampaignStore({ storage: 'memory' });
  await store.sql.exec('CREATE TABLE t(x INTEGER)');
  await store.sql.exec('INSERT INTO t VALUES (?)', [42]);
  const { rows } = await store.sql.query('SELECT x FROM t');
  const { sqlite } = await store.version();
  await store.close();
  return { rows, sqlite, crossOriginIsolated: globalThis.crossOriginIsolated === true };
})().catch((e) => ({ error: `${e.code ?? e.name}: ${e.message}` }));
