// Compiled (not run) by client-types.test.mjs: the public .d.ts files must
// type-check under --strict, and typical app code must type-check against them.
import { openCampaignStore, CampaignStoreError, transfer, type CampaignStore, type Product, type Page, type SqlValue, type SupabaseSyncOptions } from 'campaign-store';
import { createEngine } from 'campaign-store/core';
import { useProducts, useCampaign, useDraftAutosave, useLiveQuery, useAccount, CampaignStoreProvider } from 'campaign-store/react';

export async function app(): Promise<void> {
  const store: CampaignStore = await openCampaignStore({ name: 'shop', storage: 'opfs', durability: 'full', log: (e) => console.log(e.level, e.message) });
  const nodeStore = await openCampaignStore({ storage: { node: '/tmp/x' } });
  await nodeStore.close();
  // The app's SupabaseClient as the sync configuration (its auth, as the .d.ts
  // describes it: supabase-js's own types need @types/node here); accounts.
  const supabase = null as unknown as SupabaseSyncOptions['supabase'];
  const synced = await openCampaignStore({ name: 'shop', storage: ['opfs', 'memory'], sync: { supabase } });
  const userId: string | undefined = synced.account.user?.id;
  const phase: 'opening' | 'ready' | 'switching' | 'error' = synced.account.getSnapshot().phase;
  await synced.account.switch({ id: 'u1', email: 'u1@example.com' });
  const signedOutRows: number = (await synced.account.signedOutData()).total;
  const moved: number = (await synced.account.adoptSignedOutData()).moved;
  const fellBack: string | null | undefined = synced.info.storageFallback?.name;
  void [userId, phase, signedOutRows, moved, fellBack, synced.info.database];
  const created = await store.products.create({ name: 'Trail Runner', price: 89.99, images: [{ url: 'https://x/y.png' }] });
  const firstImage: string = created.images[0].url;
  const page: Page<Product> = await store.products.list({ limit: 20, sort: 'name', category: 'shoes' });
  const next: string | null = page.nextCursor;
  await store.products.update(created.id, { price: 79 });
  const price: string | null = created.price;
  const hits = await store.search.query('trail', { kinds: ['product'] });
  const hitName: string = hits.items[0].name;
  const creatives = await store.creatives.list('c1', { isActive: true });
  const exported = await store.storage.export();
  const bytes: Uint8Array = exported.bytes;
  await store.storage.import(bytes);
  const cached = await store.cache.get<{ html: string }>('scrape:x');
  const health = await store.health();
  void [price, hitName, creatives.items, cached.value?.html, health.ok];
  const campaign = await store.campaigns.create({ name: 'Spring', productId: created.id });
  await store.campaigns.setStatus(campaign.id, 'active');
  const detail = await store.campaigns.get(campaign.id);
  const draftStep = detail.draft?.stepData;
  await store.drafts.save(campaign.id, { step: 2, headline: 'Run' });
  const rows = await store.sql.query<{ n: number }>('SELECT count(*) AS n FROM products WHERE price > ?', [10]);
  const n: number = rows.rows[0].n;
  const { changes } = await store.sql.exec('DELETE FROM cache_entries');
  const exact = await store.sql.query<{ v: bigint }>('SELECT ? AS v', [9007199254740993n], { int64: 'bigint' });
  const wide: bigint = exact.rows[0].v;
  const cell: SqlValue = (await store.sql.query('SELECT x\'00\' AS b')).rows[0].b;
  const { lastInsertRowid } = await store.sql.exec('INSERT INTO t VALUES (?, ?, ?, ?)',
    [transfer(new Uint8Array(2)), new Date(), { a: [1, -0] }, undefined], { int64: 'string' });
  const strict = await openCampaignStore({ int64: 'string' });
  await strict.call('ping', {}, { int64: 'number' });
  void [wide, cell, lastInsertRowid];
  await store.batch([{ op: 'products.delete', args: { id: created.id } }]);
  const off = store.subscribe(['products'], (e) => e.tables.includes('products'));
  off();
  const live = store.liveQuery((s) => s.products.list(), { tables: ['products'] });
  const stop = live.subscribe((snap) => { if (snap.status === 'success') snap.data.items.map((p) => p.name); });
  stop();
  try { await store.products.get('nope'); } catch (e) { if (e instanceof CampaignStoreError && e.code === 'NOT_FOUND') console.log(e.details); }
  // Sync status with blob uploads, and the rejected ones with their reasons.
  const status = await store.sync.status();
  const waiting: number = status.blobsPending + status.blobsRejected;
  const refused = await store.sync.blobs({ state: 'rejected', limit: 10 });
  const reasons: Array<string | null> = refused.map((b) => b.lastError);
  const { retried } = await store.sync.retryBlobs(refused[0]?.hash);
  const summary = await store.sync.now();
  void [waiting, reasons, retried, summary.uploaded + summary.blobsRejected];
  const engine = await createEngine({ int64: 'string' });
  engine.call('open', {});
  const asText = engine.call<{ rows: Array<{ v: string }> }>('sql.query', { sql: 'SELECT 1 AS v' }, { int64: 'string' });
  void asText.rows[0].v;
  void [firstImage, next, draftStep, n, changes];
  await store.close();
}

export function ProductCount(): number {
  const products = useProducts({ status: 'active' });
  const campaign = useCampaign('c1');
  const save = useDraftAutosave('c1', { step: 1 }, { debounceMs: 500 });
  const custom = useLiveQuery((s) => s.sql.query<{ n: number }>('SELECT 1 AS n'), []);
  const account = useAccount();
  const who: string | null = account.user?.email ?? null;
  const signOut: Promise<void> = account.switchUser(null);
  void [campaign.data?.name, save.status, save.flush, custom.data?.rows[0].n, CampaignStoreProvider, who, signOut, account.phase];
  return products.status === 'success' ? products.data.items.length : 0;
}
