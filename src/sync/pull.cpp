// Pull: pages of rows and tombstones after our cursor, applied atomically per
// page. Every change is checked first (remote_row.cpp); one that fails is
// parked in sync_rejected with the reason and the page goes on, so the
// cursor always moves past it. A local change still waiting to be pushed is
// never overwritten by an older remote version, and a pushed change that a
// newer write of another device replaced is reported as a conflict.
//
// Remote rows are written with foreign keys off: pages are ordered by commit,
// not by table, so a child can arrive pages before its parent. A tombstone
// of a parent applies the foreign key's ON DELETE action to the children
// here (the server sends their own tombstones too, but a broken one might
// not), and once a pull is complete no row is left without its parent.
#include "engine_state.hpp"

#include "json/json_text.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <limits>
#include <map>

namespace cs::sync {

namespace {

// Passes of a cascade or a sweep over the tables: deeper than any chain of
// foreign keys here (users > products > images > backgrounds).
constexpr int kMaxPasses = 16;

}  // namespace

json Engine::build_pull() {
  std::string cursor = get_state("cursor");
  json request{{"kind", "pull"},
               {"id", ++state_->request_seq},
               {"method", "POST"},
               {"path", kPullPath},
               {"body", {{"cursor", cursor.empty() ? json(nullptr) : json(cursor)},
                         {"limit", state_->options.pull_page}}}};
  state_->inflight = request;
  return request;
}

bool Engine::has_children(const std::string& table_name) const {
  return std::any_of(state_->foreign_keys.begin(), state_->foreign_keys.end(),
                     [&](const ForeignKey& fk) { return fk.parent == table_name; });
}

void Engine::delete_local(const TableSpec& t, const std::string& id) {
  // What SQLite's ON DELETE would do with foreign keys on, done by hand
  // (they are off while remote rows are written), children first.
  for (const ForeignKey& fk : state_->foreign_keys) {
    if (fk.parent != t.name) continue;
    if (!fk.cascade) {
      db_.cached("UPDATE " + quoted(fk.child) + " SET " + quoted(fk.column) + " = NULL WHERE " + quoted(fk.column) + " = ?")
          .bind(1, std::string_view(id))
          .run();
      continue;
    }
    std::vector<std::string> children;
    auto& q = db_.cached("SELECT id FROM " + quoted(fk.child) + " WHERE " + quoted(fk.column) + " = ?");
    q.bind(1, std::string_view(id));
    while (q.step()) children.push_back(q.column_text(0));
    q.reset();
    for (const std::string& child : children) delete_local(*table(fk.child), child);
  }
  db_.cached("DELETE FROM " + quoted(t.name) + " WHERE id = ?").bind(1, std::string_view(id)).run();
}

void Engine::apply_remote_row(const RemoteRow& row) {
  const TableSpec& t = *row.table;
  if (auto stamp = HlcStamp::parse(row.hlc)) state_->clock.observe(*stamp);
  if (row.deleted) {
    // The owner's row stays: every other row here references it.
    if (t.owner_table && row.id == get_state("user_id")) return;
    delete_local(t, row.id);
    return;
  }
  state_->upserts.at(t.name).put(row.values);
}

Engine::Acked Engine::acked_state(const RemoteRow& row) {
  // This device's last acknowledged write of the row, against what the
  // server holds now: the write was overwritten when the row is gone or
  // back, or a column the write changed has another value (a write of
  // another device replaced the whole row). Until then it is compared
  // again with every version pulled later; once reported, it is forgotten.
  auto& q = db_.cached("SELECT op, fields FROM sync_acked WHERE table_name = ? AND row_id = ?");
  q.bind(1, std::string_view(row.table->name)).bind(2, std::string_view(row.id));
  if (!q.step()) {
    q.reset();
    return Acked::None;
  }
  const std::string op = q.column_text(0);
  const json fields = q.column_is_null(1) ? json() : json_text::parse_or_null(q.column_text_view(1));
  q.reset();
  bool lost = op == "delete" ? !row.deleted : row.deleted;
  const std::vector<ColumnSpec>& columns = row.table->columns;
  for (std::size_t i = 0; !lost && fields.is_object() && i < columns.size(); ++i) {
    const std::string& key = columns[i].remote_name.empty() ? columns[i].name : columns[i].remote_name;
    auto it = fields.find(key);
    if (it != fields.end()) lost = *it != value_digest(row.values[i]);
  }
  return lost ? Acked::Overwritten : Acked::Held;
}

void Engine::park_pulled(const json& change, const Error& why, json& summary) {
  const json& t = change.is_object() ? change.value("table", json()) : json();
  const json& id = change.is_object() ? change.value("id", json()) : json();
  const json& clock = change.is_object() ? change.value("hlc", json()) : json();
  const bool deleted = change.is_object() && change.value("deleted", json(false)) == json(true);
  const std::string table_name = t.is_string() ? t.get<std::string>() : "";
  const std::string row_id = id.is_string() ? id.get<std::string>() : json_text::dump(id).substr(0, 200);
  reject("pull", nullptr, table_name, row_id, deleted ? "delete" : "upsert",
         clock.is_string() ? clock.get<std::string>() : "", code_name(why.code()), why.message(), change);
  summary["parked"] = summary["parked"].get<int>() + 1;
  summary["rejections"].push_back({{"table", table_name}, {"id", row_id}, {"code", code_name(why.code())},
                                   {"message", why.message()}});
}

json Engine::apply_pull(const json& /*request*/, const json& body) {
  if (!body.is_object() || !body.contains("changes") || !body["changes"].is_array())
    throw Error(Code::Network, "pull response has no changes array", {{"body", body}});
  json summary{{"kind", "pull"}, {"received", body["changes"].size()}, {"applied", 0},
               {"skipped", 0}, {"parked", 0}, {"conflicts", json::array()}, {"rejections", json::array()}};
  ForeignKeysOff fk(db_);
  Transaction tx(db_);
  CaptureOff off(state_->capture);
  const std::string user = get_state("user_id");
  const bool has_more = body.value("has_more", false) == true;

  // A reset answer restarts from the beginning because tombstones we had not
  // seen were purged on the server. Rows the full pull does not return were
  // deleted meanwhile; note what it does return, and sweep at its end.
  const bool reset = body.value("reset", false) == true;
  if (reset) {
    db_.exec("DELETE FROM sync_seen");
    set_state("reset_in_progress", "1");
  }
  const bool tracking = reset || get_state("reset_in_progress") == "1";
  auto seen = [&](const std::string& table_name, const std::string& id) {
    if (!tracking) return;
    db_.cached("INSERT OR IGNORE INTO sync_seen(table_name, row_id) VALUES (?, ?)")
        .bind(1, std::string_view(table_name)).bind(2, std::string_view(id)).run();
  };

  for (const json& change : body["changes"]) {
    if (!change.is_object() || !change.value("table", json()).is_string()) {
      park_pulled(change, Error(Code::InvalidArgument, "a change must be an object with a table name"), summary);
      continue;
    }
    const std::string& tname = change["table"].get_ref<const std::string&>();
    const TableSpec* t = table(tname);
    if (t == nullptr) {
      // A table this version does not know: keep it for a newer version.
      const json& id = change.value("id", json());
      db_.cached("INSERT OR REPLACE INTO sync_parked(table_name, row_id, change, reason) VALUES (?, ?, ?, 'unknown table')")
          .bind(1, std::string_view(tname))
          .bind(2, std::string_view(id.is_string() ? id.get<std::string>() : json_text::dump(id)))
          .bind(3, std::string_view(json_text::dump(change))).run();
      summary["parked"] = summary["parked"].get<int>() + 1;
      continue;
    }
    RemoteRow row;
    try {
      row = decode_remote(*t, change, user, state_->required[tname]);
    } catch (const Error& e) {
      if (e.code() != Code::InvalidArgument && e.code() != Code::Unauthorized) throw;
      park_pulled(change, e, summary);
      // Kept as it is here: the full pull of a reset does not sweep it away.
      if (valid_row_id(change.value("id", json()))) seen(tname, change["id"].get<std::string>());
      continue;
    }
    seen(tname, row.id);
    auto& pending = db_.cached(
        "SELECT hlc FROM sync_outbox WHERE table_name = ? AND row_id = ? ORDER BY mutation_id DESC LIMIT 1");
    pending.bind(1, std::string_view(tname)).bind(2, std::string_view(row.id));
    std::string local_hlc = pending.step() ? pending.column_text(0) : "";
    pending.reset();
    const json remote = change.value("row", json());
    if (!local_hlc.empty() && local_hlc > row.hlc) {
      // Ours is newer and will be pushed; the server will keep it.
      json local = local_row_json(*t, row.id);
      record_conflict(tname, row.id, local, remote, "local");
      summary["conflicts"].push_back({{"table", tname}, {"id", row.id}, {"winner", "local"},
                                      {"local", local}, {"remote", remote}});
      summary["skipped"] = summary["skipped"].get<int>() + 1;
      continue;
    }
    // The remote version goes in. It replaces a pending change of ours when
    // it is newer (ours would only be superseded), or is that change itself
    // (same clock: applied though its answer was lost); it may replace a
    // write of ours the server had acknowledged.
    const bool own = local_hlc == row.hlc;
    const Acked acked = local_hlc.empty() ? acked_state(row) : Acked::None;
    const bool lost = (!local_hlc.empty() && !own) || acked == Acked::Overwritten;
    const json local = lost ? local_row_json(*t, row.id) : json();
    try {
      apply_remote_row(row);
    } catch (const Error& e) {
      // A rule of the local schema the checks above did not foresee: the
      // statement is undone, the row parked, ours kept, the page goes on.
      if (e.code() != Code::Constraint && e.code() != Code::InvalidArgument) throw;
      park_pulled(change, e, summary);
      continue;
    }
    if (!local_hlc.empty()) {
      if (own) acknowledge_pending(*t, row.id);
      forget_pending(tname, row.id, std::numeric_limits<std::int64_t>::max());
    }
    if (lost) {
      forget_acked(tname, row.id);
      record_conflict(tname, row.id, local, remote, "remote");
      summary["conflicts"].push_back({{"table", tname}, {"id", row.id}, {"winner", "remote"},
                                      {"local", local}, {"remote", remote}});
    } else if (acked == Acked::Held) {
      db_.cached("UPDATE sync_acked SET returned = 1 WHERE table_name = ? AND row_id = ?")
          .bind(1, std::string_view(tname)).bind(2, std::string_view(row.id)).run();
    }
    db_.cached("DELETE FROM sync_rejected WHERE source = 'pull' AND table_name = ? AND row_id = ?")
        .bind(1, std::string_view(tname)).bind(2, std::string_view(row.id)).run();
    state_->pull_wrote = true;
    summary["applied"] = summary["applied"].get<int>() + 1;
  }
  if (tracking && !has_more) summary["swept"] = sweep_unseen();
  if (!has_more && state_->pull_wrote) {
    summary["orphans"] = resolve_orphans();
    state_->pull_wrote = false;
  }

  if (body.contains("cursor") && body["cursor"].is_string())
    set_state("cursor", body["cursor"].get<std::string>());
  set_state("hlc_high", state_->clock.last().str());
  tx.commit();
  if (!has_more) state_->pull_done = true;
  summary["hasMore"] = has_more;
  return summary;
}

std::int64_t Engine::sweep_unseen() {
  // Rows the full pull did not return are gone on the server, except: rows
  // with a pending change (ours to push), rows whose acknowledged write no
  // pull has returned yet (a server that lost them must not make us lose
  // them too), the owner's row, and rows another row still references.
  // Children go first, so their parents become free in a later pass.
  std::int64_t removed = 0;
  const std::string user = get_state("user_id");
  for (int pass = 0; pass < kMaxPasses; ++pass) {
    std::int64_t this_pass = 0;
    for (const TableSpec& t : tables_) {
      if (!table_exists(db_, t.name)) continue;
      std::string sql = "DELETE FROM " + quoted(t.name) +
                        " WHERE id NOT IN (SELECT row_id FROM sync_seen WHERE table_name = ?1)"
                        " AND id NOT IN (SELECT row_id FROM sync_outbox WHERE table_name = ?1)"
                        " AND id NOT IN (SELECT row_id FROM sync_acked WHERE table_name = ?1 AND NOT returned)";
      if (t.owner_table) sql += " AND id <> ?2";
      for (const ForeignKey& fk : state_->foreign_keys)
        if (fk.parent == t.name)
          sql += " AND NOT EXISTS (SELECT 1 FROM " + quoted(fk.child) + " c WHERE c." + quoted(fk.column) + " = " +
                 quoted(t.name) + ".id)";
      Statement sweep(db_, sql);
      sweep.bind(1, std::string_view(t.name));
      if (t.owner_table) sweep.bind(2, std::string_view(user));
      sweep.run();
      this_pass += db_.changes();
    }
    removed += this_pass;
    if (this_pass == 0) break;
  }
  db_.exec("DELETE FROM sync_seen");
  set_state("reset_in_progress", "0");
  return removed;
}

std::int64_t Engine::resolve_orphans() {
  // After a complete pull, a row whose parent is missing can only come from
  // a server that sent a live child of a deleted parent. Apply the foreign
  // key's ON DELETE action: SET NULL clears the reference; CASCADE parks the
  // row in sync_rejected (so nothing is dropped unseen) and removes it.
  std::int64_t resolved = 0;
  for (int pass = 0; pass < kMaxPasses; ++pass) {
    struct Orphan { std::string table; std::int64_t rowid; int fkid; };
    std::vector<Orphan> orphans;
    {
      Statement check(db_, "PRAGMA foreign_key_check");
      while (check.step()) {
        std::string t = check.column_text(0);
        if (table(t) != nullptr && !check.column_is_null(1))
          orphans.push_back({std::move(t), check.column_int(1), static_cast<int>(check.column_int(3))});
      }
    }
    if (orphans.empty()) break;
    for (const Orphan& o : orphans) {
      Statement key(db_, "SELECT \"from\", \"table\", on_delete FROM pragma_foreign_key_list(?) WHERE id = ?");
      key.bind(1, std::string_view(o.table)).bind(2, std::int64_t{o.fkid});
      if (!key.step()) continue;
      const std::string column = key.column_text(0), parent = key.column_text(1);
      const bool cascade = key.column_text(2) == "CASCADE";
      Statement who(db_, "SELECT id, " + quoted(column) + " FROM " + quoted(o.table) + " WHERE rowid = ?");
      who.bind(1, o.rowid);
      if (!who.step()) continue;
      const std::string id = who.column_text(0), ref = who.column_text(1);
      if (!cascade) {
        db_.cached("UPDATE " + quoted(o.table) + " SET " + quoted(column) + " = NULL WHERE id = ?")
            .bind(1, std::string_view(id)).run();
      } else {
        const TableSpec& t = *table(o.table);
        reject("pull", nullptr, o.table, id, "upsert", "", "CONSTRAINT",
               "its parent " + parent + " " + ref + " is gone (the server sent no tombstone for it)",
               local_row_json(t, id));
        delete_local(t, id);
      }
      ++resolved;
    }
  }
  return resolved;
}

}  // namespace cs::sync
