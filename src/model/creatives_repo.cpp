// Creatives (one ad format of a campaign, its canvas elements) and their
// assets. `version` counts saves of the elements: creatives.update bumps it
// when elements change, and a caller that passes expectedVersion gets
// CONFLICT instead of overwriting a save it has not seen (two tabs editing).
#include "list.hpp"
#include "repo.hpp"
#include "repos.hpp"

#include "model/limits.hpp"

#include <unordered_map>

namespace cs::model {

namespace {

// The rows of one parent (a required filter), oldest first.
ListSpec child_list(const TableSpec& t, const std::string& parent, const std::vector<std::string>& more_filters) {
  std::vector<std::string> filters = {parent};
  filters.insert(filters.end(), more_filters.begin(), more_filters.end());
  ListSpec s = list_over(t, filters);
  s.required = {parent};
  s.default_desc = false;
  return s;
}

// Assets of one creative (`by` = creative_id) or of every creative of a
// campaign, keyed by creative id.
std::unordered_map<std::string, json> assets_by_creative(Database& db, const std::string& sql, std::string_view key) {
  const TableSpec& at = spec::creative_assets();
  Statement& q = db.cached(sql);
  q.bind(1, key);
  std::unordered_map<std::string, json> out;
  const int creative_col = 1 + at.index_of("creativeId");
  while (q.step()) {
    auto& list = out[std::string(q.column_text_view(creative_col))];
    if (list.is_null()) list = json::array();
    list.push_back(read_row(at, q));
  }
  return out;
}

}  // namespace

namespace creatives {

json create(Database& db, const json& args) {
  const TableSpec& ct = spec::creatives();
  const TableSpec& at = spec::creative_assets();
  static const json kNone = json::array();
  const json* assets = &kNone;
  if (args.is_object() && args.contains("assets") && !args["assets"].is_null()) {
    assets = &args["assets"];
    if (!assets->is_array()) fail_field("assets", std::string("must be an array, got ") + assets->type_name());
    if (assets->size() > limits::kMaxAssetsPerCreate)
      fail_field("assets", "has " + std::to_string(assets->size()) + " items, limit " +
                               std::to_string(limits::kMaxAssetsPerCreate),
                 {{"limit", limits::kMaxAssetsPerCreate}});
  }
  Row creative = parse_create(ct, args, {"", {"assets"}, {}});
  std::vector<Row> rows;
  rows.reserve(assets->size());
  for (std::size_t i = 0; i < assets->size(); ++i) {
    Row asset = parse_create(at, (*assets)[i], {"assets[" + std::to_string(i) + "]", {}, {"creativeId"}});
    asset.set(at, "creativeId", std::string_view(creative.id));
    rows.push_back(std::move(asset));
  }
  Transaction tx(db);
  check_new_id(db, ct, creative, args, "");
  check_references(db, ct, creative, "");
  insert_row(db, ct, creative);
  json out = row_json(ct, creative);
  out["assets"] = json::array();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    check_new_id(db, at, rows[i], (*assets)[i], "assets[" + std::to_string(i) + "]");
    insert_row(db, at, rows[i]);
    out["assets"].push_back(row_json(at, rows[i]));
  }
  tx.commit();
  return out;
}

json get(Database& db, const json& args) {
  const std::string id = parse_id(args, "id");
  json creative = get_row(db, spec::creatives(), id);
  static const std::string sql = "SELECT " + spec::creative_assets().select_list +
                                 " FROM creative_assets WHERE creative_id = ?1 ORDER BY created_at, rowid";
  auto assets = assets_by_creative(db, sql, id);
  creative["assets"] = assets.count(id) ? std::move(assets[id]) : json::array();
  return creative;
}

json of_campaign(Database& db, std::string_view campaign_id) {
  const TableSpec& ct = spec::creatives();
  static const std::string creatives_sql =
      "SELECT " + ct.select_list + " FROM creatives WHERE campaign_id = ?1 ORDER BY created_at, rowid";
  static const std::string assets_sql = "SELECT " + spec::creative_assets().columns_with("a") +
                                        " FROM creatives c JOIN creative_assets a ON a.creative_id = c.id"
                                        " WHERE c.campaign_id = ?1 ORDER BY a.created_at, a.rowid";
  json out = json::array();
  {
    Statement& q = db.cached(creatives_sql);
    q.bind(1, campaign_id);
    while (q.step()) out.push_back(read_row(ct, q));
  }
  if (out.empty()) return out;
  auto assets = assets_by_creative(db, assets_sql, campaign_id);
  for (json& c : out) {
    auto found = assets.find(c["id"].get<std::string>());
    c["assets"] = found != assets.end() ? std::move(found->second) : json::array();
  }
  return out;
}

json list(Database& db, const json& args) {
  static const ListSpec kList = child_list(spec::creatives(), "campaignId", {"isActive", "formatId"});
  return list_rows(db, kList, args);
}

json update(Database& db, const json& args) {
  const TableSpec& t = spec::creatives();
  Row row = parse_update(t, args, {"", {"expectedVersion"}, {}});
  const std::optional<std::int64_t> expected = integer_arg(args, "expectedVersion", 1, limits::kMaxInt32);
  Transaction tx(db);
  Statement& q = db.cached("SELECT version FROM creatives WHERE id = ?1");
  q.bind(1, std::string_view(row.id));
  if (!q.step())
    throw Error(Code::NotFound, "id: no creative with id '" + row.id + "'", {{"field", "id"}, {"table", t.name}, {"id", row.id}});
  const std::int64_t version = q.column_int(0);
  q.reset();
  if (expected && *expected != version)
    throw Error(Code::Conflict,
                "expectedVersion: the creative is at version " + std::to_string(version) + ", not " +
                    std::to_string(*expected) + " (someone saved it meanwhile)",
                {{"field", "expectedVersion"}, {"version", version}, {"expected", *expected}});
  if (row.get(t, "elements") != nullptr) row.set(t, "version", version + 1);
  if (!row.empty()) {
    check_references(db, t, row, "");
    update_row(db, t, row);
  }
  json out = get_row(db, t, row.id);
  tx.commit();
  return out;
}

}  // namespace creatives

namespace assets {

json list(Database& db, const json& args) {
  static const ListSpec kList = child_list(spec::creative_assets(), "creativeId", {"type"});
  return list_rows(db, kList, args);
}
}  // namespace assets

}  // namespace cs::model
