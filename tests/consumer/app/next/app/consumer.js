'use client';
// The consumer app as a Next.js client component: the store opens in an
// effect (never during server rendering) and the provider wraps the list.
import { useEffect, useState } from 'react';
import { openCampaignStore } from 'campaign-store';
import { CampaignStoreProvider, useProducts } from 'campaign-store/react';

function Products() {
  const { data } = useProducts();
  return <ul id="products">{(data?.items ?? []).map((p) => <li key={p.id}>{p.name}</li>)}</ul>;
}

export function Consumer() {
  const [store, setStore] = useState(null);
  useEffect(() => {
    window.result ??= (async () => {
      const opened = await openCampaignStore({ name: 'consumer-app', storage: 'opfs' });
      await opened.products.create({ name: 'Bundled sneaker' });
      setStore(opened);
      const { sqlite } = await opened.version();
      return { sqlite, storage: opened.info.storage, crossOriginIsolated: globalThis.crossOriginIsolated === true };
    })().catch((e) => ({ error: `${e.code ?? e.name}: ${e.message}` }));
  }, []);
  return store ? <CampaignStoreProvider store={store}><Products /></CampaignStoreProvider> : <p>Opening…</p>;
}
