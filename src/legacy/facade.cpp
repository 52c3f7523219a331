// The old app's call shapes over the database (js/legacy/facade.js is the
// JS half): saveAd(adData) and lookups of single items in the legacy shape.
// A campaign saved here is stored exactly as the importer stores a legacy
// campaign, so export, dual write and a later import treat it the same.
#include "internal.hpp"

#include "db/cold_code.hpp"
#include "model/clock.hpp"
#include "model/uuid.hpp"

CS_COLD_CODE_BEGIN

namespace cs::legacy {

namespace {

std::optional<std::string> group_of_row(Database& db, const std::string& entity, const std::string& slot) {
  Statement& st = db.cached("SELECT group_key FROM legacy_id_map WHERE entity = ?1 AND slot = ?2");
  st.bind(1, std::string_view(entity)).bind(2, std::string_view(slot));
  std::optional<std::string> g;
  if (st.step()) g = st.column_text(0);
  st.reset();
  return g;
}

std::optional<std::pair<std::string, std::string>> slot_of_row(Database& db, const std::string& row_id) {
  Statement& st = db.cached("SELECT slot, group_key FROM legacy_id_map WHERE row_id = ?1 AND entity = 'legacy_campaigns'");
  st.bind(1, std::string_view(row_id));
  std::optional<std::pair<std::string, std::string>> out;
  if (st.step()) out = std::make_pair(st.column_text(0), st.column_text(1));
  st.reset();
  return out;
}

const char* map_entity(const std::string& entity) {
  if (entity == "products") return "products";
  if (entity == "campaigns") return "legacy_campaigns";
  if (entity == "saved_campaigns") return "v2_campaigns";
  return nullptr;
}

bool row_exists(Database& db, const char* table, const std::string& id) {
  Statement& st = db.cached(std::string("SELECT 1 FROM \"") + table + "\" WHERE id = ?1");
  st.bind(1, std::string_view(id));
  const bool yes = st.step();
  st.reset();
  return yes;
}

}  // namespace

json get_item(Database& db, const std::string& entity, const json& id, bool inline_images) {
  const char* mapped = map_entity(entity);
  if (mapped == nullptr)
    throw Error(Code::InvalidArgument, "entity: must be 'products', 'campaigns' or 'saved_campaigns'", {{"field", "entity"}});
  const char* table = table_of(mapped);
  std::optional<std::string> row;
  if (id.is_string() && is_uuid(id.get<std::string>()) && row_exists(db, table, id.get<std::string>())) row = id.get<std::string>();
  if (!row) {
    const auto canon = canonical_id(to_ojson(id));
    if (canon) row = resolve(db, mapped, *canon);
  }
  if (!row) return nullptr;
  Shaper shaper{db, inline_images, {}};
  ojson item = entity == "products" ? shaper.product(*row)
               : entity == "campaigns" ? shaper.legacy_campaign(*row) : shaper.v2_campaign(*row);
  shaper.finish(item);
  return {{"rowId", *row}, {"value", json_text::stringify(item)}};
}

json save_ad(Database& db, const json& ad_data, const TimeZone& tz) {
  if (!ad_data.is_object()) throw Error(Code::InvalidArgument, "adData: must be an object", {{"field", "adData"}});
  const std::string now = clock::now_iso();
  Transaction tx(db);
  ojson ad = to_ojson(ad_data);

  // An existing legacy campaign when adData names one (campaignId).
  std::optional<std::string> row;
  if (const ojson* cid = field(ad, "campaignId"))
    if (auto canon = canonical_id(*cid)) row = resolve(db, "legacy_campaigns", *canon);
  Shaper shaper{db, false, {}};
  ojson campaign;
  std::string slot, group = "app:campaigns";
  if (row) {
    campaign = shaper.legacy_campaign(*row);
    if (auto s = slot_of_row(db, *row)) {
      slot = s->first;
      group = s->second;
    }
    campaign["adData"] = ad;
    if (auto name = text_of(field(ad, "campaignName")); name && !name->empty()) campaign["name"] = *name;
    campaign["updatedAt"] = now;
  } else {
    // The old app's new campaign: an epoch-ms id, named after the ad.
    std::int64_t id = clock::now_ms();
    while (group_of_row(db, "legacy_campaigns", std::to_string(id) + "#0")) ++id;
    auto name = text_of(field(ad, "campaignName"));
    const auto cta = text_of(field(ad, "ctaType"));
    campaign = {{"id", id},
                {"name", name && !name->empty() ? *name : std::string("Untitled Campaign")},
                {"type", cta && *cta == "WHERE_TO_BUY" ? "Where to Buy" : "Add to Cart"},
                {"status", "active"},
                {"adData", ad},
                {"createdAt", now}};
    slot = std::to_string(id) + "#0";
  }

  BlobSink sink(db);
  ScanStats stats;
  replace_data_urls(campaign, sink, stats);  // images out of JSON here too
  IdMap ids(db, group);
  const std::function<void(const json&)> quiet;
  Progress progress(quiet);
  Group g{db, tz, sink, ids, now, progress};
  std::optional<std::string> ref, product_row;
  FieldTally tally;  // the app's own campaign: nothing to report
  Columns cols = legacy_campaign_columns(g, campaign, Ns{}, tally, &ref, &product_row);
  Claim claim = ids.claim("legacy_campaigns", slot);
  if (!claim.existed && row) claim.row_id = *row;
  const ojson id_value = value_of(field(campaign, "id"));  // a copy: the item changes below
  const ojson* idv = &id_value;
  MapRecord r;
  r.legacy_id = idv ? *idv : ojson();
  r.canon = idv ? canonical_id(*idv) : std::nullopt;
  r.ordinal = claim.existed ? 0 : 1'000'000'000;  // after every migrated campaign
  r.ref = ref;
  r.link = product_row;
  // The facade writes the whole legacy shape: every column is the app's
  // value now, and the fingerprints say so.
  r.notes = {{"snap", write_row(db, "campaigns", claim.row_id, cols, nullptr)}};
  ids.record("legacy_campaigns", slot, claim, r);
  ids.flush();
  tx.commit();
  return {{"rowId", claim.row_id}, {"value", json_text::stringify(shaper.legacy_campaign(claim.row_id))}};
}

}  // namespace cs::legacy

CS_COLD_CODE_END
