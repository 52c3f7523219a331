// `saved_campaigns` (the V2 builder): campaigns rows with source 'v2', the
// builder's sections mapped to the config columns (audience ->
// audience_config, platforms/platformConfig -> platform_config,
// creativeConfig -> creative_config, publishSettings -> publish_config),
// creatives -> creatives and their assets -> creative_assets. legacy_data
// keeps the item without its creatives (they are rows).
#include "internal.hpp"

#include <cctype>

namespace cs::legacy {

namespace {

const char* asset_type(const ojson& asset) {
  const auto t = text_of(field(asset, "type"));
  for (const char* ok : {"image", "video", "text", "button"})
    if (t && *t == ok) return ok;
  return nullptr;  // the column's CHECK knows only these; the original keeps the rest
}

// platformConfig as given, plus {enabled: true} for each name in `platforms`
// it does not mention.
ojson platform_config(const ojson& c) {
  ojson out = object_or_empty(field(c, "platformConfig"));
  if (const ojson* list = field(c, "platforms"); list && list->is_array()) {
    for (const ojson& p : *list)
      if (p.is_string() && !out.contains(p.get_ref<const std::string&>()))
        out[p.get_ref<const std::string&>()] = {{"enabled", true}};
  }
  return out;
}

void import_assets(Group& g, RowBatch& batch, ojson& list, const std::string& creative_row, const Stamp& created,
                   KeyResult& kr) {
  std::int64_t index = -1;
  for (ojson& a : list) {
    ++index;
    if (!a.is_object()) continue;  // assets are not a counted list (README rule 3)
    const ojson* idv = field(a, "id");
    const auto canon = idv ? canonical_id(*idv) : std::nullopt;
    kr.id("creative_assets", idv);
    kr.count("creative_assets");
    const std::string slot = g.ids.slot("creative_assets", creative_row, canon, index);
    Claim c = g.ids.claim("creative_assets", slot);
    const char* type = asset_type(a);
    Columns cols = {
        {"creative_id", Value::of(creative_row)},
        {"type", type ? Value::of(std::string(type)) : Value::null()},
        {"url", text_value(a, "url")},
        {"content", text_value(a, "content")},
        {"metadata", Value::of(std::string("{}"))},
        {"created_at", Value::of(created)},
        {"updated_at", Value::of(created)},
    };
    MapRecord r;
    r.legacy_id = idv;
    r.canon = canon;
    r.ordinal = index;
    r.parent = creative_row;
    r.original = &a;
    r.notes = ojson::object();
    r.notes["snap"] = put_row(g.db, batch, "creative_assets", c.row_id, cols, c);
    g.ids.record("creative_assets", slot, c, r);
  }
}

// A creative row; its asset list is returned, to be written once every
// creative is in.
ojson import_creative(Group& g, RowBatch& batch, ojson& cr, std::int64_t index, const std::string& campaign_row,
                      const Stamp& created, KeyResult& kr, std::string* row) {
  const ojson* idv = field(cr, "id");
  const auto canon = idv ? canonical_id(*idv) : std::nullopt;
  kr.id("creatives", idv);
  kr.count("creatives");
  ojson assets;
  std::int64_t assets_pos = -1;
  if (auto it = cr.find("assets"); it != cr.end() && it->is_array()) {
    assets_pos = std::distance(cr.begin(), it);
    assets = std::move(*it);
    cr.erase(it);
  }
  const std::string slot = g.ids.slot("creatives", campaign_row, canon, index);
  Claim c = g.ids.claim("creatives", slot);
  Value name = text_value(cr, "name");
  if (name.kind == Value::Null) name = text_value(cr, "formatName");
  const ojson* elements = field(cr, "elements");
  Columns cols = {
      {"campaign_id", Value::of(campaign_row)},
      {"name", name},
      {"format_id", text_value(cr, "formatId")},
      {"format_name", text_value(cr, "formatName")},
      {"width", Value::of(count_of(field(cr, "width")))},
      {"height", Value::of(count_of(field(cr, "height")))},
      {"elements", Value::json(elements && elements->is_array() ? *elements : ojson::array())},
      {"metadata", Value::of(std::string("{}"))},
      {"is_active", Value::flag(true)},
      {"created_at", Value::of(created)},
      {"updated_at", Value::of(created)},
  };
  ojson notes = ojson::object();
  notes["snap"] = put_row(g.db, batch, "creatives", c.row_id, cols, c);
  if (assets.is_array()) notes["assets"] = assets_pos;
  MapRecord r;
  r.legacy_id = idv;
  r.canon = canon;
  r.ordinal = index;
  r.parent = campaign_row;
  r.original = &cr;
  r.notes = std::move(notes);
  g.ids.record("creatives", slot, c, r);
  *row = c.row_id;
  return assets;
}

}  // namespace

void import_v2_campaigns(Group& g, ojson& list, KeyResult& kr) {
  if (!list.is_array()) return;
  struct Pending {
    std::string row;
    Stamp created;
    ojson creatives;
  };
  std::vector<Pending> campaigns;
  RowBatch batch(g.db, "campaigns");
  std::int64_t index = -1;
  for (ojson& c : list) {
    ++index;
    if (!c.is_object()) {
      ++kr.skipped;
      kr.count("skipped_items");
      continue;
    }
    ++kr.rows;
    const ojson* idv = field(c, "id");
    const auto canon = idv ? canonical_id(*idv) : std::nullopt;
    kr.id("v2_campaigns", idv);
    kr.count("v2_campaigns");
    replace_data_urls(c, g.blobs, kr.urls);
    ojson creatives;
    std::int64_t creatives_pos = -1;
    if (auto it = c.find("creatives"); it != c.end() && it->is_array()) {
      creatives_pos = std::distance(c.begin(), it);
      creatives = std::move(*it);
      c.erase(it);
    }

    std::optional<std::string> ref, product_row;
    if (const ojson* pid = field(c, "productId")) ref = canonical_id(*pid);
    if (ref) product_row = resolve(g.db, "products", *ref);
    const ojson* budget_field = field(c, "budget");
    const Amount budget =
        parse_amount(budget_field && budget_field->is_object() ? field(*budget_field, "amount") : budget_field);
    std::string currency = text_of(field(c, "currency")).value_or("");
    for (char& ch : currency) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (currency.size() != 3) currency = budget.currency.empty() ? "USD" : budget.currency;
    const ojson* schedule = field(c, "schedule");
    const bool has_schedule = schedule && schedule->is_object();
    const ojson* publish = field(c, "publishSettings");
    if (!publish) publish = field(c, "publishConfig");
    const Stamp created = stamp_or(iso_date(field(c, "createdAt"), g.tz), now_stamp(g.now));
    const Stamp updated = stamp_or(iso_date(field(c, "updatedAt"), g.tz), created);
    Value name = text_value(c, "name");
    if (name.kind == Value::Null) name = Value::of(std::string());
    Columns cols = {
        {"product_id", Value::of(product_row)},
        {"name", name},
        {"type", text_value(c, "type")},
        {"status", Value::of(campaign_status(field(c, "status")))},
        {"budget", Value::of(budget.cents)},
        {"currency", Value::of(currency)},
        {"starts_at", Value::of(has_schedule ? iso_date(field(*schedule, "startsAt"), g.tz) : std::nullopt)},
        {"ends_at", Value::of(has_schedule ? iso_date(field(*schedule, "endsAt"), g.tz) : std::nullopt)},
        {"audience_config", Value::json(object_or_empty(field(c, "audience")))},
        {"platform_config", Value::json(platform_config(c))},
        {"creative_config", Value::json(object_or_empty(field(c, "creativeConfig")))},
        {"publish_config", Value::json(object_or_empty(publish))},
        {"legacy_data", Value::json(c)},
        {"source", Value::of(std::string("v2"))},
        {"created_at", Value::of(created)},
        {"updated_at", Value::of(updated)},
    };
    const std::string slot = g.ids.slot("v2_campaigns", "", canon, index);
    Claim claim = g.ids.claim("v2_campaigns", slot);
    ojson notes = ojson::object();
    notes["snap"] = put_row(g.db, batch, "campaigns", claim.row_id, cols, claim);
    if (creatives.is_array()) notes["creatives"] = creatives_pos;
    MapRecord r;
    r.legacy_id = idv;
    r.canon = canon;
    r.ordinal = index;
    r.ref = ref;
    r.link = product_row;
    r.notes = std::move(notes);
    g.ids.record("v2_campaigns", slot, claim, r);
    campaigns.push_back({claim.row_id, created, std::move(creatives)});
  }
  batch.flush();

  struct Assets {
    std::string creative;
    Stamp created;
    ojson list;
  };
  std::vector<Assets> assets;
  RowBatch creative_batch(g.db, "creatives");
  for (Pending& c : campaigns) {
    std::int64_t j = -1;
    for (ojson& cr : c.creatives) {
      ++j;
      if (!cr.is_object()) {
        kr.count("skipped_items");
        continue;
      }
      std::string row;
      ojson list = import_creative(g, creative_batch, cr, j, c.row, c.created, kr, &row);
      if (list.is_array()) assets.push_back({row, c.created, std::move(list)});
    }
  }
  creative_batch.flush();
  RowBatch asset_batch(g.db, "creative_assets");
  for (Assets& a : assets) import_assets(g, asset_batch, a.list, a.creative, a.created, kr);
  asset_batch.flush();
}

}  // namespace cs::legacy
