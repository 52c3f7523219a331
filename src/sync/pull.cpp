// Pull: pages of rows and tombstones after our cursor, applied atomically per
// page. A local change still waiting to be pushed is never overwritten by an
// older remote version.
//
// Remote rows are written with foreign keys off: pages are ordered by commit,
// not by table, so a child can arrive pages before its parent. The server
// enforces the references; every delete it has reaches us as an explicit
// tombstone (a device's cascade was captured row by row), so turning local
// cascades off loses nothing.
#include "engine_state.hpp"

#include "campaign_store/json_text.hpp"

#include <sqlite3.h>

#include <map>

namespace cs::sync {

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

void Engine::apply_remote_row(const TableSpec& t, const json& change) {
  const std::string& id = change["id"].get_ref<const std::string&>();
  if (auto stamp = HlcStamp::parse(change.value("hlc", ""))) state_->clock.observe(*stamp);
  if (change.value("deleted", false)) {
    db_.cached("DELETE FROM " + quoted(t.name) + " WHERE id = ?").bind(1, std::string_view(id)).run();
    return;
  }
  const json& row = change["row"];
  auto& upsert = db_.cached(state_->upsert_sql.at(t.name));
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    const ColumnSpec& c = t.columns[i];
    const std::string& key = c.remote_name.empty() ? c.name : c.remote_name;
    auto it = row.find(key);
    const int index = static_cast<int>(i) + 1;
    if (c.name == "id")
      upsert.bind(index, std::string_view(id));
    else if (it == row.end())
      upsert.bind_null(index);
    else
      bind_column(upsert, index, *it, c);
  }
  upsert.run();
}

json Engine::apply_pull(const json& /*request*/, const json& body) {
  if (!body.is_object() || !body.contains("changes") || !body["changes"].is_array())
    throw Error(Code::Network, "pull response has no changes array", {{"body", body}});
  json summary{{"kind", "pull"}, {"received", body["changes"].size()}, {"applied", 0},
               {"skipped", 0}, {"parked", 0}, {"conflicts", json::array()}};
  ForeignKeysOff fk(db_);
  Transaction tx(db_);
  CaptureOff off(state_->capture);

  // A reset answer restarts from the beginning because tombstones we had not
  // seen were purged on the server. Rows the full pull does not return were
  // deleted meanwhile; note what it does return, and sweep at its end.
  const bool reset = body.value("reset", false);
  if (reset) {
    db_.exec("DELETE FROM sync_seen");
    set_state("reset_in_progress", "1");
  }
  const bool tracking = reset || get_state("reset_in_progress") == "1";

  for (const json& change : body["changes"]) {
    if (!change.is_object() || !change.contains("table") || !change.contains("id") ||
        !change["table"].is_string() || !change["id"].is_string())
      continue;
    const std::string& tname = change["table"].get_ref<const std::string&>();
    const std::string& id = change["id"].get_ref<const std::string&>();
    const TableSpec* t = table(tname);
    if (t == nullptr) {
      // A table this version does not know: keep it for a newer version.
      db_.cached("INSERT OR REPLACE INTO sync_parked(table_name, row_id, change, reason) VALUES (?, ?, ?, 'unknown table')")
          .bind(1, std::string_view(tname)).bind(2, std::string_view(id))
          .bind(3, std::string_view(json_text::dump(change))).run();
      summary["parked"] = summary["parked"].get<int>() + 1;
      continue;
    }
    std::string remote_hlc = change.value("hlc", "");
    auto& pending = db_.cached(
        "SELECT hlc FROM sync_outbox WHERE table_name = ? AND row_id = ? ORDER BY mutation_id DESC LIMIT 1");
    pending.bind(1, std::string_view(tname)).bind(2, std::string_view(id));
    std::string local_hlc = pending.step() ? pending.column_text(0) : "";
    pending.reset();
    if (!local_hlc.empty()) {
      json local = local_row_json(*t, id);
      json remote = change.value("row", json());
      if (local_hlc > remote_hlc) {
        // Ours is newer and will be pushed; the server will keep it.
        record_conflict(tname, id, local, remote, "local");
        summary["conflicts"].push_back({{"table", tname}, {"id", id}, {"winner", "local"},
                                        {"local", local}, {"remote", remote}});
        summary["skipped"] = summary["skipped"].get<int>() + 1;
        continue;
      }
      // The remote write is newer: pushing ours would only be superseded.
      if (local_hlc != remote_hlc) {
        record_conflict(tname, id, local, remote, "remote");
        summary["conflicts"].push_back({{"table", tname}, {"id", id}, {"winner", "remote"},
                                        {"local", local}, {"remote", remote}});
      }
      db_.cached("DELETE FROM sync_outbox WHERE table_name = ? AND row_id = ?")
          .bind(1, std::string_view(tname)).bind(2, std::string_view(id)).run();
    }
    apply_remote_row(*t, change);
    summary["applied"] = summary["applied"].get<int>() + 1;
  }
  if (tracking) {
    for (const json& change : body["changes"])
      if (change.is_object() && change.value("table", json()).is_string() && change.value("id", json()).is_string())
        db_.cached("INSERT OR IGNORE INTO sync_seen(table_name, row_id) VALUES (?, ?)")
            .bind(1, std::string_view(change["table"].get_ref<const std::string&>()))
            .bind(2, std::string_view(change["id"].get_ref<const std::string&>()))
            .run();
    if (!body.value("has_more", false)) summary["swept"] = sweep_unseen();
  }

  if (body.contains("cursor") && body["cursor"].is_string())
    set_state("cursor", body["cursor"].get<std::string>());
  set_state("hlc_high", state_->clock.last().str());
  tx.commit();
  if (!body.value("has_more", false)) state_->pull_done = true;
  summary["hasMore"] = body.value("has_more", false);
  return summary;
}

std::int64_t Engine::sweep_unseen() {
  // Only rows without a pending local change: those are ours to push.
  std::int64_t removed = 0;
  for (const TableSpec& t : tables_) {
    if (!table_exists(db_, t.name)) continue;
    Statement sweep(db_, "DELETE FROM " + quoted(t.name) +
                             " WHERE id NOT IN (SELECT row_id FROM sync_seen WHERE table_name = ?1)"
                             " AND id NOT IN (SELECT row_id FROM sync_outbox WHERE table_name = ?1)");
    sweep.bind(1, std::string_view(t.name));
    sweep.run();
    removed += db_.changes();
  }
  db_.exec("DELETE FROM sync_seen");
  set_state("reset_in_progress", "0");
  return removed;
}

}  // namespace cs::sync
