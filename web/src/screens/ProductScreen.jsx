// One product: its fields, its images (uploaded from disk) and each image's
// background versions. Also the form for a new product.
import { useState } from 'react';
import { useCampaignStore, useLiveQuery } from 'campaign-store/react';
import { Empty, ErrorNote, Field, Loading, PageHeader, StatusBadge, StoredImage } from '../components/ui.jsx';
import { bytes, dateTime, plural } from '../lib/format.js';
import { useAction } from '../lib/hooks.js';
import { generateBackground, imageFromFile, useImageSrc } from '../lib/images.js';
import { navigate } from '../lib/router.js';

const PRICE = /^\d{1,10}(\.\d{1,2})?$/;

export function NewProductScreen() {
  return (
    <>
      <PageHeader title="New product" back={{ href: '#/products', label: 'Products' }} />
      <section className="panel"><ProductForm product={null} /></section>
    </>
  );
}

export function ProductScreen({ id }) {
  const { status, data: product, error } = useLiveQuery(
    (s) => s.products.get(id).catch((err) => (err?.code === 'NOT_FOUND' ? null : Promise.reject(err))),
    [id],
  );
  if (status === 'loading' && product === undefined) return <Loading label="Loading product…" />;
  if (error && !product) return <ErrorNote error={error} />;
  if (!product) {
    return <Empty title="This product does not exist (any more)"><a href="#/products">Back to products</a></Empty>;
  }
  return (
    <>
      <PageHeader title={product.name} back={{ href: '#/products', label: 'Products' }}>
        <DeleteProduct id={product.id} />
      </PageHeader>
      <div className="two-col">
        <section className="panel" aria-labelledby="details-heading">
          <h2 id="details-heading">Details</h2>
          <ProductForm key={product.id} product={product} />
        </section>
        <aside className="panel" aria-labelledby="usage-heading">
          <h2 id="usage-heading">Used by</h2>
          {product.campaigns.length === 0 ? <p className="muted">No campaign uses this product yet.</p> : (
            <ul className="plain-list">
              {product.campaigns.map((c) => (
                <li key={c.id}><a href={`#/campaigns/${encodeURIComponent(c.id)}`}>{c.name}</a> <StatusBadge status={c.status} /></li>
              ))}
            </ul>
          )}
          <dl className="facts">
            <dt>Created</dt><dd>{dateTime(product.createdAt)}</dd>
            <dt>Updated</dt><dd>{dateTime(product.updatedAt)}</dd>
          </dl>
        </aside>
      </div>
      <ImagesSection product={product} />
    </>
  );
}

function textOf(v) {
  return v === null || v === undefined ? '' : String(v);
}

function ProductForm({ product }) {
  const store = useCampaignStore();
  const utm = product?.utmCodes ?? {};
  const [form, setForm] = useState(() => ({
    name: textOf(product?.name),
    brand: textOf(product?.brand),
    category: textOf(product?.category),
    price: textOf(product?.price),
    sku: textOf(product?.sku),
    url: textOf(product?.url),
    description: textOf(product?.description),
    status: product?.status ?? 'active',
    utmSource: textOf(utm.utm_source),
    utmMedium: textOf(utm.utm_medium),
    utmCampaign: textOf(utm.utm_campaign),
  }));
  const [files, setFiles] = useState([]);
  const [action, run] = useAction();
  const [invalid, setInvalid] = useState(null);
  const set = (name) => (e) => setForm((f) => ({ ...f, [name]: e.target.value }));

  const submit = (e) => {
    e.preventDefault();
    const price = form.price.trim().replace(/^\$/, '');
    if (!form.name.trim()) return setInvalid('A product needs a name.');
    if (price && !PRICE.test(price)) return setInvalid('Price must be a number like 29.99.');
    setInvalid(null);
    const orNull = (v) => (v.trim() === '' ? null : v.trim());
    const utmCodes = { ...utm };
    for (const [key, value] of [['utm_source', form.utmSource], ['utm_medium', form.utmMedium], ['utm_campaign', form.utmCampaign]]) {
      if (value.trim()) utmCodes[key] = value.trim();
      else delete utmCodes[key];
    }
    const fields = {
      name: form.name.trim(), brand: orNull(form.brand), category: orNull(form.category), price: price || null,
      sku: orNull(form.sku), url: orNull(form.url), description: orNull(form.description), status: form.status, utmCodes,
    };
    return run(async () => {
      if (product) {
        await store.products.update(product.id, fields);
        return 'Saved';
      }
      const images = [];
      for (const file of files) images.push(await imageFromFile(store, file));
      if (images.length > 0) images[0].isPrimary = true;
      const created = await store.products.create({ ...fields, images });
      navigate(`/products/${encodeURIComponent(created.id)}`);
      return 'Created';
    });
  };

  return (
    <form className="form" onSubmit={submit} noValidate>
      <div className="form-grid">
        <Field label="Name" className="span-2">
          {(p) => <input {...p} value={form.name} onChange={set('name')} required autoComplete="off" />}
        </Field>
        <Field label="Brand">{(p) => <input {...p} value={form.brand} onChange={set('brand')} autoComplete="off" />}</Field>
        <Field label="Category">{(p) => <input {...p} value={form.category} onChange={set('category')} autoComplete="off" />}</Field>
        <Field label="Price (USD)">
          {(p) => <input {...p} value={form.price} onChange={set('price')} inputMode="decimal" placeholder="29.99" autoComplete="off" />}
        </Field>
        <Field label="SKU">{(p) => <input {...p} value={form.sku} onChange={set('sku')} autoComplete="off" />}</Field>
        <Field label="Product URL" className="span-2">
          {(p) => <input {...p} type="url" value={form.url} onChange={set('url')} placeholder="https://shop.example/product" />}
        </Field>
        <Field label="Description" className="span-2">
          {(p) => <textarea {...p} rows={3} value={form.description} onChange={set('description')} />}
        </Field>
        <Field label="UTM source">{(p) => <input {...p} value={form.utmSource} onChange={set('utmSource')} autoComplete="off" />}</Field>
        <Field label="UTM medium">{(p) => <input {...p} value={form.utmMedium} onChange={set('utmMedium')} autoComplete="off" />}</Field>
        <Field label="UTM campaign">{(p) => <input {...p} value={form.utmCampaign} onChange={set('utmCampaign')} autoComplete="off" />}</Field>
        <Field label="Status">
          {(p) => (
            <select {...p} value={form.status} onChange={set('status')}>
              {['active', 'draft', 'archived'].concat(['active', 'draft', 'archived'].includes(form.status) ? [] : [form.status])
                .map((s) => <option key={s} value={s}>{s}</option>)}
            </select>
          )}
        </Field>
        {!product && (
          <Field label="Images" className="span-2" hint="PNG, JPEG, WebP or GIF up to 8 MB each; the first one becomes the primary image.">
            {(p) => <input {...p} type="file" accept="image/*" multiple onChange={(e) => setFiles([...e.target.files])} />}
          </Field>
        )}
      </div>
      {!product && files.length > 0 && (
        <p className="muted">{plural(files.length, 'image')} selected: {files.map((f) => f.name).join(', ')}</p>
      )}
      {invalid && <p className="error-note" role="alert">{invalid}</p>}
      <ErrorNote error={action.error} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={action.busy}>
          {product ? (action.busy ? 'Saving…' : 'Save product') : (action.busy ? 'Creating…' : 'Create product')}
        </button>
        {product && action.done === 'Saved' && <span className="muted" role="status">Saved.</span>}
      </div>
    </form>
  );
}

function DeleteProduct({ id }) {
  const store = useCampaignStore();
  const [confirming, setConfirming] = useState(false);
  const [action, run] = useAction();
  if (!confirming) return <button type="button" className="button danger-outline" onClick={() => setConfirming(true)}>Delete product</button>;
  return (
    <span className="confirm">
      <span>Delete it with its images?</span>
      <button type="button" className="button danger" disabled={action.busy}
        onClick={() => run(async () => { await store.products.delete(id); navigate('/products'); })}>Confirm delete</button>
      <button type="button" className="button" onClick={() => setConfirming(false)}>Keep</button>
      <ErrorNote error={action.error} />
    </span>
  );
}

function ImagesSection({ product }) {
  const store = useCampaignStore();
  const [action, run] = useAction();
  const upload = (e) => {
    const files = [...e.target.files];
    e.target.value = '';
    run(async () => {
      for (const file of files) await store.images.add(product.id, await imageFromFile(store, file));
    });
  };
  return (
    <section className="panel" aria-labelledby="images-heading">
      <div className="section-header">
        <h2 id="images-heading">Images <span className="muted">({product.images.length})</span></h2>
        <Field label="Add images" className="inline-file">
          {(p) => <input {...p} type="file" accept="image/*" multiple onChange={upload} disabled={action.busy} />}
        </Field>
      </div>
      {action.busy && <p className="muted" role="status">Uploading…</p>}
      <ErrorNote error={action.error} />
      {product.images.length === 0 ? <p className="muted">No images yet. Add some from your disk.</p> : (
        <div className="image-grid">
          {product.images.map((image) => <ImageCard key={image.id} image={image} productId={product.id} />)}
        </div>
      )}
    </section>
  );
}

function ImageCard({ image, productId }) {
  const store = useCampaignStore();
  const src = useImageSrc(image.url);
  const [prompt, setPrompt] = useState('');
  const [action, run] = useAction();
  const label = image.fileName ?? image.altText ?? 'image';
  const { width, height } = image.metadata ?? {};
  const versions = [...(image.backgrounds ?? [])].sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)));

  const generate = (e) => {
    e.preventDefault();
    const text = prompt.trim();
    if (!text) return;
    run(async () => {
      const made = await generateBackground(store, { src, prompt: text });
      await store.backgrounds.add(image.id, {
        url: made.url, prompt: text, requestId: crypto.randomUUID(), processingTime: made.processingTime,
        metadata: made.metadata, isActive: true,
      });
      setPrompt('');
    });
  };

  return (
    <article className="image-card" aria-label={`Image ${label}`}>
      <StoredImage url={image.url} alt={image.altText ?? label} className="image-large" />
      <div className="image-info">
        <p className="image-name" title={label}>{label}</p>
        <p className="muted">{[image.size ? bytes(image.size) : null, width && height ? `${width}×${height}` : null].filter(Boolean).join(' · ')}</p>
        <div className="row">
          {image.isPrimary ? <span className="badge badge-primary">Primary</span> : (
            <button type="button" className="button small" disabled={action.busy}
              onClick={() => run(() => store.images.setPrimary(image.id, productId))}>Make primary</button>
          )}
          <button type="button" className="button small danger-outline" disabled={action.busy}
            onClick={() => run(() => store.images.delete(image.id))}>Remove</button>
        </div>
      </div>
      <div className="backgrounds">
        <h3>Background versions <span className="muted">({versions.length})</span></h3>
        {versions.length > 0 && (
          <ul className="version-list" aria-label={`Background versions of ${label}`}>
            {versions.map((v) => (
              <li key={v.id} className={v.isActive ? 'active' : ''}>
                <StoredImage url={v.url} alt={v.prompt ?? 'background'} className="version-thumb" />
                <div className="version-info">
                  <p className="version-prompt">{v.prompt ?? 'untitled'}</p>
                  <p className="muted">{v.processingTime !== null ? `${v.processingTime} ms · ` : ''}{dateTime(v.createdAt)}</p>
                </div>
                {v.isActive ? <span className="badge badge-active">Active</span> : (
                  <button type="button" className="button small" disabled={action.busy}
                    onClick={() => run(() => store.backgrounds.activate(v.id))}>Use</button>
                )}
                <button type="button" className="icon-button" aria-label={`Delete background “${v.prompt ?? v.id}”`}
                  disabled={action.busy} onClick={() => run(() => store.backgrounds.delete(v.id))}>×</button>
              </li>
            ))}
          </ul>
        )}
        <form className="inline-form" onSubmit={generate}>
          <Field label="Background prompt" className="grow">
            {(p) => <input {...p} value={prompt} onChange={(e) => setPrompt(e.target.value)} placeholder="sunlit marble countertop" autoComplete="off" />}
          </Field>
          <button type="submit" className="button" disabled={action.busy || !prompt.trim()}>
            {action.busy ? 'Working…' : 'Generate background'}
          </button>
        </form>
        <ErrorNote error={action.error} />
      </div>
    </article>
  );
}
