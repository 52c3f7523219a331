// The React binding tests, written once and run with React 19 (react.test.mjs)
// and React 18 (react18.test.mjs). Hooks are rendered by react-dom into
// jsdom; a probe component records every value a hook returns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openCampaignStore, CampaignStoreError } from '../../../js/index.js';
import { createBindings } from '../../../js/react/index.js';

const wait = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * @param {string} label
 * @param {{React: any, ReactDOMClient: any}} react
 */
export function defineReactTests(label, { React, ReactDOMClient }) {
  const h = React.createElement;
  const B = createBindings(React);

  // Renders `useHook()` under the provider; returns the recorded values.
  function renderHook(store, useHook, { strict = false } = {}) {
    const seen = [];
    let props = {};
    function Probe(p) {
      seen.push(useHook(p));
      return null;
    }
    const container = document.createElement('div');
    const root = ReactDOMClient.createRoot(container);
    const tree = (p) => {
      const inner = h(B.CampaignStoreProvider, { store }, h(Probe, p));
      return strict ? h(React.StrictMode, null, inner) : inner;
    };
    root.render(tree(props));
    let cursor = 0;  // until() looks only at renders after its last match
    return {
      seen,
      last: () => seen[seen.length - 1],
      rerender: (next) => { props = next; root.render(tree(props)); },
      unmount: () => root.unmount(),
      async until(pred, what = 'a matching render', timeoutMs = 5000) {
        const end = Date.now() + timeoutMs;
        while (Date.now() < end) {
          for (; cursor < seen.length; cursor++) {
            if (pred(seen[cursor])) return seen[cursor++];
          }
          await wait(5);
        }
        throw new Error(`${label}: never rendered ${what}; last: ${JSON.stringify(seen[seen.length - 1])}`);
      },
    };
  }

  const open = () => openCampaignStore({ storage: 'memory', worker: false });

  test(`${label}: useLiveQuery goes loading -> data -> update on change -> error`, async () => {
    const store = await open();
    await store.sql.exec('CREATE TABLE notes(id INTEGER PRIMARY KEY, text TEXT)');
    await store.sql.exec("INSERT INTO notes(text) VALUES ('first')");
    let fail = false;
    const r = renderHook(store, () => B.useLiveQuery(async (s) => {
      if (fail) throw new CampaignStoreError('IO', 'disk went away');
      return (await s.sql.query('SELECT text FROM notes ORDER BY id')).rows.map((x) => x.text);
    }));
    await r.until((v) => v.status === 'loading', 'loading');
    await r.until((v) => v.status === 'success' && v.data.length === 1, 'the first row');
    await store.sql.exec("INSERT INTO notes(text) VALUES ('second')");
    const updated = await r.until((v) => v.data?.length === 2, 'the second row');
    assert.deepEqual(updated.data, ['first', 'second']);
    fail = true;
    await store.sql.exec("INSERT INTO notes(text) VALUES ('third')");
    const failed = await r.until((v) => v.status === 'error', 'the error');
    assert.equal(failed.error.code, 'IO');
    assert.deepEqual(failed.data, ['first', 'second'], 'the last good data stays');
    r.unmount();
    await store.close();
  });

  test(`${label}: useLiveQuery re-queries when deps change, and idles on a null query`, async () => {
    const store = await open();
    await store.sql.exec('CREATE TABLE n(v INTEGER)');
    await store.sql.exec('INSERT INTO n(v) VALUES (1), (2), (3)');
    const r = renderHook(store, ({ min }) => B.useLiveQuery(
      min === undefined ? null : (s) => s.sql.query('SELECT count(*) AS c FROM n WHERE v >= ?', [min]),
      [min],
    ));
    await r.until((v) => v.status === 'idle', 'idle');
    r.rerender({ min: 2 });
    await r.until((v) => v.data?.rows[0].c === 2, 'count for min 2');
    r.rerender({ min: 3 });
    await r.until((v) => v.data?.rows[0].c === 1, 'count for min 3');
    r.unmount();
    await store.close();
  });

  test(`${label}: under StrictMode a live query still follows changes and stops after unmount`, async () => {
    const store = await open();
    await store.sql.exec('CREATE TABLE n(v INTEGER)');
    let runs = 0;
    const r = renderHook(store, () => B.useLiveQuery(async (s) => {
      runs++;
      return (await s.sql.query('SELECT count(*) AS c FROM n')).rows[0].c;
    }), { strict: true });
    await r.until((v) => v.data === 0, 'zero');
    await store.sql.exec('INSERT INTO n(v) VALUES (1)');
    await r.until((v) => v.data === 1, 'one');
    r.unmount();
    await wait(20);
    const after = runs;
    await store.sql.exec('INSERT INTO n(v) VALUES (2)');
    await wait(30);
    assert.equal(runs, after, 'no runs after unmount');
    await store.close();
  });

  test(`${label}: hooks outside the provider say so`, async () => {
    const errors = [];
    class Boundary extends React.Component {
      constructor(p) { super(p); this.state = { error: null }; }
      static getDerivedStateFromError(error) { return { error }; }
      componentDidCatch(error) { errors.push(error); }
      render() { return this.state.error ? null : this.props.children; }
    }
    function Lonely() { B.useProducts(); return null; }
    const quiet = console.error;
    console.error = () => {};
    try {
      const root = ReactDOMClient.createRoot(document.createElement('div'));
      root.render(h(Boundary, null, h(Lonely)));
      for (let i = 0; i < 100 && errors.length === 0; i++) await wait(5);
      root.unmount();
    } finally {
      console.error = quiet;
    }
    assert.match(String(errors[0]?.message), /CampaignStoreProvider/);
  });

  test(`${label}: useDraftAutosave debounces, saves only real changes, and flushes on unmount`, async () => {
    const saves = [];
    let gate = null;
    const store = {
      drafts: {
        save: async (campaignId, stepData) => {
          if (gate) await gate;
          saves.push([campaignId, structuredClone(stepData)]);
          return { campaignId };
        },
      },
    };
    const r = renderHook(store, ({ data }) => B.useDraftAutosave('c1', data, { debounceMs: 40 }));
    r.rerender({ data: { step: 1, name: 'a' } });  // what the builder opened with: not saved
    await wait(60);
    assert.equal(saves.length, 0);
    r.rerender({ data: { step: 1, name: 'ab' } });
    r.rerender({ data: { step: 1, name: 'abc' } });
    r.rerender({ data: { step: 1, name: 'abc' } });  // same content, new object
    await r.until((v) => v.status === 'pending', 'pending');
    await r.until((v) => v.status === 'saved', 'saved');
    assert.deepEqual(saves, [['c1', { step: 1, name: 'abc' }]], JSON.stringify(saves));
    assert.ok(r.last().savedAt > 0);
    // A failing save shows the error and keeps the edit for the next flush.
    let failNext = true;
    const realSave = store.drafts.save;
    store.drafts.save = async (...a) => {
      if (failNext) { failNext = false; throw new CampaignStoreError('STORAGE_FULL', 'quota exceeded'); }
      return realSave(...a);
    };
    r.rerender({ data: { step: 2, name: 'abc' } });
    const failed = await r.until((v) => v.status === 'error', 'the error');
    assert.equal(failed.error.code, 'STORAGE_FULL');
    await r.last().flush();
    assert.deepEqual(saves.at(-1), ['c1', { step: 2, name: 'abc' }]);
    // Unmounting with an edit still pending saves it at once.
    r.rerender({ data: { step: 3, name: 'last edit' } });
    await r.until((v) => v.status === 'pending', 'pending again');
    r.unmount();
    await wait(10);
    assert.deepEqual(saves.at(-1), ['c1', { step: 3, name: 'last edit' }]);
    assert.equal(saves.length, 3);
  });

  test(`${label}: entity hooks follow the data API`, async () => {
    const store = await open();
    const products = renderHook(store, () => B.useProducts());
    await products.until((v) => v.status === 'success', 'the empty product list');
    await store.products.create({ name: 'Trail Runner' });
    await products.until((v) => JSON.stringify(v.data ?? null).includes('Trail Runner'), 'the new product');

    const created = await store.campaigns.create({ name: 'Spring Sale' });
    const id = created.id;
    const campaigns = renderHook(store, () => B.useCampaigns());
    await campaigns.until((v) => JSON.stringify(v.data ?? null).includes('Spring Sale'), 'the campaign list');
    const one = renderHook(store, () => B.useCampaign(id));
    await one.until((v) => v.data?.name === 'Spring Sale', 'the campaign');
    // The autosave hook writes real drafts, and the campaign's live view (which
    // includes its latest draft) follows them.
    const saver = renderHook(store, ({ data }) => B.useDraftAutosave(id, data, { debounceMs: 10 }));
    saver.rerender({ data: { step: 1 } });
    await wait(30);
    saver.rerender({ data: { step: 2, headline: 'Run faster' } });
    await saver.until((v) => v.status === 'saved', 'saved');
    assert.deepEqual((await store.drafts.get(id)).stepData, { step: 2, headline: 'Run faster' });
    await one.until((v) => v.data?.draft?.stepData?.step === 2, 'the draft in the campaign');
    saver.unmount();
    await store.campaigns.delete(id);
    await one.until((v) => v.status === 'success' && v.data === null, 'null after delete');
    for (const r of [products, campaigns, one]) r.unmount();
    await store.close();
  });
}
