// The Campaign Builder schema, as an ordered list of migrations. A released
// migration is never edited: a change is a new entry at the end.
//
// Translation of the Postgres design (supabase/migrations/0001_schema.sql has
// the server side), and where this differs:
// - uuid -> TEXT (ids are made in C++, cs::new_uuid). timestamptz -> TEXT
//   "YYYY-MM-DDTHH:MM:SS.mmmZ" (cs::clock): fixed-width UTC, so text order is
//   time order and expiry checks compare the column directly.
// - jsonb -> TEXT checked with json_valid(); returned to callers parsed.
// - DECIMAL(10,2) -> INTEGER cents (price, budget), DECIMAL(10,4) -> INTEGER
//   ten-thousandths (cost_credits); CHECK typeof = 'integer' keeps binary
//   floating point out even for raw SQL writes. The sync codec maps them to
//   the server's decimals exactly.
// - boolean -> INTEGER 0/1.
// - Every table has updated_at and hlc (the hybrid logical clock of the last
//   write, see src/sync/hlc.hpp); the design had only
//   created_at on images, backgrounds, assets and AI generations.
// - products and campaigns carry `seq INTEGER PRIMARY KEY` with `id` UNIQUE:
//   the FTS5 index refers to rows by an integer that VACUUM cannot renumber
//   (an implicit rowid may be). seq is local and never synced.
// - CHECK constraints are the server's (enums, elements is an array) plus
//   json_valid and integer money. Stricter rules (lengths, ranges, status
//   transitions, one primary image, one active background, one live draft)
//   live in the data API: rows pulled from the server are written as the
//   server has them, and a local CHECK the server does not have would wedge
//   sync on the first such row. For the same reason NOT NULL columns with a
//   default use ON CONFLICT REPLACE: a NULL from the server becomes the default.
// - Foreign keys are enforced (PRAGMA foreign_keys, SQLITE_DEFAULT_FOREIGN_KEYS)
//   with the design's ON DELETE actions. user_id references users only on
//   products, as in the design; the server adds user_id to every table for
//   RLS, which a one-user local database does not need.
// - GIN indexes on JSON become an expression index on the one JSON path the
//   API filters on (campaigns.legacy_data -> '$.id', the legacy import's key).
#include "migrations.hpp"

#include "db/cold_code.hpp"

CS_COLD_CODE_BEGIN

namespace cs::schema {

namespace {

#define CS_NOW "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"
#define CS_TIMESTAMPS                                                \
  "  created_at TEXT NOT NULL ON CONFLICT REPLACE DEFAULT " CS_NOW ",\n" \
  "  updated_at TEXT NOT NULL ON CONFLICT REPLACE DEFAULT " CS_NOW ",\n" \
  "  hlc TEXT\n"
#define CS_JSON(col, def) "  " col " TEXT DEFAULT '" def "' CHECK (json_valid(" col ")),\n"

const char* const kV1CoreTables =
    "PRAGMA application_id = 1129530434;\n"  // kApplicationId, "CSDB"

    "CREATE TABLE users (\n"
    "  id TEXT PRIMARY KEY NOT NULL,\n"
    "  email TEXT COLLATE NOCASE UNIQUE,\n"
    "  name TEXT,\n"
    "  avatar_url TEXT,\n"
    CS_JSON("settings", "{}")
    CS_TIMESTAMPS ");\n"

    "CREATE TABLE products (\n"
    "  seq INTEGER PRIMARY KEY,\n"
    "  id TEXT NOT NULL UNIQUE,\n"
    "  user_id TEXT REFERENCES users(id) ON DELETE CASCADE,\n"
    "  name TEXT NOT NULL,\n"
    "  description TEXT,\n"
    "  brand TEXT,\n"
    "  category TEXT,\n"
    "  price INTEGER CHECK (price IS NULL OR typeof(price) = 'integer'),\n"
    "  sku TEXT,\n"
    "  url TEXT,\n"
    CS_JSON("utm_codes", "{}")
    CS_JSON("metadata", "{}")
    CS_JSON("settings", "{}")
    "  status TEXT DEFAULT 'active',\n"
    CS_TIMESTAMPS ");\n"
    "CREATE INDEX products_user_created ON products(user_id, created_at);\n"
    "CREATE INDEX products_status_created ON products(status, created_at);\n"
    "CREATE INDEX products_created ON products(created_at);\n"

    "CREATE TABLE product_images (\n"
    "  id TEXT PRIMARY KEY NOT NULL,\n"
    "  product_id TEXT REFERENCES products(id) ON DELETE CASCADE,\n"
    "  url TEXT NOT NULL,\n"
    "  storage_path TEXT,\n"
    "  file_name TEXT,\n"
    "  alt_text TEXT,\n"
    "  size INTEGER,\n"
    "  is_primary INTEGER NOT NULL ON CONFLICT REPLACE DEFAULT 0,\n"
    CS_JSON("metadata", "{}")
    CS_TIMESTAMPS ");\n"
    "CREATE INDEX product_images_product ON product_images(product_id, created_at);\n"

    "CREATE TABLE background_versions (\n"
    "  id TEXT PRIMARY KEY NOT NULL,\n"
    "  product_image_id TEXT REFERENCES product_images(id) ON DELETE CASCADE,\n"
    "  url TEXT,\n"
    "  storage_path TEXT,\n"
    "  prompt TEXT,\n"
    "  request_id TEXT,\n"
    "  processing_time INTEGER,\n"
    CS_JSON("metadata", "{}")
    "  is_active INTEGER NOT NULL ON CONFLICT REPLACE DEFAULT 0,\n"
    CS_TIMESTAMPS ");\n"
    "CREATE INDEX background_versions_image ON background_versions(product_image_id, created_at);\n"

    "CREATE TABLE campaigns (\n"
    "  seq INTEGER PRIMARY KEY,\n"
    "  id TEXT NOT NULL UNIQUE,\n"
    "  user_id TEXT,\n"
    "  product_id TEXT REFERENCES products(id) ON DELETE SET NULL,\n"
    "  name TEXT NOT NULL,\n"
    "  type TEXT,\n"
    "  status TEXT NOT NULL ON CONFLICT REPLACE DEFAULT 'draft',\n"
    "  budget INTEGER CHECK (budget IS NULL OR typeof(budget) = 'integer'),\n"
    "  currency TEXT NOT NULL ON CONFLICT REPLACE DEFAULT 'USD',\n"
    "  starts_at TEXT,\n"
    "  ends_at TEXT,\n"
    "  launched_at TEXT,\n"
    CS_JSON("audience_config", "{}")
    CS_JSON("platform_config", "{}")
    CS_JSON("creative_config", "{}")
    CS_JSON("publish_config", "{}")
    "  legacy_data TEXT CHECK (json_valid(legacy_data)),\n"
    "  source TEXT DEFAULT 'v2',\n"
    CS_TIMESTAMPS ");\n"
    "CREATE INDEX campaigns_user_created ON campaigns(user_id, created_at);\n"
    "CREATE INDEX campaigns_status_created ON campaigns(status, created_at);\n"
    "CREATE INDEX campaigns_created ON campaigns(created_at);\n"
    "CREATE INDEX campaigns_product ON campaigns(product_id);\n"
    "CREATE INDEX campaigns_legacy_id ON campaigns(json_extract(legacy_data, '$.id'))\n"
    "  WHERE legacy_data IS NOT NULL;\n"

    "CREATE TABLE campaign_drafts (\n"
    "  id TEXT PRIMARY KEY NOT NULL,\n"
    "  campaign_id TEXT REFERENCES campaigns(id) ON DELETE CASCADE,\n"
    CS_JSON("step_data", "{}")
    "  auto_saved_at TEXT NOT NULL ON CONFLICT REPLACE DEFAULT " CS_NOW ",\n"
    "  expires_at TEXT NOT NULL ON CONFLICT REPLACE DEFAULT\n"
    "    (strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+7 days')),\n"
    CS_TIMESTAMPS ");\n"
    "CREATE INDEX campaign_drafts_campaign ON campaign_drafts(campaign_id, auto_saved_at);\n"
    "CREATE INDEX campaign_drafts_expires ON campaign_drafts(expires_at);\n"

    "CREATE TABLE creatives (\n"
    "  id TEXT PRIMARY KEY NOT NULL,\n"
    "  campaign_id TEXT REFERENCES campaigns(id) ON DELETE CASCADE,\n"
    "  name TEXT,\n"
    "  format_id TEXT,\n"
    "  format_name TEXT,\n"
    "  width INTEGER,\n"
    "  height INTEGER,\n"
    "  elements TEXT DEFAULT '[]'\n"
    "    CHECK (json_valid(elements) AND json_type(elements) = 'array'),\n"
    CS_JSON("metadata", "{}")
    "  version INTEGER NOT NULL ON CONFLICT REPLACE DEFAULT 1,\n"
    "  is_active INTEGER NOT NULL ON CONFLICT REPLACE DEFAULT 1,\n"
    CS_TIMESTAMPS ");\n"
    "CREATE INDEX creatives_campaign ON creatives(campaign_id, created_at);\n"

    "CREATE TABLE creative_assets (\n"
    "  id TEXT PRIMARY KEY NOT NULL,\n"
    "  creative_id TEXT REFERENCES creatives(id) ON DELETE CASCADE,\n"
    "  type TEXT CHECK (type IN ('image', 'video', 'text', 'button')),\n"
    "  url TEXT,\n"
    "  storage_path TEXT,\n"
    "  content TEXT,\n"
    CS_JSON("styles", "{}")
    CS_JSON("position", "{}")
    CS_JSON("metadata", "{}")
    CS_TIMESTAMPS ");\n"
    "CREATE INDEX creative_assets_creative ON creative_assets(creative_id, created_at);\n"

    // Access and refresh tokens are deliberately absent: a browser database
    // is readable by any script on the origin. The server keeps them.
    "CREATE TABLE platform_integrations (\n"
    "  id TEXT PRIMARY KEY NOT NULL,\n"
    "  user_id TEXT,\n"
    "  platform_id TEXT CHECK (platform_id IN ('meta', 'display', 'ctv', 'tiktok')),\n"
    "  platform_account_id TEXT,\n"
    CS_JSON("settings", "{}")
    "  status TEXT DEFAULT 'active',\n"
    "  expires_at TEXT,\n"
    CS_TIMESTAMPS ");\n"
    "CREATE INDEX platform_integrations_user_platform ON platform_integrations(user_id, platform_id);\n"
    "CREATE INDEX platform_integrations_expires ON platform_integrations(expires_at);\n"

    "CREATE TABLE campaign_publications (\n"
    "  id TEXT PRIMARY KEY NOT NULL,\n"
    "  campaign_id TEXT REFERENCES campaigns(id) ON DELETE CASCADE,\n"
    "  platform_integration_id TEXT REFERENCES platform_integrations(id) ON DELETE SET NULL,\n"
    "  platform_campaign_id TEXT,\n"
    "  status TEXT DEFAULT 'pending',\n"
    CS_JSON("metrics", "{}")
    "  last_sync_at TEXT,\n"
    CS_TIMESTAMPS ");\n"
    "CREATE INDEX campaign_publications_campaign ON campaign_publications(campaign_id, created_at);\n"
    "CREATE INDEX campaign_publications_integration ON campaign_publications(platform_integration_id);\n"
    "CREATE INDEX campaign_publications_status ON campaign_publications(status);\n"

    "CREATE TABLE ai_generations (\n"
    "  id TEXT PRIMARY KEY NOT NULL,\n"
    "  user_id TEXT,\n"
    "  type TEXT CHECK (type IN ('background', 'copy', 'creative')),\n"
    "  prompt TEXT,\n"
    "  service TEXT CHECK (service IN ('fal', 'openai', 'midjourney')),\n"
    "  request_id TEXT,\n"
    CS_JSON("response_data", "{}")
    "  processing_time INTEGER,\n"
    "  cost_credits INTEGER CHECK (cost_credits IS NULL OR typeof(cost_credits) = 'integer'),\n"
    CS_TIMESTAMPS ");\n"
    "CREATE INDEX ai_generations_user_created ON ai_generations(user_id, created_at);\n"
    "CREATE INDEX ai_generations_created ON ai_generations(created_at);\n";

// Full-text search over product name/brand/description and campaign name.
// External content: the text lives once, in the tables; triggers keep the
// index in step with every write, raw SQL and sync included. The update
// triggers fire only when an indexed column really changed, because the data
// API's UPDATE names every column.
const char* const kV2Search = R"sql(
CREATE VIRTUAL TABLE fts_products USING fts5(
  name, brand, description,
  content='products', content_rowid='seq', tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE fts_campaigns USING fts5(
  name, content='campaigns', content_rowid='seq', tokenize='unicode61 remove_diacritics 2');
INSERT INTO fts_products(fts_products) VALUES ('rebuild');
INSERT INTO fts_campaigns(fts_campaigns) VALUES ('rebuild');

CREATE TRIGGER products_fts_insert AFTER INSERT ON products BEGIN
  INSERT INTO fts_products(rowid, name, brand, description)
  VALUES (new.seq, new.name, new.brand, new.description);
END;
CREATE TRIGGER products_fts_delete AFTER DELETE ON products BEGIN
  INSERT INTO fts_products(fts_products, rowid, name, brand, description)
  VALUES ('delete', old.seq, old.name, old.brand, old.description);
END;
CREATE TRIGGER products_fts_update AFTER UPDATE OF name, brand, description ON products
WHEN old.name IS NOT new.name OR old.brand IS NOT new.brand OR old.description IS NOT new.description
BEGIN
  INSERT INTO fts_products(fts_products, rowid, name, brand, description)
  VALUES ('delete', old.seq, old.name, old.brand, old.description);
  INSERT INTO fts_products(rowid, name, brand, description)
  VALUES (new.seq, new.name, new.brand, new.description);
END;

CREATE TRIGGER campaigns_fts_insert AFTER INSERT ON campaigns BEGIN
  INSERT INTO fts_campaigns(rowid, name) VALUES (new.seq, new.name);
END;
CREATE TRIGGER campaigns_fts_delete AFTER DELETE ON campaigns BEGIN
  INSERT INTO fts_campaigns(fts_campaigns, rowid, name) VALUES ('delete', old.seq, old.name);
END;
CREATE TRIGGER campaigns_fts_update AFTER UPDATE OF name ON campaigns
WHEN old.name IS NOT new.name
BEGIN
  INSERT INTO fts_campaigns(fts_campaigns, rowid, name) VALUES ('delete', old.seq, old.name);
  INSERT INTO fts_campaigns(rowid, name) VALUES (new.seq, new.name);
END;
)sql";

// The local cache that replaces the server's in-memory scraping cache and
// the planned Redis: JSON values with an optional expiry. Local only (not
// synced): it is a cache.
const char* const kV3Cache = R"sql(
CREATE TABLE cache_entries (
  key TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL CHECK (json_valid(value)),
  expires_at TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX cache_entries_expires ON cache_entries(expires_at) WHERE expires_at IS NOT NULL;
)sql";

// The localStorage migration (src/legacy/), local only (never synced):
// every legacy value verbatim with what became of it, the map from legacy
// ids to rows (so a re-migration updates instead of duplicating, and the
// export can write the originals back), the content-addressed blobs that
// replace data: URLs, and the runs with their reports.
const char* const kV4Legacy = R"sql(
CREATE TABLE legacy_sources (
  key TEXT PRIMARY KEY NOT NULL,
  raw TEXT NOT NULL,
  hash TEXT NOT NULL,
  units INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  entity TEXT,
  outcome TEXT NOT NULL CHECK (outcome IN ('migrated', 'unparsed', 'exported')),
  reason TEXT,
  detail TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(detail)),
  lossy INTEGER NOT NULL DEFAULT 0,
  echo_hash TEXT,
  migrated_at TEXT NOT NULL,
  released_at TEXT
);
CREATE TABLE legacy_id_map (
  entity TEXT NOT NULL,
  slot TEXT NOT NULL,
  row_id TEXT NOT NULL,
  legacy_id TEXT,
  legacy_json TEXT,
  group_key TEXT NOT NULL,
  ordinal INTEGER NOT NULL,
  parent TEXT NOT NULL DEFAULT '',
  ref TEXT,
  link TEXT,
  original TEXT CHECK (original IS NULL OR json_valid(original)),
  notes TEXT CHECK (notes IS NULL OR json_valid(notes)),
  stale INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (entity, slot)
);
CREATE INDEX legacy_id_map_row ON legacy_id_map(row_id);
CREATE INDEX legacy_id_map_legacy ON legacy_id_map(entity, legacy_id, parent, ordinal);
CREATE INDEX legacy_id_map_group ON legacy_id_map(group_key);
CREATE TABLE blobs (
  hash TEXT PRIMARY KEY NOT NULL,
  data BLOB NOT NULL,
  size INTEGER NOT NULL,
  mime TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE TABLE legacy_runs (
  id INTEGER PRIMARY KEY,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  run TEXT NOT NULL DEFAULT '{}',
  report TEXT
);
)sql";

// Full-text indexing moves out of the write statements (measured: a third
// of a bulk insert, see search::index_pending). The triggers now queue the
// rowid of a new or changed row; search::index_pending indexes the queue
// before every commit of the data API, and search (or a raw SQL read)
// catches up with rows raw SQL wrote outside one. A row still queued is not
// in the index yet, so its delete or change only drops it from the queue or
// re-queues it; one already indexed is removed with its old values, as before.
// And the list filters on category and brand get the index the user and
// status filters had: a category page scanned every product by date.
const char* const kV5DeferredIndexing = R"sql(
CREATE TABLE fts_products_pending (seq INTEGER PRIMARY KEY);
CREATE TABLE fts_campaigns_pending (seq INTEGER PRIMARY KEY);
DROP TRIGGER products_fts_insert;
DROP TRIGGER products_fts_delete;
DROP TRIGGER products_fts_update;
DROP TRIGGER campaigns_fts_insert;
DROP TRIGGER campaigns_fts_delete;
DROP TRIGGER campaigns_fts_update;

CREATE TRIGGER products_fts_insert AFTER INSERT ON products BEGIN
  INSERT OR IGNORE INTO fts_products_pending(seq) VALUES (new.seq);
END;
CREATE TRIGGER products_fts_delete AFTER DELETE ON products BEGIN
  INSERT INTO fts_products(fts_products, rowid, name, brand, description)
  SELECT 'delete', old.seq, old.name, old.brand, old.description
  WHERE NOT EXISTS (SELECT 1 FROM fts_products_pending WHERE seq = old.seq);
  DELETE FROM fts_products_pending WHERE seq = old.seq;
END;
CREATE TRIGGER products_fts_update AFTER UPDATE OF name, brand, description ON products
WHEN old.name IS NOT new.name OR old.brand IS NOT new.brand OR old.description IS NOT new.description
BEGIN
  INSERT INTO fts_products(fts_products, rowid, name, brand, description)
  SELECT 'delete', old.seq, old.name, old.brand, old.description
  WHERE NOT EXISTS (SELECT 1 FROM fts_products_pending WHERE seq = old.seq);
  INSERT OR IGNORE INTO fts_products_pending(seq) VALUES (new.seq);
END;

CREATE TRIGGER campaigns_fts_insert AFTER INSERT ON campaigns BEGIN
  INSERT OR IGNORE INTO fts_campaigns_pending(seq) VALUES (new.seq);
END;
CREATE TRIGGER campaigns_fts_delete AFTER DELETE ON campaigns BEGIN
  INSERT INTO fts_campaigns(fts_campaigns, rowid, name)
  SELECT 'delete', old.seq, old.name
  WHERE NOT EXISTS (SELECT 1 FROM fts_campaigns_pending WHERE seq = old.seq);
  DELETE FROM fts_campaigns_pending WHERE seq = old.seq;
END;
CREATE TRIGGER campaigns_fts_update AFTER UPDATE OF name ON campaigns
WHEN old.name IS NOT new.name
BEGIN
  INSERT INTO fts_campaigns(fts_campaigns, rowid, name)
  SELECT 'delete', old.seq, old.name
  WHERE NOT EXISTS (SELECT 1 FROM fts_campaigns_pending WHERE seq = old.seq);
  INSERT OR IGNORE INTO fts_campaigns_pending(seq) VALUES (new.seq);
END;

CREATE INDEX products_category_created ON products(category, created_at);
CREATE INDEX products_brand_created ON products(brand, created_at);
)sql";

// Sync's own tables (src/sync/), under versioned migrations from here on.
// The sync engine created them itself before (CREATE TABLE IF NOT EXISTS at
// every open), so the first part restates them as they were, for databases
// that never had them; the rest changes them:
// - sync_outbox.changed: the columns an update changed ("|name|budget|";
//   NULL for inserts and deletes: every column), so a push knows which
//   fields it carries as the device's own edit;
// - sync_rejected also holds pulled rows that failed the checks (source
//   'pull', no mutation id), so it gets a key of its own;
// - sync_acked: per row, this device's last change the server acknowledged
//   (its clock and a digest of each column it changed), to see on every
//   later pull whether another device's write overwrote it, and whether a
//   pull has returned the row since (a reset keeps the row until one has);
// - sync_cascade: parents being deleted right now, so their children's
//   cascaded changes are not captured (the server cascades itself);
// - sync_stash: the last state of a row such a cascade removed while it had
//   a change still to push, which the push then carries (the parent's
//   delete may lose on the server, and the child's change must not);
// - the capture triggers are dropped; the engine creates their new form at
//   open (they are generated from its table specs).
const char* const kV6SyncTables = R"sql(
CREATE TABLE IF NOT EXISTS sync_state(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sync_outbox(
  mutation_id INTEGER PRIMARY KEY AUTOINCREMENT,
  table_name TEXT NOT NULL,
  row_id TEXT NOT NULL,
  op TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
  hlc TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')));
CREATE INDEX IF NOT EXISTS sync_outbox_row ON sync_outbox(table_name, row_id, mutation_id);
CREATE TABLE IF NOT EXISTS sync_rejected(
  mutation_id INTEGER PRIMARY KEY, table_name TEXT NOT NULL, row_id TEXT NOT NULL,
  op TEXT NOT NULL, hlc TEXT NOT NULL, code TEXT, message TEXT, row TEXT,
  rejected_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')));
CREATE TABLE IF NOT EXISTS sync_conflicts(
  seq INTEGER PRIMARY KEY AUTOINCREMENT, table_name TEXT NOT NULL, row_id TEXT NOT NULL,
  local TEXT, remote TEXT, winner TEXT NOT NULL,
  seen_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')));
CREATE TABLE IF NOT EXISTS sync_seen(table_name TEXT NOT NULL, row_id TEXT NOT NULL,
  PRIMARY KEY (table_name, row_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sync_parked(
  table_name TEXT NOT NULL, row_id TEXT NOT NULL, change TEXT NOT NULL, reason TEXT NOT NULL,
  PRIMARY KEY (table_name, row_id));
CREATE TABLE IF NOT EXISTS sync_blobs(
  user_id TEXT NOT NULL, bucket TEXT NOT NULL, hash TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'acknowledged', 'rejected')),
  attempts INTEGER NOT NULL DEFAULT 0, last_status INTEGER, last_error TEXT,
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (user_id, bucket, hash)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sync_blob_refs(
  seq INTEGER PRIMARY KEY, bucket TEXT NOT NULL, hash TEXT NOT NULL,
  table_name TEXT NOT NULL, row_id TEXT NOT NULL,
  UNIQUE (bucket, hash, table_name, row_id));

ALTER TABLE sync_outbox ADD COLUMN changed TEXT;

CREATE TABLE sync_rejected_v6(
  seq INTEGER PRIMARY KEY,
  source TEXT NOT NULL CHECK (source IN ('push', 'pull')),
  mutation_id INTEGER UNIQUE,
  table_name TEXT NOT NULL, row_id TEXT NOT NULL, op TEXT NOT NULL, hlc TEXT NOT NULL,
  code TEXT, message TEXT, row TEXT,
  rejected_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')));
INSERT INTO sync_rejected_v6(source, mutation_id, table_name, row_id, op, hlc, code, message, row, rejected_at)
  SELECT 'push', mutation_id, table_name, row_id, op, hlc, code, message, row, rejected_at
  FROM sync_rejected ORDER BY mutation_id;
DROP TABLE sync_rejected;
ALTER TABLE sync_rejected_v6 RENAME TO sync_rejected;
CREATE INDEX sync_rejected_row ON sync_rejected(table_name, row_id);

CREATE TABLE sync_acked(
  table_name TEXT NOT NULL, row_id TEXT NOT NULL, hlc TEXT NOT NULL,
  op TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
  fields TEXT CHECK (fields IS NULL OR json_valid(fields)),
  returned INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (table_name, row_id)) WITHOUT ROWID;
CREATE TABLE sync_cascade(table_name TEXT NOT NULL, row_id TEXT NOT NULL,
  PRIMARY KEY (table_name, row_id)) WITHOUT ROWID;
CREATE TABLE sync_stash(table_name TEXT NOT NULL, row_id TEXT NOT NULL,
  row TEXT NOT NULL CHECK (json_valid(row)),
  PRIMARY KEY (table_name, row_id)) WITHOUT ROWID;

DROP TRIGGER IF EXISTS sync_capture_users_insert;
DROP TRIGGER IF EXISTS sync_capture_users_update;
DROP TRIGGER IF EXISTS sync_capture_users_delete;
DROP TRIGGER IF EXISTS sync_capture_products_insert;
DROP TRIGGER IF EXISTS sync_capture_products_update;
DROP TRIGGER IF EXISTS sync_capture_products_delete;
DROP TRIGGER IF EXISTS sync_capture_product_images_insert;
DROP TRIGGER IF EXISTS sync_capture_product_images_update;
DROP TRIGGER IF EXISTS sync_capture_product_images_delete;
DROP TRIGGER IF EXISTS sync_capture_background_versions_insert;
DROP TRIGGER IF EXISTS sync_capture_background_versions_update;
DROP TRIGGER IF EXISTS sync_capture_background_versions_delete;
DROP TRIGGER IF EXISTS sync_capture_campaigns_insert;
DROP TRIGGER IF EXISTS sync_capture_campaigns_update;
DROP TRIGGER IF EXISTS sync_capture_campaigns_delete;
DROP TRIGGER IF EXISTS sync_capture_campaign_drafts_insert;
DROP TRIGGER IF EXISTS sync_capture_campaign_drafts_update;
DROP TRIGGER IF EXISTS sync_capture_campaign_drafts_delete;
DROP TRIGGER IF EXISTS sync_capture_creatives_insert;
DROP TRIGGER IF EXISTS sync_capture_creatives_update;
DROP TRIGGER IF EXISTS sync_capture_creatives_delete;
DROP TRIGGER IF EXISTS sync_capture_creative_assets_insert;
DROP TRIGGER IF EXISTS sync_capture_creative_assets_update;
DROP TRIGGER IF EXISTS sync_capture_creative_assets_delete;
DROP TRIGGER IF EXISTS sync_capture_platform_integrations_insert;
DROP TRIGGER IF EXISTS sync_capture_platform_integrations_update;
DROP TRIGGER IF EXISTS sync_capture_platform_integrations_delete;
DROP TRIGGER IF EXISTS sync_capture_campaign_publications_insert;
DROP TRIGGER IF EXISTS sync_capture_campaign_publications_update;
DROP TRIGGER IF EXISTS sync_capture_campaign_publications_delete;
DROP TRIGGER IF EXISTS sync_capture_ai_generations_insert;
DROP TRIGGER IF EXISTS sync_capture_ai_generations_update;
DROP TRIGGER IF EXISTS sync_capture_ai_generations_delete;
)sql";

#undef CS_JSON
#undef CS_TIMESTAMPS
#undef CS_NOW

// 7: the multi-tab worker's request log (js/worker/executor.js): a write
// another tab forwarded is recorded in its own transaction, so a resend is
// answered from the record instead of applied twice; `blobs` holds the
// answer's bytes. A worker before this migration created the table itself,
// at first without `blobs`.
const char* const kV7TabRequestLog = R"sql(
CREATE TABLE IF NOT EXISTS _cs_tab_requests(
  key TEXT PRIMARY KEY, response TEXT NOT NULL, at INTEGER NOT NULL, blobs BLOB);
)sql";

void add_request_log_blobs(Database& db) {
  Statement column(db, "SELECT 1 FROM pragma_table_info('_cs_tab_requests') WHERE name = 'blobs'");
  if (!column.step()) db.exec("ALTER TABLE _cs_tab_requests ADD COLUMN blobs BLOB");
}

}  // namespace

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> list = {
      {1, "campaign builder tables", kV1CoreTables},
      {2, "full-text search", kV2Search},
      {3, "local cache", kV3Cache},
      {4, "legacy localStorage import", kV4Legacy},
      {5, "deferred full-text indexing, category and brand indexes", kV5DeferredIndexing},
      {6, "sync tables under versioned migrations", kV6SyncTables},
      {7, "the multi-tab request log", kV7TabRequestLog, false, add_request_log_blobs},
  };
  return list;
}

}  // namespace cs::schema

CS_COLD_CODE_END
