// One campaign (useCampaign: live), its product, creatives, settings, status
// moves, the draft in progress if there is one, duplicating it, and its
// publications to connected platforms.
import { useState } from 'react';
import { useCampaign, useCampaignStore, useLiveQuery } from 'campaign-store/react';
import { CreativePreview } from '../components/CreativePreview.jsx';
import { Empty, ErrorNote, Loading, PageHeader, StatusBadge, StoredImage } from '../components/ui.jsx';
import { CTAS, FORMATS, PLATFORMS, TRANSITIONS, TRANSITION_LABELS, creativeImage, duplicateCampaign } from '../lib/campaign.js';
import { count, date, dateTime, money } from '../lib/format.js';
import { useAction, useImageChoices, usePrimaryImages } from '../lib/hooks.js';
import { platformName, publish } from '../lib/publishing.js';
import { navigate } from '../lib/router.js';

export function CampaignScreen({ id }) {
  const { status, data: campaign, error } = useCampaign(id);
  if (status === 'loading' && campaign === undefined) return <Loading label="Loading campaign…" />;
  if (error && !campaign) return <ErrorNote error={error} />;
  if (!campaign) return <Empty title="This campaign does not exist (any more)"><a href="#/campaigns">Back to campaigns</a></Empty>;
  return <CampaignDetail campaign={campaign} />;
}

function CampaignDetail({ campaign }) {
  const store = useCampaignStore();
  const [action, run] = useAction();
  const [confirming, setConfirming] = useState(false);
  const images = usePrimaryImages(campaign.product ? [campaign.product.id] : []);
  const image = campaign.product ? images.get(campaign.product.id) : null;
  const choices = useImageChoices(campaign.product?.id ?? null);
  const build = `#/campaigns/${encodeURIComponent(campaign.id)}/build`;
  const a = campaign.audienceConfig ?? {};
  const platforms = PLATFORMS.filter((p) => campaign.platformConfig?.[p.id]?.enabled);
  const list = (v) => (Array.isArray(v) ? v.join(', ') : v ? String(v) : '—');

  return (
    <>
      <PageHeader title={campaign.name} back={{ href: '#/campaigns', label: 'Campaigns' }}>
        <StatusBadge status={campaign.status} />
        <button type="button" className="button" disabled={action.busy}
          onClick={() => run(async () => navigate(`/campaigns/${encodeURIComponent(await duplicateCampaign(store, campaign))}`))}>Duplicate</button>
        <a className="button primary" href={build}>{campaign.draft ? 'Resume draft' : 'Edit in builder'}</a>
      </PageHeader>
      {campaign.draft && (
        <p className="notice" role="note">
          A draft of this campaign was autosaved {dateTime(campaign.draft.autoSavedAt)}; it is not part of the campaign until saved.{' '}
          <a href={build}>Resume it</a>
        </p>
      )}
      <div className="two-col">
        <section className="panel" aria-labelledby="settings-heading">
          <h2 id="settings-heading">Settings</h2>
          <dl className="facts">
            <dt>Budget</dt><dd>{money(campaign.budget, campaign.currency)}</dd>
            <dt>Schedule</dt><dd>{campaign.startsAt || campaign.endsAt ? `${date(campaign.startsAt)} – ${date(campaign.endsAt)}` : '—'}</dd>
            <dt>Audience</dt>
            <dd>{a.ageMin !== undefined ? `Ages ${a.ageMin}–${a.ageMax}` : '—'}{a.gender && a.gender !== 'all' ? `, ${a.gender}` : ''}</dd>
            <dt>Locations</dt><dd>{list(a.locations)}</dd>
            <dt>Interests</dt><dd>{list(a.interests)}</dd>
            <dt>Platforms</dt>
            <dd>{platforms.length === 0 ? '—' : platforms.map((p) => {
              const placements = campaign.platformConfig[p.id].placements ?? [];
              return placements.length ? `${p.name} (${placements.join(', ')})` : p.name;
            }).join('; ')}</dd>
            <dt>Launched</dt><dd>{dateTime(campaign.launchedAt)}</dd>
            {campaign.source && campaign.source !== 'v2' && <><dt>Imported from</dt><dd>the legacy app ({campaign.source})</dd></>}
            <dt>Updated</dt><dd>{dateTime(campaign.updatedAt)}</dd>
          </dl>
        </section>
        <aside className="panel" aria-labelledby="product-heading">
          <h2 id="product-heading">Product</h2>
          {campaign.product ? (
            <a className="product-summary" href={`#/products/${encodeURIComponent(campaign.product.id)}`}>
              <StoredImage url={image?.url} alt={image?.altText ?? campaign.product.name} />
              <div>
                <p className="card-title">{campaign.product.name}</p>
                <p className="muted">{campaign.product.brand ?? ''}</p>
                <p className="price">{money(campaign.product.price)}</p>
              </div>
            </a>
          ) : <p className="muted">No product.</p>}
          <h2>Status</h2>
          <div className="row wrap">
            {(TRANSITIONS[campaign.status] ?? []).map((next) => (
              <button key={next} type="button" className="button small" disabled={action.busy}
                onClick={() => run(() => store.campaigns.setStatus(campaign.id, next))}>{TRANSITION_LABELS[next]}</button>
            ))}
          </div>
          <ErrorNote error={action.error} />
          <div className="danger-zone">
            {!confirming ? <button type="button" className="button danger-outline" onClick={() => setConfirming(true)}>Delete campaign</button> : (
              <span className="confirm">
                <span>Delete with its creatives and draft?</span>
                <button type="button" className="button danger" disabled={action.busy}
                  onClick={() => run(async () => { await store.campaigns.delete(campaign.id); navigate('/campaigns'); })}>Confirm delete</button>
                <button type="button" className="button" onClick={() => setConfirming(false)}>Keep</button>
              </span>
            )}
          </div>
        </aside>
      </div>
      <section className="panel" aria-labelledby="creatives-heading">
        <h2 id="creatives-heading">Creatives <span className="muted">({campaign.creatives.length})</span></h2>
        {campaign.creatives.length === 0 ? <p className="muted">No creatives yet.</p> : (
          <div className="creative-gallery">
            {campaign.creatives.map((c) => {
              const format = FORMATS.find((f) => f.id === c.formatId)
                ?? { id: c.formatId, name: c.formatName ?? 'Custom', width: c.width || 1, height: c.height || 1 };
              const el = (role) => (c.elements ?? []).find((e) => e?.role === role);
              const cta = el('cta');
              return (
                <div key={c.id} className="creative-card">
                  <CreativePreview format={format} headline={el('headline')?.content ?? c.name ?? ''} body={el('body')?.content ?? ''}
                    ctaLabel={cta?.label ?? (CTAS.find((x) => x.id === c.metadata?.cta)?.label ?? 'Shop now')}
                    imageUrl={creativeImage(c.elements, choices)?.url ?? image?.url} productName={campaign.product?.name} />
                  <p className="muted">{format.name} · {c.width}×{c.height} · v{c.version}</p>
                </div>
              );
            })}
          </div>
        )}
      </section>
      <PublicationsPanel campaign={campaign} />
      {campaign.legacyData !== null && campaign.legacyData !== undefined && (
        <details className="panel">
          <summary>Legacy record (kept whole by the migration)</summary>
          <pre className="json">{JSON.stringify(campaign.legacyData, null, 2).slice(0, 20000)}</pre>
        </details>
      )}
    </>
  );
}

/** Where this campaign is published, and publishing it to a connected account of an enabled platform. */
function PublicationsPanel({ campaign }) {
  const store = useCampaignStore();
  const [action, run] = useAction();
  const { data: pubs } = useLiveQuery((s) => s.publications.list({ campaignId: campaign.id, limit: 100 }), [campaign.id]);
  const { data: conns } = useLiveQuery((s) => s.integrations.list({ status: 'active', limit: 100 }));
  const enabled = PLATFORMS.filter((p) => campaign.platformConfig?.[p.id]?.enabled).map((p) => p.id);
  const targets = (conns?.items ?? []).filter((i) => enabled.includes(i.platformId));
  const byId = new Map((conns?.items ?? []).map((i) => [i.id, i]));
  const items = pubs?.items ?? [];
  return (
    <section className="panel" aria-labelledby="publications-heading">
      <h2 id="publications-heading">Publications <span className="muted">({count(items.length)})</span></h2>
      {items.length > 0 && (
        <ul className="plain-list publish-list" aria-label="Publications of this campaign">
          {items.map((p) => {
            const conn = byId.get(p.platformIntegrationId);
            return (
              <li key={p.id} data-status={p.status}>
                <StatusBadge status={p.status} /> {conn ? `${platformName(conn.platformId)} · ${conn.settings?.accountName ?? conn.platformAccountId}` : 'a disconnected account'}
                {p.platformCampaignId && <> · <code>{p.platformCampaignId}</code></>}
                <span className="muted"> · {dateTime(p.lastSyncAt ?? p.createdAt)}</span>
              </li>
            );
          })}
        </ul>
      )}
      {enabled.length === 0 ? <p className="muted">Enable a platform in the builder to publish this campaign.</p>
        : targets.length === 0 ? (
          <p className="muted">No connected account for {enabled.map(platformName).join(', ')}. <a href="#/platforms">Connect one on the Platforms screen</a>.</p>
        ) : (
          <div className="row wrap">
            {targets.map((i) => (
              <button key={i.id} type="button" className="button" disabled={action.busy}
                onClick={() => run(() => publish(store, campaign.id, i))}>
                Publish to {platformName(i.platformId)} · {i.settings?.accountName ?? i.platformAccountId}
              </button>
            ))}
          </div>
        )}
      <p className="muted small">Publishing is simulated: the demo has no ad platform, so the answer comes from the app itself.</p>
      <ErrorNote error={action.error} />
    </section>
  );
}
