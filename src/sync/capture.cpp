// The capture triggers, the two SQL functions they call, the client id and
// the clock. The sync tables themselves are created by the schema
// migrations (src/model/migrations.cpp, version 6).
#include "engine_state.hpp"

#include "model/clock.hpp"
#include "db/encoding.hpp"
#include "db/random.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>

namespace cs::sync {

namespace {

// The server refuses a clock more than this far ahead of its own.
constexpr std::int64_t kServerClockAheadMs = 3600LL * 1000;

void fn_capture(sqlite3_context* ctx, int, sqlite3_value**) {
  auto* state = static_cast<Engine::State*>(sqlite3_user_data(ctx));
  sqlite3_result_int(ctx, state->capture ? 1 : 0);
}

void fn_hlc_now(sqlite3_context* ctx, int, sqlite3_value**) {
  auto* state = static_cast<Engine::State*>(sqlite3_user_data(ctx));
  try {
    std::string stamp = state->clock.tick(wall_clock_ms());
    sqlite3_result_text(ctx, stamp.c_str(), static_cast<int>(stamp.size()), SQLITE_TRANSIENT);
  } catch (const std::exception& e) {
    sqlite3_result_error(ctx, e.what(), -1);
  }
}

std::string literal(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

// The 13-digit text of a wall time: clocks above it compare greater as text.
std::string clock_prefix(std::int64_t ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%013lld", static_cast<long long>(std::max<std::int64_t>(ms, 0)));
  return buf;
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

void Engine::forget_identity(Database& db) {
  if (!table_exists(db, "sync_state")) return;
  db.cached("DELETE FROM sync_state WHERE key = 'client_id'").run();
}

void Engine::install() {
  if (!table_exists(db_, "sync_outbox"))
    throw Error(Code::Internal, "the sync tables are missing: the database was not migrated (schema version 6)");

  std::string client = get_state("client_id");
  if (client.empty()) {
    unsigned char bytes[8];
    secure_random(bytes, sizeof bytes);
    client = to_hex(bytes, sizeof bytes);
    set_state("client_id", client);
  }
  state_ = std::make_unique<State>(client);
  restore_clock();

  db_.define_function("cs_sync_capture", 0, state_.get(), fn_capture);
  db_.define_function("cs_hlc_now", 0, state_.get(), fn_hlc_now);

  read_references();
  for (const TableSpec& t : tables_) {
    std::string cols;
    std::vector<std::string> names;
    for (const ColumnSpec& c : t.columns) {
      cols += (names.empty() ? "" : ", ") + quoted(c.name);
      names.push_back(c.name);
    }
    state_->select_sql[t.name] = "SELECT " + cols + " FROM " + quoted(t.name) + " WHERE id = ?";
    state_->upserts.try_emplace(t.name, db_, t.name, std::move(names));
    if (table_exists(db_, t.name)) install_capture(t);
  }
  install_blob_capture();
}

void Engine::install_capture(const TableSpec& t) {
  // Table and column names come from our own spec list, never from a request.
  const std::string q = quoted(t.name), lit = literal(t.name);
  // A change a cascade makes through a key the server has too is the
  // server's to make: its parent is being deleted right now (sync_cascade,
  // written by the parent's own triggers below).
  std::string cascaded_delete, cascaded_update;
  for (const ForeignKey& fk : state_->foreign_keys) {
    if (fk.child != t.name || !fk.server_mirrors) continue;
    const std::string parent_gone = "EXISTS (SELECT 1 FROM sync_cascade WHERE table_name = " + literal(fk.parent) +
                                    " AND row_id = OLD." + quoted(fk.column) + ")";
    if (fk.cascade) {
      cascaded_delete += " AND NOT " + parent_gone;
    } else {
      cascaded_update += " AND NOT (OLD." + quoted(fk.column) + " IS NOT NULL AND NEW." + quoted(fk.column) +
                         " IS NULL AND " + parent_gone + ")";
    }
  }
  // "|name|budget|": what an update changed (bookkeeping columns left out).
  std::string changed = "'|'";
  for (const ColumnSpec& c : t.columns) {
    if (c.name == "id" || c.name == "hlc" || c.name == "created_at" || c.name == "updated_at") continue;
    changed += " || CASE WHEN OLD." + quoted(c.name) + " IS NOT NEW." + quoted(c.name) + " THEN " +
               literal(c.name + "|") + " ELSE '' END";
  }
  const std::string insert = " INSERT INTO sync_outbox(table_name, row_id, op, hlc, changed) ";
  std::string triggers =
      "CREATE TRIGGER IF NOT EXISTS " + quoted("sync_capture_" + t.name + "_insert") + " AFTER INSERT ON " + q +
      " WHEN cs_sync_capture() BEGIN" + insert + "VALUES (" + lit + ", NEW.id, 'upsert', cs_hlc_now(), NULL); END;" +
      "CREATE TRIGGER IF NOT EXISTS " + quoted("sync_capture_" + t.name + "_update") + " AFTER UPDATE ON " + q +
      " WHEN cs_sync_capture()" + cascaded_update + " BEGIN" + insert + "SELECT " + lit +
      ", OLD.id, 'delete', cs_hlc_now(), NULL WHERE OLD.id IS NOT NEW.id;" + insert + "VALUES (" + lit +
      ", NEW.id, 'upsert', cs_hlc_now(), CASE WHEN OLD.id IS NOT NEW.id THEN NULL ELSE " + changed + " END); END;" +
      "CREATE TRIGGER IF NOT EXISTS " + quoted("sync_capture_" + t.name + "_delete") + " AFTER DELETE ON " + q +
      " WHEN cs_sync_capture()" + cascaded_delete + " BEGIN" + insert + "VALUES (" + lit +
      ", OLD.id, 'delete', cs_hlc_now(), NULL); END;";
  // A row such a cascade removes with a change of its own still pending
  // keeps its last state for the push (push.cpp): the server applies the
  // cascade only if the parent's delete wins there.
  if (!cascaded_delete.empty()) {
    std::string state = "json_object(";
    for (std::size_t i = 0; i < t.columns.size(); ++i)
      state += (i ? ", " : "") + literal(t.columns[i].name) + ", OLD." + quoted(t.columns[i].name);
    state += ")";
    triggers += "CREATE TRIGGER IF NOT EXISTS " + quoted("sync_stash_" + t.name) + " AFTER DELETE ON " + q +
                " WHEN cs_sync_capture() AND NOT (1" + cascaded_delete +
                ") AND EXISTS (SELECT 1 FROM sync_outbox WHERE table_name = " + lit +
                " AND row_id = OLD.id AND op = 'upsert') BEGIN INSERT OR REPLACE INTO sync_stash(table_name, row_id, row) "
                "VALUES (" + lit + ", OLD.id, " + state + "); END;";
  }
  // A parent of a key the server has: its delete marks it for its
  // children's triggers, which fire between these two.
  const bool parent = std::any_of(state_->foreign_keys.begin(), state_->foreign_keys.end(),
                                  [&](const ForeignKey& fk) { return fk.parent == t.name && fk.server_mirrors; });
  if (parent) {
    triggers += "CREATE TRIGGER IF NOT EXISTS " + quoted("sync_cascade_" + t.name + "_begin") + " BEFORE DELETE ON " +
                q + " WHEN cs_sync_capture() BEGIN INSERT OR IGNORE INTO sync_cascade(table_name, row_id) VALUES (" +
                lit + ", OLD.id); END;" + "CREATE TRIGGER IF NOT EXISTS " + quoted("sync_cascade_" + t.name + "_end") +
                " AFTER DELETE ON " + q + " BEGIN DELETE FROM sync_cascade WHERE table_name = " + lit +
                " AND row_id = OLD.id; END;";
  }
  db_.exec(triggers.c_str());
}

void Engine::read_references() {
  for (const TableSpec& t : tables_) {
    if (!table_exists(db_, t.name)) continue;
    Statement fks(db_, "SELECT \"table\", \"from\", on_delete FROM pragma_foreign_key_list(?)");
    fks.bind(1, std::string_view(t.name));
    while (fks.step()) {
      ForeignKey fk{t.name, fks.column_text(1), fks.column_text(0), fks.column_text(2) == "CASCADE", true};
      if (table(fk.parent) == nullptr) continue;
      fk.server_mirrors = std::find(t.local_parents.begin(), t.local_parents.end(), fk.parent) == t.local_parents.end();
      state_->foreign_keys.push_back(std::move(fk));
    }
    Statement cols(db_, "SELECT name FROM pragma_table_info(?) WHERE \"notnull\" AND dflt_value IS NULL AND pk = 0");
    cols.bind(1, std::string_view(t.name));
    while (cols.step()) state_->required[t.name].push_back(cols.column_text(0));
  }
}

void Engine::restore_clock() {
  // Above every stamp this database has issued, so a wall clock that went
  // backwards across a restart cannot reorder our writes; but never above
  // what the server accepts: a stamp far ahead of the wall clock (from a
  // far-future clock observed by an older version, or a device clock that
  // was wrong) would make every later write of this device refused.
  const std::int64_t now = wall_clock_ms();
  const std::string limit = clock_prefix(now + kMaxRemoteClockAheadMs);
  HlcStamp high;
  for (const char* sql : {"SELECT max(hlc) FROM sync_outbox WHERE hlc <= ?1",
                          "SELECT value FROM sync_state WHERE key = 'hlc_high' AND value <= ?1"}) {
    auto& q = db_.cached(sql);
    q.bind(1, std::string_view(limit));
    if (q.step() && !q.column_is_null(0)) {
      auto s = HlcStamp::parse(q.column_text_view(0));
      if (s && (s->wall_ms > high.wall_ms || (s->wall_ms == high.wall_ms && s->counter > high.counter))) high = *s;
    }
    q.reset();  // an open read would keep the SQL functions from being re-registered
  }
  state_->clock.observe(high);

  // Pending changes stamped beyond the limit get fresh stamps (and fresh
  // mutation ids: the server may have recorded the old ones as refused), in
  // the order they were made.
  auto& any = db_.cached("SELECT EXISTS (SELECT 1 FROM sync_outbox WHERE hlc > ?1) OR "
                         "EXISTS (SELECT 1 FROM sync_rejected WHERE source = 'push' AND code = 'INVALID_ARGUMENT')");
  any.bind(1, std::string_view(limit));
  const bool work = any.step() && any.column_int(0) != 0;
  any.reset();
  if (!work) return;  // the usual case: no write transaction at open
  Transaction tx(db_);
  Statement poisoned(db_, "SELECT mutation_id, table_name, row_id, op, changed FROM sync_outbox WHERE hlc > ?1 "
                          "ORDER BY mutation_id");
  poisoned.bind(1, std::string_view(limit));
  struct Entry { std::int64_t mid; std::string table, id, op; json changed; };
  std::vector<Entry> entries;
  while (poisoned.step())
    entries.push_back({poisoned.column_int(0), poisoned.column_text(1), poisoned.column_text(2),
                       poisoned.column_text(3), poisoned.column_json(4)});
  for (const Entry& e : entries) {
    db_.cached("DELETE FROM sync_outbox WHERE mutation_id = ?").bind(1, e.mid).run();
    db_.cached("INSERT INTO sync_outbox(table_name, row_id, op, hlc, changed) VALUES (?, ?, ?, ?, ?)")
        .bind(1, std::string_view(e.table)).bind(2, std::string_view(e.id)).bind(3, std::string_view(e.op))
        .bind(4, std::string_view(state_->clock.tick(now))).bind_json(5, e.changed).run();
  }
  // Changes the server refused because their clock was ahead of its own
  // (stamped more than an hour after they were refused) are made again with
  // a clock it accepts, once this device's clock is within that hour.
  if (state_->clock.last().wall_ms <= now + kServerClockAheadMs) {
    Statement refused(db_, "SELECT seq, table_name, row_id, op, hlc, rejected_at FROM sync_rejected "
                           "WHERE source = 'push' AND code = 'INVALID_ARGUMENT' ORDER BY seq");
    struct Refused { std::int64_t seq; std::string table, id, op; };
    std::vector<Refused> again;
    while (refused.step()) {
      auto stamp = HlcStamp::parse(refused.column_text_view(4));
      auto at = clock::parse_iso(refused.column_text_view(5));
      if (stamp && at && stamp->wall_ms > *at + kServerClockAheadMs)
        again.push_back({refused.column_int(0), refused.column_text(1), refused.column_text(2), refused.column_text(3)});
    }
    for (const Refused& r : again) {
      db_.cached("DELETE FROM sync_rejected WHERE seq = ?").bind(1, r.seq).run();
      db_.cached("INSERT INTO sync_outbox(table_name, row_id, op, hlc) VALUES (?, ?, ?, ?)")
          .bind(1, std::string_view(r.table)).bind(2, std::string_view(r.id)).bind(3, std::string_view(r.op))
          .bind(4, std::string_view(state_->clock.tick(now))).run();
    }
  }
  if (!entries.empty()) set_state("hlc_high", state_->clock.last().str());
  tx.commit();
}

Engine::~Engine() {
  // The functions point at state_; unregister them before it goes away.
  // A destructor does not throw: removing a function on an open
  // connection fails only when a statement using it is running, which no
  // caller leaves behind.
  if (state_ && db_.handle() != nullptr) {
    try {
      db_.define_function("cs_sync_capture", 0, nullptr, nullptr);
      db_.define_function("cs_hlc_now", 0, nullptr, nullptr);
    } catch (const Error&) {
    }
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
