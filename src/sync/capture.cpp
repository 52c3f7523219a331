// The sync tables, the capture triggers and the two SQL functions they call.
#include "engine_state.hpp"

#include "campaign_store/random.hpp"
#include "campaign_store/encoding.hpp"

#include <sqlite3.h>

namespace cs::sync {

namespace {

const char* kSyncSchema = R"sql(
CREATE TABLE IF NOT EXISTS sync_state(key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- Append-only log of local changes. AUTOINCREMENT: a mutation id is never
-- reused, which is what makes a retried push idempotent on the server.
CREATE TABLE IF NOT EXISTS sync_outbox(
  mutation_id INTEGER PRIMARY KEY AUTOINCREMENT,
  table_name TEXT NOT NULL,
  row_id TEXT NOT NULL,
  op TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
  hlc TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')));
CREATE INDEX IF NOT EXISTS sync_outbox_row ON sync_outbox(table_name, row_id, mutation_id);
-- Changes the server refused, kept with its reason (never silently dropped).
CREATE TABLE IF NOT EXISTS sync_rejected(
  mutation_id INTEGER PRIMARY KEY, table_name TEXT NOT NULL, row_id TEXT NOT NULL,
  op TEXT NOT NULL, hlc TEXT NOT NULL, code TEXT, message TEXT, row TEXT,
  rejected_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')));
-- Last-writer-wins decisions that discarded someone's write, for the app.
CREATE TABLE IF NOT EXISTS sync_conflicts(
  seq INTEGER PRIMARY KEY AUTOINCREMENT, table_name TEXT NOT NULL, row_id TEXT NOT NULL,
  local TEXT, remote TEXT, winner TEXT NOT NULL,
  seen_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')));
-- Rows returned by a full pull after a server reset (see pull.cpp).
CREATE TABLE IF NOT EXISTS sync_seen(table_name TEXT NOT NULL, row_id TEXT NOT NULL,
  PRIMARY KEY (table_name, row_id)) WITHOUT ROWID;
-- Remote rows of tables this version does not know: kept verbatim for the
-- version that does.
CREATE TABLE IF NOT EXISTS sync_parked(
  table_name TEXT NOT NULL, row_id TEXT NOT NULL, change TEXT NOT NULL, reason TEXT NOT NULL,
  PRIMARY KEY (table_name, row_id));
-- Blob uploads to Supabase Storage (blobs.cpp), per user, bucket and content
-- hash, once one was answered: 'acknowledged' is final (never uploaded
-- again), 'rejected' keeps the server's reason until sync.retryBlobs,
-- 'pending' was tried and will be again. A referenced blob without a row
-- here is pending too (never tried).
CREATE TABLE IF NOT EXISTS sync_blobs(
  user_id TEXT NOT NULL, bucket TEXT NOT NULL, hash TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'acknowledged', 'rejected')),
  attempts INTEGER NOT NULL DEFAULT 0, last_status INTEGER, last_error TEXT,
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (user_id, bucket, hash)) WITHOUT ROWID;
-- Local rows whose blob column references a blob that is not acknowledged
-- yet, written by capture triggers in the writing transaction; the upload's
-- acknowledgement rewrites them and removes their entries.
CREATE TABLE IF NOT EXISTS sync_blob_refs(
  seq INTEGER PRIMARY KEY, bucket TEXT NOT NULL, hash TEXT NOT NULL,
  table_name TEXT NOT NULL, row_id TEXT NOT NULL,
  UNIQUE (bucket, hash, table_name, row_id));
)sql";

void fn_capture(sqlite3_context* ctx, int, sqlite3_value**) {
  auto* state = static_cast<Engine::State*>(sqlite3_user_data(ctx));
  sqlite3_result_int(ctx, state->capture ? 1 : 0);
}

void fn_hlc_now(sqlite3_context* ctx, int, sqlite3_value**) {
  auto* state = static_cast<Engine::State*>(sqlite3_user_data(ctx));
  std::string stamp = state->clock.tick(wall_clock_ms());
  sqlite3_result_text(ctx, stamp.c_str(), static_cast<int>(stamp.size()), SQLITE_TRANSIENT);
}

}  // namespace

bool table_exists(Database& db, const std::string& name) {
  auto& q = db.cached("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?");
  q.bind(1, std::string_view(name));
  bool found = q.step();
  q.reset();
  return found;
}

std::string quoted(const std::string& identifier) { return "\"" + identifier + "\""; }

void Engine::install() {
  db_.exec(kSyncSchema);

  std::string client = get_state("client_id");
  if (client.empty()) {
    unsigned char bytes[8];
    secure_random(bytes, sizeof bytes);
    client = to_hex(bytes, sizeof bytes);
    set_state("client_id", client);
  }
  // Restore the clock above every stamp this database has issued, so a wall
  // clock that went backwards across a restart cannot reorder our writes.
  HlcStamp high;
  for (const char* sql : {"SELECT max(hlc) FROM sync_outbox", "SELECT value FROM sync_state WHERE key = 'hlc_high'"}) {
    auto& q = db_.cached(sql);
    if (q.step() && !q.column_is_null(0)) {
      auto s = HlcStamp::parse(q.column_text_view(0));
      if (s && (s->wall_ms > high.wall_ms || (s->wall_ms == high.wall_ms && s->counter > high.counter)))
        high = *s;
    }
    q.reset();  // an open read would keep the SQL functions from being re-registered
  }
  state_ = std::make_unique<State>(client);
  state_->clock.observe(high);

  const int flags = SQLITE_UTF8;
  int rc = sqlite3_create_function_v2(db_.handle(), "cs_sync_capture", 0, flags, state_.get(),
                                      fn_capture, nullptr, nullptr, nullptr);
  if (rc == SQLITE_OK)
    rc = sqlite3_create_function_v2(db_.handle(), "cs_hlc_now", 0, flags, state_.get(), fn_hlc_now,
                                    nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) db_.raise(rc, "register sync functions");

  for (const TableSpec& t : tables_) {
    std::string cols, placeholders, updates;
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
      const std::string& c = t.columns[i].name;
      cols += (i ? ", " : "") + quoted(c);
      placeholders += (i ? ", ?" : "?");
      if (c != "id") updates += (updates.empty() ? "" : ", ") + quoted(c) + " = excluded." + quoted(c);
    }
    state_->select_sql[t.name] = "SELECT " + cols + " FROM " + quoted(t.name) + " WHERE id = ?";
    state_->upsert_sql[t.name] = "INSERT INTO " + quoted(t.name) + " (" + cols + ") VALUES (" +
                                 placeholders + ") ON CONFLICT(id) DO UPDATE SET " + updates;
    if (!table_exists(db_, t.name)) continue;
    // Table names come from our own spec list, never from a request.
    const std::string q = quoted(t.name), lit = "'" + t.name + "'";
    std::string triggers =
        "CREATE TRIGGER IF NOT EXISTS " + quoted("sync_capture_" + t.name + "_insert") +
        " AFTER INSERT ON " + q + " WHEN cs_sync_capture() BEGIN" +
        " INSERT INTO sync_outbox(table_name, row_id, op, hlc) VALUES (" + lit + ", NEW.id, 'upsert', cs_hlc_now()); END;" +
        "CREATE TRIGGER IF NOT EXISTS " + quoted("sync_capture_" + t.name + "_update") +
        " AFTER UPDATE ON " + q + " WHEN cs_sync_capture() BEGIN" +
        " INSERT INTO sync_outbox(table_name, row_id, op, hlc) SELECT " + lit + ", OLD.id, 'delete', cs_hlc_now() WHERE OLD.id IS NOT NEW.id;" +
        " INSERT INTO sync_outbox(table_name, row_id, op, hlc) VALUES (" + lit + ", NEW.id, 'upsert', cs_hlc_now()); END;" +
        "CREATE TRIGGER IF NOT EXISTS " + quoted("sync_capture_" + t.name + "_delete") +
        " AFTER DELETE ON " + q + " WHEN cs_sync_capture() BEGIN" +
        " INSERT INTO sync_outbox(table_name, row_id, op, hlc) VALUES (" + lit + ", OLD.id, 'delete', cs_hlc_now()); END;";
    db_.exec(triggers.c_str());
  }
  install_blob_capture();
}

Engine::~Engine() {
  // The functions point at state_; unregister them before it goes away.
  if (state_ && db_.handle() != nullptr) {
    sqlite3_create_function_v2(db_.handle(), "cs_sync_capture", 0, SQLITE_UTF8, nullptr, nullptr,
                               nullptr, nullptr, nullptr);
    sqlite3_create_function_v2(db_.handle(), "cs_hlc_now", 0, SQLITE_UTF8, nullptr, nullptr,
                               nullptr, nullptr, nullptr);
  }
}

std::int64_t Engine::enqueue_all() {
  std::int64_t added = 0;
  for (const TableSpec& t : tables_) {
    if (!table_exists(db_, t.name)) continue;
    Statement ids(db_, "SELECT id FROM " + quoted(t.name) +
                           " WHERE id NOT IN (SELECT row_id FROM sync_outbox WHERE table_name = ?)");
    ids.bind(1, std::string_view(t.name));
    auto& insert = db_.cached(
        "INSERT INTO sync_outbox(table_name, row_id, op, hlc) VALUES (?, ?, 'upsert', ?)");
    while (ids.step()) {
      insert.reset();
      insert.bind(1, std::string_view(t.name)).bind(2, ids.column_text_view(0));
      insert.bind(3, std::string_view(state_->clock.tick(wall_clock_ms())));
      insert.run();
      ++added;
    }
  }
  return added;
}

}  // namespace cs::sync
