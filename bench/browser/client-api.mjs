// The API workloads as an app calls them in a browser: from the page,
// through a worker. Runs on bench/browser/page.html (window.clientApi), one
// peer per fresh page:
//   ours-client  openCampaignStore({storage: 'memory'}): our worker client
//   worker1      @sqlite.org/sqlite-wasm's Worker1 promiser, ':memory:'
// Both in memory (Worker1's OPFS needs cross-origin isolation), so what is
// measured is the API and the worker hop, not the storage. Each warms up on
// a scratch database with the same mix, then runs the timed sequence.
import { openCampaignStore } from '../../js/index.js';
import { oursPeer } from '../node/api-peers.mjs';
import { openWorker1, worker1Peer } from './worker1-peer.mjs';

const SQLITE_WASM = '../../node_modules/@sqlite.org/sqlite-wasm/dist/index.mjs';

async function sequence(p, data, products, { warm }) {
  const out = {};
  const bulk = await p.bulk(products);
  out.bulk = { ms: bulk.ms };
  out.reads = await p.reads(bulk.ids, warm ? data.reads.slice(0, 100).map((i) => i % products.length) : data.reads);
  out.lists = await p.lists(data.listCategories, data.size.pageSize);
  out.search = await p.search(warm ? data.searches.slice(0, 20) : data.searches);
  const cids = await p.campaigns(data.drafts.campaigns);
  out.drafts = await p.drafts(cids, warm ? Math.min(50, data.drafts.saves) : data.drafts.saves);
  if (!warm) out.check = await p.check();
  return out;
}

export async function clientApi({ engine, dataUrl }) {
  const data = await (await fetch(dataUrl)).json();
  if (engine === 'ours-client') {
    const open = (name) => openCampaignStore({ name, storage: 'memory', multiTab: false });
    const scratch = await open('bench-client-warm');
    await sequence(oursPeer((op, args) => scratch.call(op, args)), data, data.warm, { warm: true });
    await scratch.close();
    const store = await open('bench-client');
    const result = await sequence(oursPeer((op, args) => store.call(op, args)), data, data.products, { warm: false });
    await store.close();
    return result;
  }
  if (engine === 'worker1') {
    const { open, version } = await openWorker1(data.schema, SQLITE_WASM);
    const scratch = await open();
    await sequence(worker1Peer(scratch), data, data.warm, { warm: true });
    await scratch.close();
    const db = await open();
    const result = await sequence(worker1Peer(db), data, data.products, { warm: false });
    await db.close();
    return { ...result, version };
  }
  throw new Error(`unknown engine ${engine}`);
}
