// One run of the API workloads by one JS peer, in a fresh worker thread:
// load the data (not timed), warm up on a scratch database with the same
// workload mix, then time each workload on the main database and verify it.
// workerData: {peer, dataFile, sections, storageDir?, durability?, build?}
// (build: a directory with another campaign_store.{mjs,wasm} to measure, e.g.
// a baseline kept as a peer; default dist/)
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { oursPeer, openSqliteWasm, sqliteWasmPeer } from './api-peers.mjs';

const { peer, dataFile, sections = ['bulk', 'reads', 'lists', 'search', 'drafts'], build } = workerData;
const buildUrls = build
  ? { moduleUrl: pathToFileURL(path.join(build, 'campaign_store.mjs')), wasmUrl: pathToFileURL(path.join(build, 'campaign_store.wasm')) }
  : {};
const data = JSON.parse(fs.readFileSync(dataFile, 'utf8'));

async function sequence(p, products, { warm }) {
  const out = {};
  const want = (s) => sections.includes(s);
  const needsProducts = ['bulk', 'reads', 'lists', 'search'].some(want);
  const bulk = needsProducts ? await p.bulk(products) : null;
  if (want('bulk')) out.bulk = { ms: bulk.ms };
  const reads = warm ? data.reads.slice(0, 100).map((i) => i % products.length) : data.reads;
  if (want('reads')) out.reads = await p.reads(bulk.ids, reads);
  if (want('lists')) out.lists = await p.lists(data.listCategories, data.size.pageSize);
  if (want('search')) out.search = await p.search(warm ? data.searches.slice(0, 20) : data.searches);
  if (want('drafts')) {
    const cids = await p.campaigns(data.drafts.campaigns);
    out.drafts = await p.drafts(cids, warm ? Math.min(50, data.drafts.saves) : data.drafts.saves);
  }
  if (!warm) out.check = await p.check();
  return out;
}

async function main() {
  if (peer.startsWith('ours-client')) {
    const { openCampaignStore } = await import('../../js/index.js');
    const open = () => openCampaignStore({ name: 'bench', storage: 'memory', ...buildUrls });
    const scratch = await open();
    await sequence(oursPeer((op, args) => scratch.call(op, args)), data.warm, { warm: true });
    await scratch.close();
    const store = await open();
    const result = await sequence(oursPeer((op, args) => store.call(op, args)), data.products, { warm: false });
    await store.close();
    return result;
  }
  if (peer.startsWith('ours')) {
    const { createEngine, Engine } = await import('../../js/core.js');
    const perCall = peer.startsWith('ours-percall');
    const scratch = await createEngine(buildUrls);
    scratch.call('open');
    await sequence(oursPeer((op, args) => scratch.call(op, args), { perCall }), data.warm, { warm: true });
    scratch.dispose();
    let engine;
    const dir = workerData.storageDir;
    if (dir) {
      engine = new Engine(scratch.module);
      await engine.openStorage({ kind: 'node', dir, durability: workerData.durability });
    } else {
      engine = new Engine(scratch.module);
      engine.call('open');
    }
    const result = await sequence(oursPeer((op, args) => engine.call(op, args), { perCall }), data.products, { warm: false });
    if (dir) result.settings = engine.call('storage.info');
    engine.dispose();
    return result;
  }
  if (peer === 'sqlite-wasm') {
    const { sqlite3, open } = await openSqliteWasm(data.schema);
    const scratch = open();
    const ps = sqliteWasmPeer(scratch);
    await sequence(ps, data.warm, { warm: true });
    ps.finalize();
    scratch.close();
    const db = open();
    const p = sqliteWasmPeer(db);
    const result = await sequence(p, data.products, { warm: false });
    result.version = sqlite3.version.libVersion;
    p.finalize();
    db.close();
    return result;
  }
  throw new Error(`unknown peer ${peer}`);
}

main().then((result) => parentPort.postMessage({ result }), (e) => parentPort.postMessage({ error: String(e?.stack ?? e) }));
