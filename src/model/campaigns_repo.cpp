// Campaigns and their status lifecycle.
//
// Status transitions (campaigns.setStatus; create may start in any status,
// which the legacy import needs; update never changes status):
//
//   draft     -> scheduled, active, archived
//   scheduled -> draft, active, archived
//   active    -> paused, completed, archived
//   paused    -> active, completed, archived
//   completed -> archived
//   archived  -> (none: archiving is final)
//
// Setting the current status again is a no-op that succeeds (retries are
// safe). A status this version does not know (written by raw SQL or a newer
// client) may move to any status, so such a row is never stuck. The first
// move to `active` stamps launchedAt.
#include "list.hpp"
#include "repo.hpp"
#include "repos.hpp"

#include "model/clock.hpp"

#include <algorithm>
#include <map>

namespace cs::model::campaigns {

namespace {

const std::map<std::string, std::vector<std::string>>& transitions() {
  static const std::map<std::string, std::vector<std::string>> t = {
      {"draft", {"scheduled", "active", "archived"}},
      {"scheduled", {"draft", "active", "archived"}},
      {"active", {"paused", "completed", "archived"}},
      {"paused", {"active", "completed", "archived"}},
      {"completed", {"archived"}},
      {"archived", {}},
  };
  return t;
}

const ListSpec& list_spec() {
  static const ListSpec kList = [] {
    ListSpec s = list_over(spec::campaigns(), {"userId", "status", "productId", "type", "source"},
                           {{"name", "name COLLATE NOCASE"}, {"startsAt", "ifnull(starts_at, '')"}});
    // The legacy import's key: served by the expression index
    // campaigns_legacy_id, whose WHERE the guard repeats.
    s.filters.push_back({"legacyId", "json_extract(legacy_data, '$.id')", nullptr, "legacy_data IS NOT NULL"});
    return s;
  }();
  return kList;
}

// endsAt must not come before startsAt (both canonical UTC text, so text
// order is time order).
void check_dates(const json& starts, const json& ends) {
  if (starts.is_string() && ends.is_string() && ends.get_ref<const std::string&>() < starts.get_ref<const std::string&>())
    fail_field("endsAt", "must not be before startsAt", {{"startsAt", starts}, {"endsAt", ends}});
}

}  // namespace

json create(Database& db, const json& args) {
  const TableSpec& t = spec::campaigns();
  Row row = parse_create(t, args);
  json starts = row.get(t, "startsAt") ? format_value(t.field("startsAt"), *row.get(t, "startsAt")) : json();
  json ends = row.get(t, "endsAt") ? format_value(t.field("endsAt"), *row.get(t, "endsAt")) : json();
  check_dates(starts, ends);
  if (text_of(*row.get(t, "status")) == "active" && is_null(*row.get(t, "launchedAt")))
    row.set(t, "launchedAt", clock::now_iso());
  Transaction tx(db);
  check_new_id(db, t, row, args, "");
  check_references(db, t, row, "");
  insert_row(db, t, row);
  tx.commit();
  return row_json(t, row);
}

json get(Database& db, const json& args) {
  const std::string id = parse_id(args, "id");
  json campaign = get_row(db, spec::campaigns(), id);
  const json& product_id = campaign["productId"];
  json product = nullptr;
  if (product_id.is_string()) {
    auto found = find_row(db, spec::products(), product_id.get<std::string>());
    if (found) product = std::move(*found);
  }
  campaign["product"] = std::move(product);
  campaign["creatives"] = creatives::of_campaign(db, id);
  campaign["draft"] = drafts::latest(db, id);
  return campaign;
}

json list(Database& db, const json& args) { return list_rows(db, list_spec(), args); }

json update(Database& db, const json& args) {
  const TableSpec& t = spec::campaigns();
  Row row = parse_update(t, args);
  Transaction tx(db);
  json current = get_row(db, t, row.id);
  if (!row.empty()) {
    auto effective = [&](const char* api) {
      const Value* v = row.get(t, api);
      return v ? format_value(t.field(api), *v) : current[api];
    };
    check_dates(effective("startsAt"), effective("endsAt"));
    check_references(db, t, row, "");
    update_row(db, t, row);
    current = get_row(db, t, row.id);
  }
  tx.commit();
  return current;
}

json set_status(Database& db, const json& args) {
  const TableSpec& t = spec::campaigns();
  if (!args.is_object()) fail_field("args", "must be a JSON object");
  only_args(args, {"id", "status"}, "campaigns.setStatus");
  const std::string id = parse_id(args, "id");
  if (!args.contains("status") || args["status"].is_null()) fail_field("status", "is required");
  const std::string to(text_of(parse_value(t.field("status"), args["status"], "status")));

  Transaction tx(db);
  json current = get_row(db, t, id);
  const std::string from = current["status"].is_string() ? current["status"].get<std::string>() : "";
  if (from == to) return current;  // nothing to do; the transaction rolls back unused
  auto known = transitions().find(from);
  if (known != transitions().end()) {
    const auto& allowed = known->second;
    if (std::find(allowed.begin(), allowed.end(), to) == allowed.end())
      throw Error(Code::Conflict,
                  "status: a campaign cannot go from '" + from + "' to '" + to + "'" +
                      (allowed.empty() ? " ('" + from + "' is final)" : ""),
                  {{"field", "status"}, {"from", from}, {"to", to}, {"allowed", allowed}});
  }
  Row row = patch_row(t, id);
  row.set(t, "status", to);
  if (to == "active" && current["launchedAt"].is_null()) row.set(t, "launchedAt", clock::now_iso());
  update_row(db, t, row);
  json out = get_row(db, t, id);
  tx.commit();
  return out;
}

}  // namespace cs::model::campaigns
