// Push: the latest pending change of each row, as one rpc/sync_push request,
// and what the server said about each of them.
#include "engine_state.hpp"

#include "db/cold_code.hpp"
#include "db/encoding.hpp"
#include "json/json_text.hpp"
#include "db/random.hpp"

#include <set>

CS_COLD_CODE_BEGIN

namespace cs::sync {

namespace {

// How often one cycle moves to a new client id because the server already
// had one of our mutation ids with another payload, before it gives up.
constexpr int kMaxIdentityChanges = 3;

// Per row of the outbox: whether some entry changed every column (an
// insert or a delete), and the columns the others changed.
constexpr const char* kChangedColumns = "max(changed IS NULL) AS every, group_concat(changed, '') AS changed";

// "|a|b||c|" -> ["a", "b", "c"] (each once).
json changed_columns(const std::string& text) {
  std::set<std::string> names;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('|', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) names.insert(text.substr(start, end - start));
    start = end + 1;
  }
  return json(names);
}

// Columns that are no write's own content: the key, the clock, the times,
// and the owner (the server sets user_id to the caller, whatever was sent).
bool bookkeeping(const std::string& column) {
  return column == "id" || column == "hlc" || column == "created_at" || column == "updated_at" ||
         column == "user_id";
}

}  // namespace

json Engine::build_push() {
  // One change per row: its newest outbox entry (older entries of the row are
  // covered by it; the row is read as it is now). Rows go in the order of
  // their FIRST pending change, so a parent created before its child is
  // pushed no later than the child, even if the parent was edited since; the
  // server rejects a child whose parent it has never seen. Every entry of
  // the row says which columns it changed (NULL: all of them).
  auto& pending = db_.cached(
      "SELECT o.table_name, o.row_id, o.mutation_id, o.op, o.hlc, m.every, m.changed FROM sync_outbox o "
      "JOIN (SELECT min(mutation_id) AS first, max(mutation_id) AS mid, " + std::string(kChangedColumns) +
      " FROM sync_outbox GROUP BY table_name, row_id) m ON o.mutation_id = m.mid ORDER BY m.first LIMIT ?");
  const int limit = state_->push_limit > 0 ? state_->push_limit : state_->options.push_batch;
  pending.bind(1, std::int64_t{limit});
  json changes = json::array();
  json carried = json::array();
  struct Entry { std::string table, id, op, hlc; std::int64_t mid; json changed; };
  std::vector<Entry> entries;
  while (pending.step())
    entries.push_back({pending.column_text(0), pending.column_text(1), pending.column_text(3),
                       pending.column_text(4), pending.column_int(2),
                       pending.column_int(5) != 0 ? json() : changed_columns(pending.column_text(6))});
  pending.reset();
  for (const Entry& e : entries) {
    json change{{"mutation_id", e.mid}, {"table", e.table}, {"id", e.id}, {"op", e.op}, {"hlc", e.hlc}};
    if (const TableSpec* t = table(e.table); t != nullptr && e.op == "upsert") {
      json row = local_row_json(*t, e.id);
      if (row.is_null()) row = stashed_row_json(*t, e.id);
      if (row.is_null()) {
        // Removed since without capture (a remote delete): nothing to send.
        forget_pending(e.table, e.id, e.mid);
        continue;
      }
      change["row"] = std::move(row);
    }
    changes.push_back(std::move(change));
    carried.push_back({{"table", e.table}, {"id", e.id}, {"mid", e.mid}, {"op", e.op}, {"hlc", e.hlc},
                       {"changed", e.changed}});
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

json Engine::stashed_row_json(const TableSpec& t, const std::string& id) {
  // The last state of a row that a cascade the server applies removed here
  // while its own change was pending (capture.cpp): that change still goes,
  // and wins there if the parent's delete does not.
  auto& q = db_.cached("SELECT row FROM sync_stash WHERE table_name = ? AND row_id = ?");
  q.bind(1, std::string_view(t.name)).bind(2, std::string_view(id));
  json local = q.step() ? json_text::parse_or_null(q.column_text_view(0)) : json();
  q.reset();
  if (!local.is_object()) return nullptr;
  json row = json::object();
  for (const ColumnSpec& c : t.columns)
    row[c.remote_name.empty() ? c.name : c.remote_name] = encode_value(local.value(c.name, json()), c);
  return row;
}

void Engine::forget_pending(const std::string& table_name, const std::string& id, std::int64_t up_to) {
  db_.cached("DELETE FROM sync_outbox WHERE table_name = ? AND row_id = ? AND mutation_id <= ?")
      .bind(1, std::string_view(table_name))
      .bind(2, std::string_view(id))
      .bind(3, up_to)
      .run();
  db_.cached("DELETE FROM sync_stash WHERE table_name = ? AND row_id = ?")
      .bind(1, std::string_view(table_name))
      .bind(2, std::string_view(id))
      .run();
}

void Engine::reject(const char* source, const json& mutation_id, const std::string& table_name, const std::string& id,
                    const std::string& op, const std::string& hlc, const std::string& code, const std::string& message,
                    const json& row) {
  db_.cached("INSERT OR REPLACE INTO sync_rejected(source, mutation_id, table_name, row_id, op, hlc, code, message, row) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, std::string_view(source))
      .bind_json(2, mutation_id)
      .bind(3, std::string_view(table_name))
      .bind(4, std::string_view(id))
      .bind(5, std::string_view(op))
      .bind(6, std::string_view(hlc))
      .bind(7, std::string_view(code))
      .bind(8, std::string_view(message))
      .bind_json(9, row.is_null() ? json() : json(json_text::dump(row)))
      .run();
}

json Engine::apply_push(const json& request, const json& body) {
  if (!body.is_object() || !body.contains("results") || !body["results"].is_array())
    throw Error(Code::Network, "push response has no results array", {{"body", body}});
  std::map<std::int64_t, json> carried;
  for (const json& c : request["carried"]) carried[c["mid"].get<std::int64_t>()] = c;
  std::map<std::int64_t, const json*> sent;
  for (const json& c : request["body"]["changes"]) sent[c["mutation_id"].get<std::int64_t>()] = &c;

  json summary{{"kind", "push"}, {"applied", 0}, {"superseded", 0}, {"rejected", 0},
               {"conflicts", json::array()}, {"rejections", json::array()}};
  bool new_identity = false;
  ForeignKeysOff fk(db_);  // a winning row may reference what we lack (see pull.cpp)
  Transaction tx(db_);
  CaptureOff off(state_->capture);
  auto bump = [&](const char* key) { summary[key] = summary[key].get<int>() + 1; };
  for (const json& r : body["results"]) {
    if (!r.is_object() || !r.contains("mutation_id") || !r["mutation_id"].is_number_integer()) continue;
    auto it = carried.find(r["mutation_id"].get<std::int64_t>());
    if (it == carried.end()) continue;  // not ours (duplicate delivery): ignore
    const json& c = it->second;
    const std::string& tname = c["table"].get_ref<const std::string&>();
    const std::string& id = c["id"].get_ref<const std::string&>();
    const std::int64_t mid = c["mid"].get<std::int64_t>();
    const TableSpec* t = table(tname);
    std::string status = r.value("status", "");
    if (status == "applied") {
      forget_pending(tname, id, mid);
      if (t) record_acked(*t, c, *sent[mid]);
      bump("applied");
    } else if (status == "superseded") {
      // Someone wrote this row with a newer clock. Their row wins here too,
      // unless we wrote it again after this push was built.
      json winner = r.value("row", json());
      json local = t ? local_row_json(*t, id) : json();
      forget_pending(tname, id, mid);
      forget_acked(tname, id);
      auto& newer = db_.cached("SELECT 1 FROM sync_outbox WHERE table_name = ? AND row_id = ?");
      newer.bind(1, std::string_view(tname)).bind(2, std::string_view(id));
      bool rewritten = newer.step();
      newer.reset();
      if (t && !rewritten && winner.is_object()) {
        json change{{"table", tname}, {"id", id}, {"hlc", winner.value("hlc", json())},
                    {"deleted", winner.value("deleted", json(false))}, {"row", winner}};
        try {
          RemoteRow row = decode_remote(*t, change, get_state("user_id"), state_->required[tname]);
          apply_remote_row(row);
          // Our delete of a parent lost to a newer write of it: its children,
          // cascaded away here and kept there, come back with a full pull.
          if (c["op"] == "delete" && !row.deleted && has_children(tname)) set_state("cursor", "");
        } catch (const Error& e) {
          if (e.code() != Code::InvalidArgument && e.code() != Code::Unauthorized) throw;
          reject("pull", nullptr, tname, id, winner.value("deleted", false) ? "delete" : "upsert",
                 winner.value("hlc", json("")).is_string() ? winner.value("hlc", "") : "", code_name(e.code()),
                 e.message(), change);
        }
      }
      record_conflict(tname, id, local, winner, "remote");
      summary["conflicts"].push_back({{"table", tname}, {"id", id}, {"winner", "remote"},
                                      {"local", local}, {"remote", winner}});
      bump("superseded");
    } else if (status == "rejected" && r.value("reason", "") == "mutation_id_reused" &&
               state_->identity_changes < kMaxIdentityChanges) {
      // The server has this mutation id of this client id with another
      // payload: another database pushed under our client id (a copy of
      // this one). Move to a new client id; the change stays pending.
      new_identity = true;
    } else if (status == "rejected") {
      // Kept in sync_rejected with the server's reason and the row as sent.
      json row = t ? local_row_json(*t, id) : json();
      reject("push", mid, tname, id, c["op"].get<std::string>(), c["hlc"].get<std::string>(), r.value("code", ""),
             r.value("message", ""), row);
      forget_pending(tname, id, mid);
      bump("rejected");
      summary["rejections"].push_back({{"table", tname}, {"id", id}, {"code", r.value("code", "")},
                                       {"message", r.value("message", "")}});
    }
  }
  if (new_identity) {
    ++state_->identity_changes;
    adopt_new_identity();
    summary["newClientId"] = state_->clock.node();
  }
  tx.commit();
  int settled = summary["applied"].get<int>() + summary["superseded"].get<int>() + summary["rejected"].get<int>();
  if (settled == 0 && !new_identity) {
    // The server settled nothing we sent: pushing again would loop. Let the
    // pull run; the next cycle retries.
    state_->push_done = true;
  }
  return summary;
}

json Engine::refuse_push(const json& request, std::int64_t http, const json& body) {
  // The server refused the request as a whole for its size (413) or its
  // JSON (400 PGRST102: nested too deep). Halve the push until the one
  // change that causes it goes alone, then keep that one as rejected.
  const json& carried = request["carried"];
  if (carried.size() > 1) {
    state_->push_limit = static_cast<int>(carried.size() / 2);
    return {{"ok", true}, {"kind", "push"}, {"applied", 0}, {"superseded", 0}, {"rejected", 0},
            {"split", state_->push_limit}, {"conflicts", json::array()}, {"rejections", json::array()}};
  }
  const json& c = carried[0];
  const std::string& tname = c["table"].get_ref<const std::string&>();
  const std::string& id = c["id"].get_ref<const std::string&>();
  const std::string message = "the server refused the request (HTTP " + std::to_string(http) + ")" +
                              (body.is_object() && body.contains("message") && body["message"].is_string()
                                   ? ": " + body["message"].get<std::string>() : std::string());
  Transaction tx(db_);
  const TableSpec* t = table(tname);
  reject("push", c["mid"], tname, id, c["op"].get<std::string>(), c["hlc"].get<std::string>(), "INVALID_ARGUMENT",
         message, t ? local_row_json(*t, id) : json());
  forget_pending(tname, id, c["mid"].get<std::int64_t>());
  tx.commit();
  state_->push_limit = 0;
  return {{"ok", true}, {"kind", "push"}, {"applied", 0}, {"superseded", 0}, {"rejected", 1},
          {"conflicts", json::array()},
          {"rejections", json::array({{{"table", tname}, {"id", id}, {"code", "INVALID_ARGUMENT"}, {"message", message}}})}};
}

void Engine::adopt_new_identity() {
  unsigned char bytes[8];
  secure_random(bytes, sizeof bytes);
  const std::string client = to_hex(bytes, sizeof bytes);
  set_state("client_id", client);
  state_->clock = Hlc(client, state_->clock.last());
}

std::string value_digest(const json& stored) {
  return Sha256::hex(json_text::dump(stored)).substr(0, 16);
}

void Engine::record_acked(const TableSpec& t, const json& carried, const json& sent) {
  // What the server now holds as this device's write: its clock, and a
  // digest of each column the write changed (as stored here), to compare
  // with what later pulls bring (pull.cpp, acked_state).
  json fields;
  if (carried["op"] == "upsert" && sent.contains("row")) {
    fields = json::object();
    const json& changed = carried["changed"];
    const json& row = sent["row"];
    for (const ColumnSpec& c : t.columns) {
      if (bookkeeping(c.name)) continue;
      if (!changed.is_null() && std::find(changed.begin(), changed.end(), json(c.name)) == changed.end()) continue;
      const std::string& key = c.remote_name.empty() ? c.name : c.remote_name;
      const json value = row.value(key, json());
      try {
        fields[key] = value_digest(decode_column(value, c));
      } catch (const Error&) {
        fields[key] = value_digest(value);  // a value our own checks refuse: no pulled one will match it
      }
    }
  }
  db_.cached("INSERT OR REPLACE INTO sync_acked(table_name, row_id, hlc, op, fields) VALUES (?, ?, ?, ?, ?)")
      .bind(1, std::string_view(t.name))
      .bind(2, std::string_view(carried["id"].get_ref<const std::string&>()))
      .bind(3, std::string_view(carried["hlc"].get_ref<const std::string&>()))
      .bind(4, std::string_view(carried["op"].get_ref<const std::string&>()))
      .bind_json(5, fields.is_null() ? json() : json(json_text::dump(fields)))
      .run();
}

void Engine::acknowledge_pending(const TableSpec& t, const std::string& id) {
  // A pending change the server turns out to hold already (a pull brought
  // it back with its clock): recorded as acknowledged, as its push would be.
  auto& q = db_.cached(
      "SELECT o.op, o.hlc, m.every, m.changed FROM (SELECT op, hlc FROM sync_outbox WHERE table_name = ?1 AND "
      "row_id = ?2 ORDER BY mutation_id DESC LIMIT 1) o, (SELECT " + std::string(kChangedColumns) +
      " FROM sync_outbox WHERE table_name = ?1 AND row_id = ?2) m");
  q.bind(1, std::string_view(t.name)).bind(2, std::string_view(id));
  if (!q.step()) {
    q.reset();
    return;
  }
  json carried{{"id", id}, {"op", q.column_text(0)}, {"hlc", q.column_text(1)},
               {"changed", q.column_int(2) != 0 ? json() : changed_columns(q.column_text(3))}};
  q.reset();
  json row = local_row_json(t, id);
  record_acked(t, carried, row.is_null() ? json::object() : json{{"row", row}});
}

void Engine::forget_acked(const std::string& table_name, const std::string& id) {
  db_.cached("DELETE FROM sync_acked WHERE table_name = ? AND row_id = ?")
      .bind(1, std::string_view(table_name))
      .bind(2, std::string_view(id))
      .run();
}

}  // namespace cs::sync

CS_COLD_CODE_END
