// Platforms: the ad accounts this user connected (platform_integrations) and
// every publication of a campaign to one of them, with their status and
// metrics. Connecting and publishing are simulated (lib/publishing.js).
import { useState } from 'react';
import { useCampaignStore, useLiveQuery } from 'campaign-store/react';
import { Empty, ErrorNote, Field, PageHeader, StatusBadge } from '../components/ui.jsx';
import { PLATFORMS } from '../lib/campaign.js';
import { count, dateTime } from '../lib/format.js';
import { useAction } from '../lib/hooks.js';
import { connectPlatform, platformName, refreshMetrics } from '../lib/publishing.js';

export function PlatformsScreen() {
  return (
    <>
      <PageHeader title="Platforms" />
      <p className="muted">
        Ad platform accounts campaigns publish to. The demo has no ad platform: connecting an account and publishing are simulated,
        and the connections and publications are real rows that sync with everything else (access tokens never reach this browser).
      </p>
      <Connections />
      <Publications />
    </>
  );
}

function Connections() {
  const store = useCampaignStore();
  const { data } = useLiveQuery((s) => s.integrations.list({ limit: 100 }));
  const [action, run] = useAction();
  const [names, setNames] = useState({});
  const items = data?.items ?? [];
  return (
    <section className="panel" aria-labelledby="connections-heading">
      <h2 id="connections-heading">Connected accounts</h2>
      <div className="platform-grid">
        {PLATFORMS.map((p) => {
          const mine = items.filter((i) => i.platformId === p.id);
          return (
            <article key={p.id} className="platform-card" aria-label={p.name}>
              <h3>{p.name}</h3>
              {mine.length === 0 ? <p className="muted">Not connected.</p> : (
                <ul className="plain-list">
                  {mine.map((i) => (
                    <li key={i.id} className="row">
                      <span>{i.settings?.accountName ?? i.platformAccountId} <StatusBadge status={i.status} /></span>
                      <button type="button" className="button small danger-outline" disabled={action.busy}
                        onClick={() => run(() => store.integrations.delete(i.id))}>Disconnect</button>
                    </li>
                  ))}
                </ul>
              )}
              <form className="inline-form" onSubmit={(e) => {
                e.preventDefault();
                run(async () => { await connectPlatform(store, p.id, names[p.id] ?? ''); setNames((n) => ({ ...n, [p.id]: '' })); });
              }}>
                <Field label={`${p.name} account name`}>
                  {(f) => <input {...f} value={names[p.id] ?? ''} placeholder="Acme Outdoor" autoComplete="off"
                    onChange={(e) => setNames((n) => ({ ...n, [p.id]: e.target.value }))} />}
                </Field>
                <button type="submit" className="button" disabled={action.busy}>Connect {p.name}</button>
              </form>
            </article>
          );
        })}
      </div>
      <ErrorNote error={action.error} />
    </section>
  );
}

function Publications() {
  const store = useCampaignStore();
  const [action, run] = useAction();
  const { data } = useLiveQuery((s) => s.sql.query(
    'SELECT p.id, p.status, p.platform_campaign_id AS platformCampaignId, p.metrics, p.last_sync_at AS lastSyncAt, p.created_at AS createdAt, '
    + 'c.id AS campaignId, c.name AS campaign, i.platform_id AS platformId, json_extract(i.settings, \'$.accountName\') AS account '
    + 'FROM campaign_publications p JOIN campaigns c ON c.id = p.campaign_id '
    + 'LEFT JOIN platform_integrations i ON i.id = p.platform_integration_id ORDER BY p.created_at DESC LIMIT 200',
  ), [], { tables: ['campaign_publications', 'campaigns', 'platform_integrations'] });
  const rows = (data?.rows ?? []).map((r) => ({ ...r, metrics: JSON.parse(r.metrics ?? '{}') }));
  return (
    <section className="panel" aria-labelledby="publications-heading">
      <h2 id="publications-heading">Publications <span className="muted">({count(rows.length)})</span></h2>
      {rows.length === 0 ? (
        <Empty title="Nothing published yet"><p>Publish a campaign from its page once an account is connected.</p></Empty>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label="Publications">
            <thead>
              <tr><th scope="col">Campaign</th><th scope="col">Platform</th><th scope="col">Status</th><th scope="col">Platform id</th>
                <th scope="col" className="num">Impressions</th><th scope="col" className="num">Clicks</th><th scope="col">Last update</th><th scope="col" /></tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <th scope="row"><a href={`#/campaigns/${encodeURIComponent(r.campaignId)}`}>{r.campaign}</a></th>
                  <td>{r.platformId ? `${platformName(r.platformId)}${r.account ? ` · ${r.account}` : ''}` : <span className="muted">disconnected</span>}</td>
                  <td><StatusBadge status={r.status} /></td>
                  <td><code>{r.platformCampaignId ?? '—'}</code></td>
                  <td className="num">{count(r.metrics.impressions ?? 0)}</td>
                  <td className="num">{count(r.metrics.clicks ?? 0)}</td>
                  <td>{dateTime(r.lastSyncAt)}</td>
                  <td>{r.status === 'published' && (
                    <button type="button" className="button small" disabled={action.busy}
                      onClick={() => run(async () => refreshMetrics(store, await store.publications.get(r.id)))}>Refresh metrics</button>
                  )}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ErrorNote error={action.error} />
    </section>
  );
}
