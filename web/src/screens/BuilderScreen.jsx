// The campaign builder: five steps whose every edit is autosaved as the
// campaign's draft (useDraftAutosave), so a reload or a crash mid-flow loses
// nothing. Saving turns the draft into the campaign row and its creatives in
// one batch (one transaction) and removes the draft.
import { useEffect, useState } from 'react';
import { useCampaignStore, useDraftAutosave, useProducts } from 'campaign-store/react';
import { CreativePreview } from '../components/CreativePreview.jsx';
import { Empty, ErrorNote, Field, Loading, PageHeader, StoredImage } from '../components/ui.jsx';
import {
  CTAS, CURRENCIES, FORMATS, PLATFORMS, STEPS, TRANSITIONS, fromCampaign, newCreative, normalizeStepData, toCampaign, validate,
} from '../lib/campaign.js';
import { dateTime, money, timeOfDay } from '../lib/format.js';
import { useImageChoices, usePrimaryImages } from '../lib/hooks.js';
import { navigate } from '../lib/router.js';

export function BuilderScreen({ id }) {
  const store = useCampaignStore();
  const [loaded, setLoaded] = useState({ status: 'loading' });
  useEffect(() => {
    let alive = true;
    setLoaded({ status: 'loading' });
    store.campaigns.get(id).then(
      (campaign) => {
        if (!alive) return;
        const initial = campaign.draft ? normalizeStepData(campaign.draft.stepData, campaign) : fromCampaign(campaign);
        setLoaded({ status: 'ready', campaign, initial });
      },
      (error) => alive && setLoaded({ status: error?.code === 'NOT_FOUND' ? 'missing' : 'error', error }),
    );
    return () => { alive = false; };
  }, [store, id]);
  if (loaded.status === 'loading') return <Loading label="Opening the builder…" />;
  if (loaded.status === 'missing') return <Empty title="This campaign does not exist (any more)"><a href="#/campaigns">Back to campaigns</a></Empty>;
  if (loaded.status === 'error') return <ErrorNote error={loaded.error} />;
  return <Builder key={id} campaign={loaded.campaign} initial={loaded.initial} />;
}

function setIn(obj, [key, ...rest], value) {
  if (rest.length === 0) return Array.isArray(obj) ? obj.map((x, i) => (i === key ? value : x)) : { ...obj, [key]: value };
  const next = setIn(obj[key], rest, value);
  return Array.isArray(obj) ? obj.map((x, i) => (i === key ? next : x)) : { ...obj, [key]: next };
}

function Builder({ campaign, initial }) {
  const store = useCampaignStore();
  const [data, setData] = useState(initial);
  const [finishing, setFinishing] = useState(false);
  const [problems, setProblems] = useState([]);
  const [error, setError] = useState(null);
  const autosave = useDraftAutosave(campaign.id, data, { debounceMs: 400, enabled: !finishing });
  const products = useProducts({ sort: 'name', order: 'asc', limit: 500 });
  const images = usePrimaryImages(data.productId ? [data.productId] : []);
  const product = (products.data?.items ?? []).find((p) => p.id === data.productId) ?? null;
  const productImage = images.get(data.productId) ?? null;

  const choices = useImageChoices(data.productId || null);

  const index = Math.max(0, STEPS.findIndex((s) => s.key === data.currentStep));
  // Problems shown before saving are checked again as the data changes, so a
  // fixed one disappears at once.
  useEffect(() => { setProblems((shown) => (shown.length ? validate(data) : shown)); }, [data]);
  const update = (path, value) => setData((d) => setIn(d, path, value));
  const go = (key) => { setProblems([]); update(['currentStep'], key); };

  const save = async () => {
    const found = validate(data);
    setProblems(found);
    if (found.length > 0) return;
    setFinishing(true);
    setError(null);
    try {
      await autosave.flush();  // no draft write may land after the draft is removed
      const current = await store.campaigns.get(campaign.id);
      const primary = data.productId
        ? (await store.products.get(data.productId).catch(() => null))?.images.find((i) => i.isPrimary) : null;
      // A picture of another product (the product changed) falls back to the primary photo.
      const valid = { ...data, creatives: data.creatives.map((c) => (choices.some((x) => x.key === c.imageKey) ? c : { ...c, imageKey: '' })) };
      const { fields, creatives, status } = toCampaign(valid, primary?.id ?? null);
      const ops = [
        { op: 'campaigns.update', args: { id: campaign.id, ...fields } },
        ...current.creatives.map((c) => ({ op: 'creatives.delete', args: { id: c.id } })),
        ...creatives.map((c) => ({ op: 'creatives.create', args: { campaignId: campaign.id, ...c } })),
        { op: 'drafts.delete', args: { campaignId: campaign.id } },
      ];
      if (status !== current.status && (TRANSITIONS[current.status] ?? []).includes(status)) {
        ops.push({ op: 'campaigns.setStatus', args: { id: campaign.id, status } });
      }
      await store.batch(ops);
      navigate(`/campaigns/${encodeURIComponent(campaign.id)}`);
    } catch (err) {
      setError(err);
      setFinishing(false);
    }
  };

  const discard = async () => {
    setFinishing(true);
    try {
      await autosave.flush();
      await store.drafts.delete(campaign.id);
      navigate(`/campaigns/${encodeURIComponent(campaign.id)}`);
    } catch (err) {
      setError(err);
      setFinishing(false);
    }
  };

  const step = STEPS[index].key;
  return (
    <>
      <PageHeader title={data.name.trim() || 'New campaign'} back={{ href: `#/campaigns/${encodeURIComponent(campaign.id)}`, label: 'Campaign' }}>
        <AutosaveStatus state={autosave} restoredAt={campaign.draft?.autoSavedAt} />
        <button type="button" className="button" onClick={discard} disabled={finishing}>Discard draft</button>
      </PageHeader>
      <nav aria-label="Builder steps">
        <ol className="stepper">
          {STEPS.map((s, i) => (
            <li key={s.key} className={i < index ? 'done' : i === index ? 'current' : ''}>
              <button type="button" aria-current={i === index ? 'step' : undefined} onClick={() => go(s.key)}>
                <span className="step-number">{i + 1}</span> {s.label}
              </button>
            </li>
          ))}
        </ol>
      </nav>
      <section className="panel builder-step" aria-labelledby="step-heading">
        <h2 id="step-heading">{index + 1}. {STEPS[index].label}</h2>
        {step === 'product' && <ProductStep data={data} update={update} products={products.data?.items ?? []} product={product} image={productImage} />}
        {step === 'audience' && <AudienceStep data={data} update={update} />}
        {step === 'platforms' && <PlatformsStep data={data} update={update} />}
        {step === 'creatives' && <CreativesStep data={data} update={update} setData={setData} product={product} image={productImage} choices={choices} />}
        {step === 'publish' && <PublishStep data={data} update={update} product={product} />}
        {problems.length > 0 && (
          <div className="error-note" role="alert">
            <p>Before saving:</p>
            <ul>{problems.map((p) => <li key={p.step + p.message}><button type="button" className="link" onClick={() => go(p.step)}>{p.message}</button></li>)}</ul>
          </div>
        )}
        <ErrorNote error={error} />
        <div className="form-actions builder-actions">
          <button type="button" className="button" disabled={index === 0} onClick={() => go(STEPS[index - 1].key)}>Back</button>
          {index < STEPS.length - 1
            ? <button type="button" className="button primary" onClick={() => go(STEPS[index + 1].key)}>Next</button>
            : <button type="button" className="button primary" onClick={save} disabled={finishing}>{finishing ? 'Saving…' : 'Save campaign'}</button>}
        </div>
      </section>
    </>
  );
}

function AutosaveStatus({ state, restoredAt }) {
  let text;
  switch (state.status) {
    case 'pending': text = 'Editing…'; break;
    case 'saving': text = 'Saving draft…'; break;
    case 'saved': text = `Draft saved at ${timeOfDay(state.savedAt)}`; break;
    case 'error': text = `Draft not saved: ${state.error?.message ?? 'unknown error'}`; break;
    default: text = restoredAt ? `Draft restored (autosaved ${dateTime(restoredAt)})` : 'Edits are saved as a draft as you type';
  }
  return <p className={`autosave autosave-${state.status}`} role="status" data-testid="autosave" data-state={state.status}>{text}</p>;
}

function ProductStep({ data, update, products, product, image }) {
  return (
    <div className="step-grid">
      <div className="form-grid">
        <Field label="Campaign name" className="span-2">
          {(p) => <input {...p} value={data.name} onChange={(e) => update(['name'], e.target.value)} placeholder="Spring sneaker launch" autoComplete="off" />}
        </Field>
        <Field label="Product" className="span-2" hint={products.length === 0 ? 'No products yet: create one on the Products screen.' : undefined}>
          {(p) => (
            <select {...p} value={data.productId} onChange={(e) => update(['productId'], e.target.value)}>
              <option value="">No product</option>
              {products.map((x) => <option key={x.id} value={x.id}>{x.name}{x.brand ? ` — ${x.brand}` : ''}</option>)}
              {data.productId && !products.some((x) => x.id === data.productId) && <option value={data.productId}>(unknown product)</option>}
            </select>
          )}
        </Field>
      </div>
      {product && (
        <div className="product-summary">
          <StoredImage url={image?.url} alt={image?.altText ?? product.name} />
          <div>
            <p className="card-title">{product.name}</p>
            <p className="muted">{[product.brand, product.category].filter(Boolean).join(' · ')}</p>
            <p className="price">{money(product.price)}</p>
          </div>
        </div>
      )}
    </div>
  );
}

function AudienceStep({ data, update }) {
  const a = data.audience;
  return (
    <div className="form-grid">
      <Field label="Minimum age">{(p) => <input {...p} type="number" min="13" max="100" value={a.ageMin} onChange={(e) => update(['audience', 'ageMin'], e.target.value)} />}</Field>
      <Field label="Maximum age">{(p) => <input {...p} type="number" min="13" max="100" value={a.ageMax} onChange={(e) => update(['audience', 'ageMax'], e.target.value)} />}</Field>
      <Field label="Gender">
        {(p) => (
          <select {...p} value={a.gender} onChange={(e) => update(['audience', 'gender'], e.target.value)}>
            <option value="all">Everyone</option><option value="female">Women</option><option value="male">Men</option>
          </select>
        )}
      </Field>
      <Field label="Locations" className="span-2" hint="Comma-separated: countries, regions or cities.">
        {(p) => <input {...p} value={a.locations} onChange={(e) => update(['audience', 'locations'], e.target.value)} placeholder="United States, Canada" autoComplete="off" />}
      </Field>
      <Field label="Interests" className="span-2" hint="Comma-separated.">
        {(p) => <textarea {...p} rows={2} value={a.interests} onChange={(e) => update(['audience', 'interests'], e.target.value)} placeholder="running, outdoor gear" />}
      </Field>
    </div>
  );
}

function PlatformsStep({ data, update }) {
  return (
    <fieldset className="choices">
      <legend>Where the campaign runs</legend>
      {PLATFORMS.map((p) => {
        const cfg = data.platforms[p.id];
        return (
          <div key={p.id} className="choice">
            <label className="check">
              <input type="checkbox" checked={cfg.enabled} onChange={(e) => update(['platforms', p.id, 'enabled'], e.target.checked)} />
              {p.name}
            </label>
            {cfg.enabled && p.placements.length > 0 && (
              <fieldset className="sub-choices">
                <legend>{p.name} placements</legend>
                {p.placements.map((placement) => (
                  <label key={placement} className="check">
                    <input type="checkbox" checked={cfg.placements.includes(placement)}
                      onChange={(e) => update(['platforms', p.id, 'placements'], e.target.checked
                        ? [...cfg.placements, placement] : cfg.placements.filter((x) => x !== placement))} />
                    {placement[0].toUpperCase() + placement.slice(1)}
                  </label>
                ))}
              </fieldset>
            )}
          </div>
        );
      })}
    </fieldset>
  );
}

function CreativesStep({ data, update, setData, product, image, choices }) {
  return (
    <div className="creatives">
      {data.creatives.map((c, i) => {
        const format = FORMATS.find((f) => f.id === c.formatId) ?? FORMATS[0];
        const picture = choices.find((x) => x.key === c.imageKey) ?? null;
        return (
          <fieldset key={c.id} className="creative-editor">
            <legend>Creative {i + 1}</legend>
            <div className="form-grid">
              <Field label="Format">
                {(p) => (
                  <select {...p} value={format.id} onChange={(e) => update(['creatives', i, 'formatId'], e.target.value)}>
                    {FORMATS.map((f) => <option key={f.id} value={f.id}>{f.name} ({f.width}×{f.height})</option>)}
                  </select>
                )}
              </Field>
              <Field label="Call to action">
                {(p) => (
                  <select {...p} value={c.cta} onChange={(e) => update(['creatives', i, 'cta'], e.target.value)}>
                    {CTAS.map((a) => <option key={a.id} value={a.id}>{a.label}</option>)}
                  </select>
                )}
              </Field>
              <Field label="Picture" className="span-2"
                hint={!product ? 'Pick a product first.' : choices.length === 0 ? 'The product has no photos yet.' : 'A photo of the product, or a background generated for one.'}>
                {(p) => (
                  <select {...p} value={picture ? c.imageKey : ''} onChange={(e) => update(['creatives', i, 'imageKey'], e.target.value)}>
                    <option value="">Primary product photo</option>
                    {choices.map((x) => <option key={x.key} value={x.key}>{x.label}</option>)}
                  </select>
                )}
              </Field>
              <Field label="Headline" className="span-2">
                {(p) => <input {...p} value={c.headline} maxLength={90} onChange={(e) => update(['creatives', i, 'headline'], e.target.value)} autoComplete="off" />}
              </Field>
              <Field label="Body text" className="span-2">
                {(p) => <textarea {...p} rows={2} maxLength={280} value={c.body} onChange={(e) => update(['creatives', i, 'body'], e.target.value)} />}
              </Field>
              {data.creatives.length > 1 && (
                <div className="span-2">
                  <button type="button" className="button small danger-outline"
                    onClick={() => setData((d) => ({ ...d, creatives: d.creatives.filter((x) => x.id !== c.id) }))}>Remove creative {i + 1}</button>
                </div>
              )}
            </div>
            <CreativePreview format={format} headline={c.headline} body={c.body} ctaLabel={(CTAS.find((a) => a.id === c.cta) ?? CTAS[0]).label}
              imageUrl={picture?.url ?? image?.url} productName={product?.name} />
          </fieldset>
        );
      })}
      <button type="button" className="button" onClick={() => setData((d) => ({ ...d, creatives: [...d.creatives, newCreative(d.creatives.length)] }))}>
        Add creative
      </button>
    </div>
  );
}

function PublishStep({ data, update, product }) {
  const p = data.publish;
  const platforms = PLATFORMS.filter((x) => data.platforms[x.id]?.enabled).map((x) => x.name);
  return (
    <div className="step-grid">
      <div className="form-grid">
        <Field label="Budget">{(f) => <input {...f} value={p.budget} inputMode="decimal" placeholder="500" onChange={(e) => update(['publish', 'budget'], e.target.value)} autoComplete="off" />}</Field>
        <Field label="Currency">
          {(f) => <select {...f} value={p.currency} onChange={(e) => update(['publish', 'currency'], e.target.value)}>{CURRENCIES.map((c) => <option key={c}>{c}</option>)}</select>}
        </Field>
        <Field label="Start date">{(f) => <input {...f} type="date" value={p.startsAt} onChange={(e) => update(['publish', 'startsAt'], e.target.value)} />}</Field>
        <Field label="End date">{(f) => <input {...f} type="date" value={p.endsAt} onChange={(e) => update(['publish', 'endsAt'], e.target.value)} />}</Field>
        <fieldset className="choices span-2">
          <legend>When saved</legend>
          {[['draft', 'Keep as a draft'], ['schedule', 'Schedule for the start date'], ['now', 'Launch now']].map(([value, label]) => (
            <label key={value} className="check">
              <input type="radio" name="launch" value={value} checked={p.launch === value} onChange={() => update(['publish', 'launch'], value)} />
              {label}
            </label>
          ))}
        </fieldset>
      </div>
      <dl className="facts review" aria-label="Review">
        <dt>Name</dt><dd>{data.name || '—'}</dd>
        <dt>Product</dt><dd>{product?.name ?? '—'}</dd>
        <dt>Audience</dt><dd>{data.audience.ageMin}–{data.audience.ageMax}, {data.audience.gender === 'all' ? 'everyone' : data.audience.gender}{data.audience.locations ? `, ${data.audience.locations}` : ''}</dd>
        <dt>Platforms</dt><dd>{platforms.join(', ') || '—'}</dd>
        <dt>Creatives</dt><dd>{data.creatives.length}</dd>
        <dt>Budget</dt><dd>{p.budget ? money(p.budget, p.currency) : '—'}</dd>
      </dl>
    </div>
  );
}
