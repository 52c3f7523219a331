// Products: the catalogue with full-text search (store.search) and a live list (useProducts).
import { useDeferredValue, useState } from 'react';
import { useLiveQuery, useProducts } from 'campaign-store/react';
import { Empty, ErrorNote, Field, Loading, PageHeader, StatusBadge, StoredImage } from '../components/ui.jsx';
import { money, plural } from '../lib/format.js';
import { useCount, usePrimaryImages } from '../lib/hooks.js';

const PAGE = 60;

export function ProductsScreen() {
  const [q, setQ] = useState('');
  const query = useDeferredValue(q.trim());
  const total = useCount('products');
  return (
    <>
      <PageHeader title="Products">
        <a className="button primary" href="#/products/new">New product</a>
      </PageHeader>
      <div className="toolbar">
        <Field label="Search products" className="grow">
          {(props) => (
            <input {...props} type="search" value={q} onChange={(e) => setQ(e.target.value)}
              placeholder="Name, brand, category, description…" autoComplete="off" />
          )}
        </Field>
        <p className="muted toolbar-note" data-testid="product-count">{total === null || query ? '' : plural(total, 'product')}</p>
      </div>
      {query ? <SearchResults query={query} /> : <ProductList />}
    </>
  );
}

function ProductList() {
  const [limit, setLimit] = useState(PAGE);
  const { status, data, error } = useProducts({ sort: 'updatedAt', order: 'desc', limit });
  const items = data?.items ?? [];
  const images = usePrimaryImages(items.map((p) => p.id));
  if (status === 'loading' && !data) return <Loading label="Loading products…" />;
  if (error && !data) return <ErrorNote error={error} />;
  if (items.length === 0) {
    return (
      <Empty title="No products yet">
        <p>Create one, or seed a legacy localStorage dump on the <a href="#/storage">Storage</a> screen to watch it migrate.</p>
      </Empty>
    );
  }
  return (
    <>
      <ul className="card-grid" aria-label="Products">
        {items.map((p) => (
          <li key={p.id}>
            <a className="card product-card" href={`#/products/${encodeURIComponent(p.id)}`}>
              <StoredImage url={images.get(p.id)?.url} alt={images.get(p.id)?.altText ?? ''} placeholder={p.name} />
              <div className="card-body">
                <h2 className="card-title">{p.name}</h2>
                <p className="muted">{[p.brand, p.category].filter(Boolean).join(' · ') || '\u00a0'}</p>
                <p className="card-meta">
                  <span className="price">{money(p.price)}</span>
                  {p.status !== 'active' && <StatusBadge status={p.status} />}
                </p>
              </div>
            </a>
          </li>
        ))}
      </ul>
      {data?.nextCursor && limit < 500 && (
        <button type="button" className="button more" onClick={() => setLimit((n) => Math.min(500, n + PAGE))}>
          Show more products
        </button>
      )}
    </>
  );
}

function SearchResults({ query }) {
  const { status, data, error } = useLiveQuery(
    (s) => s.search.query(query.slice(0, 256), { kinds: ['product'], limit: 60 }),
    [query],
  );
  const hits = data?.items ?? [];
  const images = usePrimaryImages(hits.map((h) => h.id));
  if (status === 'loading' && !data) return <Loading label="Searching…" />;
  if (error && !data) return <ErrorNote error={error} />;
  if (hits.length === 0) return <Empty title={`No products match “${query}”`} />;
  return (
    <>
    <p className="muted" data-testid="search-count">{plural(hits.length, 'match', 'matches')}{data?.nextCursor ? ' (more below)' : ''}</p>
    <ul className="card-grid" aria-label="Search results">
      {hits.map((h) => (
        <li key={h.id}>
          <a className="card product-card" href={`#/products/${encodeURIComponent(h.id)}`}>
            <StoredImage url={images.get(h.id)?.url} alt={images.get(h.id)?.altText ?? ''} placeholder={h.name} />
            <div className="card-body">
              <h2 className="card-title">{h.name}</h2>
              <p className="muted">{h.brand || '\u00a0'}</p>
              <p className="snippet"><Snippet text={h.snippet} /></p>
            </div>
          </a>
        </li>
      ))}
    </ul>
    </>
  );
}

/** The search snippet marks matches as [term]. */
function Snippet({ text }) {
  const parts = String(text ?? '').split(/(\[[^\]]*\])/g);
  return parts.map((part, i) => (part.startsWith('[') && part.endsWith(']')
    ? <mark key={i}>{part.slice(1, -1)}</mark> : <span key={i}>{part}</span>));
}
