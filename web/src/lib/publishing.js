// Platform connections and publications. The demo has no ad platform to talk
// to, so connecting an account and publishing are simulated — the rows are
// real (platform_integrations, campaign_publications: they sync like the
// rest) and the flow is the real one: connect, publish (pending), the
// platform answers (published, with its campaign id), metrics arrive.
import { PLATFORMS } from './campaign.js';

export const platformName = (id) => PLATFORMS.find((p) => p.id === id)?.name ?? id;

/** Connects an account of `platformId` (simulated: no OAuth, no token leaves the server). */
export function connectPlatform(store, platformId, accountName) {
  const name = accountName.trim() || `${platformName(platformId)} account`;
  return store.integrations.create({
    platformId,
    platformAccountId: `act_${Math.random().toString(36).slice(2, 10)}`,
    status: 'active',
    settings: { accountName: name, simulated: true },
  });
}

/**
 * Publishes a campaign through a connection: a pending publication at once,
 * then the simulated platform's answer a moment later.
 */
export async function publish(store, campaignId, integration, delayMs = 800) {
  const publication = await store.publications.create({ campaignId, platformIntegrationId: integration.id, status: 'pending' });
  setTimeout(() => {
    store.publications.update(publication.id, {
      status: 'published',
      platformCampaignId: `${integration.platformId}-${publication.id.slice(0, 8)}`,
      lastSyncAt: new Date().toISOString(),
      metrics: { impressions: 0, clicks: 0, spend: '0.00', simulated: true },
    }).catch(() => { /* the store switched users meanwhile */ });
  }, delayMs);
  return publication;
}

/** New metrics from the simulated platform. */
export function refreshMetrics(store, publication) {
  const m = publication.metrics ?? {};
  const impressions = (m.impressions ?? 0) + 500 + Math.floor(Math.random() * 1500);
  const clicks = (m.clicks ?? 0) + Math.floor(impressions * 0.012);
  return store.publications.update(publication.id, {
    lastSyncAt: new Date().toISOString(),
    metrics: { ...m, impressions, clicks, spend: (impressions * 0.004).toFixed(2) },
  });
}
