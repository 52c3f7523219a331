// The statements the peers run: exactly the SQL text our ops run (captured
// with sqlite3_trace_v2 from the native dispatcher; `node bench/run.mjs`
// re-captures it every run and flags any drift), with one change: our
// statements call the custom SQL function cs_hlc_now() for the row's clock,
// which the peers bind as a parameter instead (a JS or C callback per row
// would charge them a crossing we do not pay).
// Both the JS peers and the C++ driver take the statements from the data file.
export const OURS_HLC = 'cs_hlc_now()';

export const STATEMENTS = {
  begin: 'BEGIN IMMEDIATE',
  commit: 'COMMIT',
  insertProduct: 'INSERT INTO "products" (id, "user_id", "name", "description", "brand", "category", "price", "sku", "url", "utm_codes", "metadata", "settings", "status", created_at, updated_at, hlc) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)',
  insertImage: 'INSERT INTO "product_images" (id, "product_id", "url", "storage_path", "file_name", "alt_text", "size", "is_primary", "metadata", created_at, updated_at, hlc) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)',
  insertCampaign: 'INSERT INTO "campaigns" (id, "user_id", "product_id", "name", "type", "status", "budget", "currency", "starts_at", "ends_at", "launched_at", "audience_config", "platform_config", "creative_config", "publish_config", "legacy_data", "source", created_at, updated_at, hlc) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)',
  getProduct: 'SELECT id, "user_id", "name", "description", "brand", "category", "price", "sku", "url", "utm_codes", "metadata", "settings", "status", created_at, updated_at FROM "products" WHERE id = ?1',
  getImages: 'SELECT id, "product_id", "url", "storage_path", "file_name", "alt_text", "size", "is_primary", "metadata", created_at, updated_at FROM product_images WHERE product_id = ?1 ORDER BY created_at, rowid',
  getBackgrounds: 'SELECT b.id, b."product_image_id", b."url", b."storage_path", b."prompt", b."request_id", b."processing_time", b."metadata", b."is_active", b.created_at, b.updated_at FROM product_images i JOIN background_versions b ON b.product_image_id = i.id WHERE i.product_id = ?1 ORDER BY b.created_at, b.rowid',
  getProductCampaigns: 'SELECT id, name, status FROM campaigns WHERE product_id = ?1 ORDER BY created_at DESC, seq DESC',
  listFirst: 'SELECT id, "user_id", "name", "description", "brand", "category", "price", "sku", "url", "utm_codes", "metadata", "settings", "status", created_at, updated_at, created_at, rowid FROM "products" WHERE 1 AND "category" = ? ORDER BY created_at DESC, rowid DESC LIMIT ?',
  listNext: 'SELECT id, "user_id", "name", "description", "brand", "category", "price", "sku", "url", "utm_codes", "metadata", "settings", "status", created_at, updated_at, created_at, rowid FROM "products" WHERE 1 AND "category" = ? AND (created_at, rowid) < (?, ?) ORDER BY created_at DESC, rowid DESC LIMIT ?',
  search: "SELECT 'product' AS kind, p.id, p.name, p.brand, p.status, -bm25(fts_products, 10.0, 4.0, 1.0) AS score, snippet(fts_products, -1, '[', ']', '…', 12) AS snippet FROM fts_products JOIN products p ON p.seq = fts_products.rowid WHERE fts_products MATCH ?1 UNION ALL SELECT 'campaign' AS kind, c.id, c.name, NULL, c.status, -bm25(fts_campaigns) AS score, snippet(fts_campaigns, -1, '[', ']', '…', 12) AS snippet FROM fts_campaigns JOIN campaigns c ON c.seq = fts_campaigns.rowid WHERE fts_campaigns MATCH ?1 ORDER BY score DESC LIMIT ?3",
  campaignExists: 'SELECT 1 FROM "campaigns" WHERE id = ?1',
  draftForCampaign: 'SELECT id FROM campaign_drafts WHERE campaign_id = ?1 ORDER BY auto_saved_at DESC, rowid DESC',
  insertDraft: 'INSERT INTO "campaign_drafts" (id, "campaign_id", "step_data", "auto_saved_at", "expires_at", created_at, updated_at, hlc) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)',
  updateDraft: 'UPDATE "campaign_drafts" SET "campaign_id" = CASE WHEN ?2 THEN ?3 ELSE "campaign_id" END, "step_data" = CASE WHEN ?4 THEN ?5 ELSE "step_data" END, "auto_saved_at" = CASE WHEN ?6 THEN ?7 ELSE "auto_saved_at" END, "expires_at" = CASE WHEN ?8 THEN ?9 ELSE "expires_at" END, updated_at = ?10, hlc = ?11 WHERE id = ?1',
  getDraft: 'SELECT id, "campaign_id", "step_data", "auto_saved_at", "expires_at", created_at, updated_at FROM "campaign_drafts" WHERE id = ?1',
  // Before every commit: index what the transaction queued (schema v5 defers
  // full-text indexing to commit time, src/model/search.cpp).
  ftsPending: 'SELECT EXISTS (SELECT 1 FROM fts_products_pending) OR EXISTS (SELECT 1 FROM fts_campaigns_pending)',
  ftsIndexProducts: 'INSERT INTO fts_products(rowid, name, brand, description) SELECT p.seq, p.name, p.brand, p.description FROM fts_products_pending q JOIN products p ON p.seq = q.seq',
  ftsClearProducts: 'DELETE FROM fts_products_pending',
  ftsIndexCampaigns: 'INSERT INTO fts_campaigns(rowid, name) SELECT c.seq, c.name FROM fts_campaigns_pending q JOIN campaigns c ON c.seq = q.seq',
  ftsClearCampaigns: 'DELETE FROM fts_campaigns_pending',
  // Verification (run by every peer after the workload; not timed)
  checkProducts: 'SELECT count(*) AS c1, sum(price) AS c2, sum(length(name)) AS c3 FROM products',
  checkImages: 'SELECT count(*) AS c1, sum(is_primary) AS c2 FROM product_images',
  checkFts: "SELECT count(*) AS c1 FROM fts_products WHERE fts_products MATCH 'acme'",
  checkDrafts: "SELECT count(*) AS c1, sum(json_extract(step_data, '$.rev')) AS c2 FROM campaign_drafts",
};

/** The statements a commit runs when ftsPending says rows are queued. */
export const FTS_INDEX = ['ftsIndexProducts', 'ftsClearProducts', 'ftsIndexCampaigns', 'ftsClearCampaigns'];

/** Our statement text for a peer statement (the hlc parameter back to cs_hlc_now()). */
export function asOurs(name) {
  const sql = STATEMENTS[name];
  const hlcParam = { insertProduct: '?16', insertImage: '?12', insertCampaign: '?20', insertDraft: '?8', updateDraft: '?11' }[name];
  if (!hlcParam) return sql;
  return sql.replace(name === 'updateDraft' ? `hlc = ${hlcParam}` : `, ${hlcParam})`,
    name === 'updateDraft' ? `hlc = ${OURS_HLC}` : `, ${OURS_HLC})`);
}

/** The statements our ops run that a peer mirrors (for the drift check). */
export const MIRRORED = Object.keys(STATEMENTS).filter((k) => !k.startsWith('check'));

/**
 * The peers' schema: ours, read from sqlite_schema of a freshly opened
 * engine. Sync-capture triggers stay (the peers write the same outbox rows)
 * but bind the row's own hlc instead of calling cs_sync_capture()/cs_hlc_now().
 */
export function peerSchema(rows) {
  const out = [];
  const shadow = new Set();
  for (const r of rows) {
    if (r.type === 'table' && /CREATE VIRTUAL TABLE/i.test(r.sql ?? '')) {
      for (const s of ['data', 'idx', 'docsize', 'config', 'content']) shadow.add(`${r.name}_${s}`);
    }
  }
  for (const r of rows) {
    if (!r.sql || r.name.startsWith('sqlite_') || shadow.has(r.name)) continue;
    let sql = r.sql;
    if (r.type === 'trigger' && /cs_/.test(sql)) {
      const row = /AFTER DELETE/i.test(sql) ? 'OLD' : 'NEW';
      // "WHEN cs_sync_capture() AND <condition>" keeps its condition.
      sql = sql.replace(/\bWHEN cs_sync_capture\(\) AND /g, 'WHEN ').replace(/\s+WHEN cs_sync_capture\(\)/g, '')
        .replaceAll('cs_hlc_now()', `${row}.hlc`);
    }
    if (/\bcs_\w+\(/.test(sql)) throw new Error(`peer schema: ${r.name} still calls a custom function: ${sql}`);
    out.push(sql);
  }
  return out;
}
