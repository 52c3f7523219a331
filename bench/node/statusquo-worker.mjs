// The app's autosave today, in a fresh worker thread: the whole
// saved_campaigns array is read as one string, parsed, one campaign's step
// data replaced, stringified and written back (here to a Map standing in for
// localStorage; Chromium's real localStorage is in bench/browser/).
// workerData: {targetBytes, saves, campaigns}
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { stepData } from '../lib/data.mjs';
import { latencies } from './api-peers.mjs';

export function savedCampaigns(targetBytes) {
  // V2 campaigns (the builder's shape), each with its last step data (~3 KB).
  const list = [];
  let bytes = 2;
  for (let i = 0; bytes < targetBytes; i++) {
    const c = { id: `campaign_${1736154968195 + i}`, name: `Campaign ${i}`, productId: 1736154968195 + i, status: 'draft',
      audience: { ageRange: { min: 18, max: 34 }, locations: ['US'], interests: ['running'] },
      platforms: ['meta'], budget: { amount: 500, type: 'daily' }, currency: 'USD',
      stepData: stepData(0, i), createdAt: '2026-11-24T10:00:00.000Z', updatedAt: '2026-11-24T10:00:00.000Z' };
    bytes += JSON.stringify(c).length + 1;
    list.push(c);
  }
  return list;
}

export function autosave(store, i, campaigns) {
  const list = JSON.parse(store.get('saved_campaigns'));
  const c = list[i % campaigns];
  c.stepData = stepData(i, i % campaigns);
  c.updatedAt = new Date().toISOString();
  store.set('saved_campaigns', JSON.stringify(list));
}

if (parentPort) {
  const { targetBytes, saves, campaigns } = workerData;
  const store = new Map();
  const list = savedCampaigns(targetBytes);
  const n = Math.min(campaigns, list.length);
  store.set('saved_campaigns', JSON.stringify(list));
  for (let i = 0; i < 20; i++) autosave(store, i, n);  // warm-up
  const each = [];
  for (let i = 0; i < saves; i++) {
    const t = performance.now();
    autosave(store, i, n);
    each.push(performance.now() - t);
  }
  const final = JSON.parse(store.get('saved_campaigns'));
  parentPort.postMessage({ result: { ...latencies(each), bytes: store.get('saved_campaigns').length, campaigns: final.length,
    revSum: final.slice(0, n).reduce((s, c) => s + (c.stepData.rev ?? 0), 0) } });
}
