// The API workloads through @sqlite.org/sqlite-wasm's worker API (its Worker1
// promiser): what an app gets when it runs sqlite-wasm off the main thread.
// Same schema, statements and parameters as the in-thread oo1 peer
// (bench/node/api-peers.mjs); the worker API has no prepared statements
// across messages, so every statement is one `exec` message, as an app would
// send it. Runs on a page (the promiser starts the worker).
import { readChecksum } from '../lib/data.mjs';
import { FTS_INDEX, STATEMENTS as S } from '../lib/statements.mjs';
import { iso, nextHlc, params, timedSaves, walkLists } from '../node/api-peers.mjs';

const now = () => performance.now();
const urlChars = (images) => images.reduce((n, im) => n + im.url.length, 0);

export async function openWorker1(schema, moduleUrl) {
  const { sqlite3Worker1Promiser } = await import(moduleUrl);
  const promiser = await sqlite3Worker1Promiser({ onerror: () => {} });
  const open = async () => {
    const { dbId } = await promiser('open', { filename: ':memory:' });
    const exec = (sql, bind, rowMode = 'object') => promiser('exec', { dbId, sql, bind, rowMode, resultRows: [] })
      .then((r) => r.result.resultRows);
    await exec('PRAGMA foreign_keys=ON; PRAGMA cache_size=-8192');
    for (const sql of schema) await exec(sql);
    return { dbId, exec, close: () => promiser('close', { dbId }) };
  };
  const version = (await promiser('config-get', {})).result.version.libVersion;
  return { open, version };
}

export function worker1Peer({ exec }) {
  const run = (name, bind) => exec(S[name], bind);
  const commit = async () => {
    const [pending] = await exec(S.ftsPending, undefined, 'array');
    if (pending[0]) for (const name of FTS_INDEX) await run(name);
    await run('commit');
  };
  return {
    async bulk(products) {
      const t0 = now();
      const ids = [];
      await run('begin');
      for (const p of products) {
        const id = crypto.randomUUID();
        const at = iso();
        const hlc = nextHlc();
        await run('insertProduct', params.product(id, p, at, hlc));
        for (let k = 0; k < p.images.length; k++) {
          await run('insertImage', params.image(crypto.randomUUID(), id, p.images[k], k, at, hlc));
        }
        ids.push(id);
      }
      await commit();
      return { ms: now() - t0, ids };
    },
    async reads(ids, reads) {
      let sum = 0;
      const t0 = now();
      for (const i of reads) {
        const id = ids[i];
        const [p] = await run('getProduct', [id]);
        if (!p) throw new Error(`no product ${id}`);
        const images = await run('getImages', [id]);
        if (images.length) await run('getBackgrounds', [id]);
        await run('getProductCampaigns', [id]);
        sum += readChecksum(p.name, p.price, images.length, urlChars(images));
      }
      return { ms: now() - t0, checksum: sum };
    },
    lists(categories, limit) {
      return walkLists(categories, limit, (category, after) => (after
        ? exec(S.listNext, [category, after[0], after[1], limit + 1], 'array')
        : exec(S.listFirst, [category, limit + 1], 'array')));
    },
    async search(terms) {
      let items = 0, nameChars = 0;
      const t0 = now();
      for (const term of terms) {
        for (const r of await run('search', [`"${term}"*`, null, 20])) {
          items++;
          nameChars += r.name.length;
        }
      }
      return { ms: now() - t0, checksum: { items, nameChars } };
    },
    async campaigns(n) {
      const ids = [];
      for (let c = 0; c < n; c++) {
        const id = crypto.randomUUID();
        await run('begin');
        await run('insertCampaign', params.campaign(id, c, iso()));
        await commit();
        ids.push(id);
      }
      return ids;
    },
    drafts(campaignIds, saves) {
      return timedSaves(campaignIds, saves, async (campaignId, sd) => {
        await run('begin');
        if (!(await run('campaignExists', [campaignId])).length) throw new Error('no campaign');
        let id = (await run('draftForCampaign', [campaignId]))[0]?.id ?? null;
        const at = Date.now();
        const text = JSON.stringify(sd);
        if (id) {
          await run('updateDraft', params.updateDraft(id, text, at));
        } else {
          id = crypto.randomUUID();
          await run('insertDraft', params.insertDraft(id, campaignId, text, at));
        }
        const [row] = await run('getDraft', [id]);
        await commit();
        if (!row?.id) throw new Error('draft not saved');
      });
    },
    async check() {
      const row = async (sql) => (await exec(sql, undefined, 'array'))[0];
      return { products: await row(S.checkProducts), images: await row(S.checkImages), fts: await row(S.checkFts),
        drafts: await row(S.checkDrafts) };
    },
  };
}
