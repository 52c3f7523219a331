// Which tables a read depends on, so a live query re-runs only when one of
// them changes. Unknown means "any table" (re-run on every change): never
// wrong, only slower.
//   - entity ops: the tables behind the entity (ENTITY_TABLES), or the
//     op's own entry in TABLES_READ;
//   - sql.query: asked of SQLite itself. EXPLAIN lists the b-trees the
//     statement opens (OpenRead p2 = root page), and sqlite_schema maps root
//     pages to tables; views, CTEs and subqueries resolve to the real tables.

/** The tables behind each entity's reads (src/model/migrations.cpp). */
export const ENTITY_TABLES = Object.freeze({
  products: ['products', 'product_images', 'background_versions'],
  images: ['product_images', 'background_versions'],
  backgrounds: ['background_versions'],
  campaigns: ['campaigns'],
  drafts: ['campaign_drafts'],
  creatives: ['creatives', 'creative_assets'],
  assets: ['creative_assets'],
  integrations: ['platform_integrations'],
  publications: ['campaign_publications'],
  ai: ['ai_generations'],
  cache: ['cache_entries'],
  users: ['users'],
  search: ['products', 'campaigns'],  // the FTS indexes follow these tables
});

/** Single ops that read more (or other) tables than their entity's. */
export const TABLES_READ = Object.freeze({
  // the product with its images, their backgrounds and the campaigns using it
  'products.get': ['products', 'product_images', 'background_versions', 'campaigns'],
  'products.list': ['products'],
  // the campaign with its product, creatives (+ assets) and latest draft
  'campaigns.get': ['campaigns', 'products', 'creatives', 'creative_assets', 'campaign_drafts'],
  'campaigns.list': ['campaigns'],
  'creatives.get': ['creatives', 'creative_assets'],
  'creatives.list': ['creatives'],
});

const NO_TABLES = /^(ping|version|ops|health|metrics)$/;

/**
 * @returns {string[]|null} the tables, or null when unknown (any table)
 */
export function tablesForOp(op, args) {
  if (NO_TABLES.test(op)) return [];
  if (TABLES_READ[op]) return [...TABLES_READ[op]];
  if (op === 'batch') {
    const out = new Set();
    for (const item of args?.ops ?? []) {
      if (item?.op === 'sql.query') return null;  // would need EXPLAIN per step
      const t = tablesForOp(item?.op, item?.args);
      if (t === null) return null;
      t.forEach((x) => out.add(x));
    }
    return [...out];
  }
  if (op.startsWith('sql.')) return null;
  const dot = op.indexOf('.');
  const entity = dot > 0 ? op.slice(0, dot) : null;
  return ENTITY_TABLES[entity] ? [...ENTITY_TABLES[entity]] : null;
}

/**
 * The tables a SELECT reads, from SQLite's own plan.
 * @param {(op: string, args: object) => Promise<any>} call
 * @returns {Promise<string[]|null>}
 */
export async function tablesForSql(call, sql, params) {
  try {
    const plan = await call('sql.query', params === undefined
      ? { sql: `EXPLAIN ${sql}` } : { sql: `EXPLAIN ${sql}`, params });
    const roots = new Set();
    for (const row of plan.rows) {
      if (row.opcode === 'VOpen') return null;  // a virtual table: no root page to name it
      if ((row.opcode === 'OpenRead' || row.opcode === 'ReopenIdx') && row.p3 === 0) roots.add(row.p2);
    }
    if (roots.size === 0) return [];
    const list = [...roots];
    const names = await call('sql.query', {
      sql: `SELECT DISTINCT tbl_name FROM sqlite_schema WHERE rootpage IN (${list.map(() => '?').join(',')})`,
      params: list,
    });
    return names.rows.map((r) => r.tbl_name);
  } catch {
    return null;
  }
}
