// Push: the latest pending change of each row, as one rpc/sync_push request,
// and what the server said about each of them.
#include "engine_state.hpp"

#include "campaign_store/json_text.hpp"

namespace cs::sync {

json Engine::build_push() {
  // One change per row: its newest outbox entry (older entries of the row are
  // covered by it; the row is read as it is now). Rows go in the order of
  // their FIRST pending change, so a parent created before its child is
  // pushed no later than the child, even if the parent was edited since; the
  // server rejects a child whose parent it has never seen.
  auto& pending = db_.cached(
      "SELECT o.table_name, o.row_id, o.mutation_id, o.op, o.hlc FROM sync_outbox o "
      "JOIN (SELECT min(mutation_id) AS first, max(mutation_id) AS mid FROM sync_outbox "
      "GROUP BY table_name, row_id) m ON o.mutation_id = m.mid ORDER BY m.first LIMIT ?");
  pending.bind(1, std::int64_t{state_->options.push_batch});
  json changes = json::array();
  json carried = json::array();
  struct Entry { std::string table, id, op, hlc; std::int64_t mid; };
  std::vector<Entry> entries;
  while (pending.step())
    entries.push_back({pending.column_text(0), pending.column_text(1), pending.column_text(3),
                       pending.column_text(4), pending.column_int(2)});
  pending.reset();
  for (const Entry& e : entries) {
    json change{{"mutation_id", e.mid}, {"table", e.table}, {"id", e.id}, {"op", e.op}, {"hlc", e.hlc}};
    if (const TableSpec* t = table(e.table); t != nullptr && e.op == "upsert") {
      json row = local_row_json(*t, e.id);
      if (row.is_null()) {
        // Removed since without capture (a remote delete): nothing to send.
        db_.cached("DELETE FROM sync_outbox WHERE table_name = ? AND row_id = ? AND mutation_id <= ?")
            .bind(1, std::string_view(e.table)).bind(2, std::string_view(e.id)).bind(3, e.mid).run();
        continue;
      }
      change["row"] = std::move(row);
    }
    changes.push_back(std::move(change));
    carried.push_back({{"table", e.table}, {"id", e.id}, {"mid", e.mid}, {"op", e.op}, {"hlc", e.hlc}});
  }
  if (changes.empty()) return nullptr;
  // Persist the clock's high-water mark before the stamps leave the device.
  set_state("hlc_high", state_->clock.last().str());
  json request{{"kind", "push"},
               {"id", ++state_->request_seq},
               {"method", "POST"},
               {"path", kPushPath},
               {"body", {{"client_id", state_->clock.node()}, {"changes", std::move(changes)}}}};
  state_->inflight = request;
  state_->inflight["carried"] = std::move(carried);
  return request;
}

json Engine::apply_push(const json& request, const json& body) {
  if (!body.is_object() || !body.contains("results") || !body["results"].is_array())
    throw Error(Code::Network, "push response has no results array", {{"body", body}});
  std::map<std::int64_t, json> carried;
  for (const json& c : request["carried"]) carried[c["mid"].get<std::int64_t>()] = c;

  json summary{{"kind", "push"}, {"applied", 0}, {"superseded", 0}, {"rejected", 0},
               {"conflicts", json::array()}, {"rejections", json::array()}};
  ForeignKeysOff fk(db_);  // a winning row may reference what we lack (see pull.cpp)
  Transaction tx(db_);
  CaptureOff off(state_->capture);
  auto forget = [&](const json& c) {
    db_.cached("DELETE FROM sync_outbox WHERE table_name = ? AND row_id = ? AND mutation_id <= ?")
        .bind(1, std::string_view(c["table"].get_ref<const std::string&>()))
        .bind(2, std::string_view(c["id"].get_ref<const std::string&>()))
        .bind(3, c["mid"].get<std::int64_t>())
        .run();
  };
  for (const json& r : body["results"]) {
    if (!r.is_object() || !r.contains("mutation_id") || !r["mutation_id"].is_number_integer()) continue;
    auto it = carried.find(r["mutation_id"].get<std::int64_t>());
    if (it == carried.end()) continue;  // not ours (duplicate delivery): ignore
    const json& c = it->second;
    const std::string& tname = c["table"].get_ref<const std::string&>();
    const std::string& id = c["id"].get_ref<const std::string&>();
    std::string status = r.value("status", "");
    if (status == "applied") {
      forget(c);
      summary["applied"] = summary["applied"].get<int>() + 1;
    } else if (status == "superseded") {
      // Someone wrote this row with a newer clock. Their row wins here too,
      // unless we wrote it again after this push was built.
      const TableSpec* t = table(tname);
      json winner = r.value("row", json());
      json local = t ? local_row_json(*t, id) : json();
      forget(c);
      auto& newer = db_.cached("SELECT 1 FROM sync_outbox WHERE table_name = ? AND row_id = ?");
      newer.bind(1, std::string_view(tname)).bind(2, std::string_view(id));
      bool rewritten = newer.step();
      newer.reset();
      if (t && !rewritten && winner.is_object()) {
        json change{{"table", tname}, {"id", id}, {"hlc", winner.value("hlc", "")},
                    {"deleted", winner.value("deleted", false)}, {"row", winner}};
        apply_remote_row(*t, change);
      }
      record_conflict(tname, id, local, winner, "remote");
      summary["conflicts"].push_back({{"table", tname}, {"id", id}, {"winner", "remote"},
                                      {"local", local}, {"remote", winner}});
      summary["superseded"] = summary["superseded"].get<int>() + 1;
    } else if (status == "rejected") {
      // Kept in sync_rejected with the server's reason and the row as sent.
      const TableSpec* t = table(tname);
      json row = t ? local_row_json(*t, id) : json();
      db_.cached("INSERT OR REPLACE INTO sync_rejected(mutation_id, table_name, row_id, op, hlc, code, message, row) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
          .bind(1, c["mid"].get<std::int64_t>())
          .bind(2, std::string_view(tname))
          .bind(3, std::string_view(id))
          .bind(4, std::string_view(c["op"].get_ref<const std::string&>()))
          .bind(5, std::string_view(c["hlc"].get_ref<const std::string&>()))
          .bind(6, std::string_view(r.value("code", "")))
          .bind(7, std::string_view(r.value("message", "")))
          .bind_json(8, row.is_null() ? json() : json(json_text::dump(row)))
          .run();
      forget(c);
      summary["rejected"] = summary["rejected"].get<int>() + 1;
      summary["rejections"].push_back({{"table", tname}, {"id", id}, {"code", r.value("code", "")},
                                       {"message", r.value("message", "")}});
    }
  }
  tx.commit();
  int settled = summary["applied"].get<int>() + summary["superseded"].get<int>() + summary["rejected"].get<int>();
  if (settled == 0) {
    // The server settled nothing we sent: pushing again would loop. Let the
    // pull run; the next cycle retries.
    state_->push_done = true;
  }
  return summary;
}

}  // namespace cs::sync
