// An app of campaign-store's users, as each bundler builds it (no JSX, so
// every bundler takes it without a plugin): opens the store on OPFS, writes
// and reads through it, and renders a product list with the React provider.
// window.result is what the test reads.
import { createElement as h } from 'react';
import { createRoot } from 'react-dom/client';
import { openCampaignStore } from 'campaign-store';
import { CampaignStoreProvider, useProducts } from 'campaign-store/react';

function Products() {
  const { data } = useProducts();
  return h('ul', { id: 'products' }, (data?.items ?? []).map((p) => h('li', { key: p.id }, p.name)));
}

window.result = (async () => {
  const store = await openCampaignStore({ name: 'consumer-app', storage: 'opfs' });
  await store.products.create({ name: 'Bundled sneaker' });
  createRoot(document.getElementById('root')).render(h(CampaignStoreProvider, { store }, h(Products)));
  const { sqlite } = await store.version();
  return { sqlite, storage: store.info.storage, crossOriginIsolated: globalThis.crossOriginIsolated === true };
})().catch((e) => ({ error: `${e.code ?? e.name}: ${e.message}` }));
