// Hooks over the store's public API that the screens share.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useCampaignStore, useLiveQuery } from 'campaign-store/react';

/** Primary image URL per product id, for the given products (live). */
export function usePrimaryImages(productIds) {
  const key = productIds.join(',');
  const snapshot = useLiveQuery(
    productIds.length === 0 ? null : (s) => s.sql.query(
      'SELECT product_id AS productId, url, alt_text AS altText FROM product_images '
      + 'WHERE is_primary = 1 AND product_id IN (SELECT value FROM json_each(?))',
      [JSON.stringify(productIds)],
    ),
    [key],
    // json_each is a virtual table, so name the table the query depends on.
    { tables: ['product_images'] },
  );
  const map = new Map();
  for (const row of snapshot.data?.rows ?? []) map.set(row.productId, row);
  return map;
}

/**
 * What a creative can show for a product (live): each of its photos and each
 * background generated for them, as {key, kind, id, url, label}.
 */
export function useImageChoices(productId) {
  const snapshot = useLiveQuery(
    productId ? (s) => s.sql.query(
      'SELECT i.id, i.url, i.alt_text AS altText, i.file_name AS fileName, i.is_primary AS isPrimary, '
      + 'b.id AS bgId, b.url AS bgUrl, b.prompt FROM product_images i LEFT JOIN background_versions b ON b.product_image_id = i.id '
      + 'WHERE i.product_id = ? ORDER BY i.is_primary DESC, i.created_at, b.created_at',
      [productId],
    ) : null,
    [productId],
  );
  const choices = [];
  const seen = new Set();
  for (const r of snapshot.data?.rows ?? []) {
    if (!seen.has(r.id)) {
      seen.add(r.id);
      choices.push({ key: `image:${r.id}`, kind: 'image', id: r.id, url: r.url, primary: r.isPrimary === 1,
        label: `Photo: ${r.altText || r.fileName || 'untitled'}${r.isPrimary === 1 ? ' (primary)' : ''}` });
    }
    if (r.bgId && r.bgUrl) {
      choices.push({ key: `background:${r.bgId}`, kind: 'background', id: r.bgId, url: r.bgUrl,
        label: `Background: ${r.prompt || 'generated'}` });
    }
  }
  return choices;
}

/** Row count of a table (live). */
export function useCount(table) {
  const snapshot = useLiveQuery((s) => s.sql.query(`SELECT count(*) AS n FROM ${table}`), [table]);
  return snapshot.data?.rows?.[0]?.n ?? null;
}

/**
 * Runs load(store) now, after any committed change (debounced) and every
 * intervalMs; for reads the live-query machinery does not track (metrics,
 * storage estimates, sync status).
 */
export function usePolled(load, { intervalMs = 0, tables = '*', deps = [] } = {}) {
  const store = useCampaignStore();
  const [state, setState] = useState({ data: undefined, error: null, loading: true });
  const loadRef = useRef(load);
  loadRef.current = load;
  const run = useCallback(async () => {
    try {
      const data = await loadRef.current(store);
      setState({ data, error: null, loading: false });
    } catch (error) {
      if (error?.code === 'CLOSED') return;
      setState((s) => ({ ...s, error, loading: false }));
    }
  }, [store]);
  useEffect(() => {
    let timer = null;
    let alive = true;
    const soon = () => {
      clearTimeout(timer);
      timer = setTimeout(() => { if (alive) run(); }, 150);
    };
    run();
    const off = tables ? store.subscribe(tables, soon) : () => {};
    const interval = intervalMs ? setInterval(() => { if (alive) run(); }, intervalMs) : null;
    return () => {
      alive = false;
      off();
      clearTimeout(timer);
      if (interval) clearInterval(interval);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [store, run, intervalMs, ...deps]);
  return { ...state, refresh: run };
}

/** An async action's state for a button: run(fn) sets busy and error. */
export function useAction() {
  const [state, setState] = useState({ busy: false, error: null, done: null });
  const mounted = useRef(true);
  useEffect(() => () => { mounted.current = false; }, []);
  const run = useCallback(async (fn) => {
    setState({ busy: true, error: null, done: null });
    try {
      const done = await fn();
      if (mounted.current) setState({ busy: false, error: null, done: done ?? true });
      return done;
    } catch (error) {
      if (mounted.current) setState({ busy: false, error, done: null });
      return undefined;
    }
  }, []);
  return [state, run];
}
