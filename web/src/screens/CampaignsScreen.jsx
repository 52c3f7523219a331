// Campaigns: a live list with filters (status and product through
// campaigns.list, name on the page), drafts in progress marked (with the
// name and product the draft has so far), and the button that starts the
// builder.
import { useMemo, useState } from 'react';
import { useCampaignStore, useCampaigns, useLiveQuery, useProducts } from 'campaign-store/react';
import { Empty, ErrorNote, Field, Loading, PageHeader, StatusBadge } from '../components/ui.jsx';
import { date, dateTime, money, plural } from '../lib/format.js';
import { useAction } from '../lib/hooks.js';
import { STATUSES, UNTITLED } from '../lib/campaign.js';
import { navigate } from '../lib/router.js';

export function CampaignsScreen() {
  const store = useCampaignStore();
  const [status, setStatus] = useState('');
  const [productId, setProductId] = useState('');
  const [text, setText] = useState('');
  const [limit, setLimit] = useState(100);
  const [action, run] = useAction();

  const query = { sort: 'updatedAt', order: 'desc', limit };
  if (status) query.status = status;
  if (productId) query.productId = productId;
  const campaigns = useCampaigns(query);
  const products = useProducts({ sort: 'name', order: 'asc', limit: 500 });
  // The newest draft per campaign (SQLite takes the bare columns from the max() row).
  const drafts = useLiveQuery((s) => s.sql.query(
    "SELECT campaign_id AS campaignId, max(auto_saved_at) AS savedAt, json_extract(step_data, '$.name') AS name, "
    + "json_extract(step_data, '$.productId') AS productId FROM campaign_drafts GROUP BY campaign_id",
  ));

  const productNames = useMemo(() => new Map((products.data?.items ?? []).map((p) => [p.id, p.name])), [products.data]);
  const draftOf = useMemo(() => new Map((drafts.data?.rows ?? []).map((r) => [r.campaignId, r])), [drafts.data]);
  // A campaign still being built shows what its draft says (its row has the placeholder).
  const shown = (c) => {
    const d = draftOf.get(c.id);
    const unsaved = c.name === UNTITLED && typeof d?.name === 'string' && d.name.trim();
    return { ...c, name: unsaved ? d.name.trim() : c.name, productId: c.productId ?? (d?.productId || null) };
  };
  const needle = text.trim().toLowerCase();
  const items = (campaigns.data?.items ?? []).map(shown).filter((c) => !needle || c.name.toLowerCase().includes(needle));

  const create = () => run(async () => {
    const campaign = await store.campaigns.create({ name: UNTITLED, status: 'draft', source: 'v2' });
    navigate(`/campaigns/${encodeURIComponent(campaign.id)}/build`);
  });

  return (
    <>
      <PageHeader title="Campaigns">
        <button type="button" className="button primary" onClick={create} disabled={action.busy}>New campaign</button>
      </PageHeader>
      <ErrorNote error={action.error} />
      <div className="toolbar" role="group" aria-label="Filters">
        <Field label="Search campaigns" className="grow">
          {(p) => <input {...p} type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="Campaign name" autoComplete="off" />}
        </Field>
        <Field label="Status">
          {(p) => (
            <select {...p} value={status} onChange={(e) => setStatus(e.target.value)}>
              <option value="">All statuses</option>
              {STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
            </select>
          )}
        </Field>
        <Field label="Product">
          {(p) => (
            <select {...p} value={productId} onChange={(e) => setProductId(e.target.value)}>
              <option value="">All products</option>
              {(products.data?.items ?? []).map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
            </select>
          )}
        </Field>
      </div>
      {campaigns.status === 'loading' && !campaigns.data ? <Loading label="Loading campaigns…" />
        : campaigns.error && !campaigns.data ? <ErrorNote error={campaigns.error} />
          : items.length === 0 ? (
            <Empty title={status || productId || needle ? 'No campaign matches these filters' : 'No campaigns yet'}>
              {!(status || productId || needle) && <p>Start one with “New campaign”.</p>}
            </Empty>
          ) : (
            <>
              <p className="muted" data-testid="campaign-count">{plural(items.length, 'campaign')}{campaigns.data?.nextCursor ? ' (more below)' : ''}</p>
              <div className="table-wrap">
                <table className="table" aria-label="Campaigns">
                  <thead>
                    <tr><th scope="col">Name</th><th scope="col">Status</th><th scope="col">Product</th><th scope="col">Budget</th><th scope="col">Schedule</th><th scope="col">Updated</th></tr>
                  </thead>
                  <tbody>
                    {items.map((c) => (
                      <tr key={c.id}>
                        <th scope="row">
                          <a href={`#/campaigns/${encodeURIComponent(c.id)}`}>{c.name}</a>
                          {draftOf.has(c.id) && (
                            <a className="draft-chip" href={`#/campaigns/${encodeURIComponent(c.id)}/build`}
                              title={`Draft autosaved ${dateTime(draftOf.get(c.id).savedAt)}`}>draft in progress</a>
                          )}
                          {c.source && c.source !== 'v2' && <span className="source-chip">{c.source}</span>}
                        </th>
                        <td><StatusBadge status={c.status} /></td>
                        <td>{c.productId ? (productNames.get(c.productId) ?? '…') : <span className="muted">—</span>}</td>
                        <td>{money(c.budget, c.currency)}</td>
                        <td>{c.startsAt || c.endsAt ? `${date(c.startsAt)} – ${date(c.endsAt)}` : <span className="muted">—</span>}</td>
                        <td>{dateTime(c.updatedAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {campaigns.data?.nextCursor && limit < 500 && (
                <button type="button" className="button more" onClick={() => setLimit((n) => Math.min(500, n + 100))}>Show more campaigns</button>
              )}
            </>
          )}
    </>
  );
}
