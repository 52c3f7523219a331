// `saved_campaigns` (the V2 builder): campaigns rows with source 'v2', the
// builder's sections mapped to the config columns (audience ->
// audience_config, platforms/platformConfig -> platform_config,
// creativeConfig -> creative_config, publishSettings -> publish_config),
// creatives -> creatives and their assets -> creative_assets. legacy_data
// keeps the item without its creatives (they are rows).
#include "internal.hpp"

#include "db/cold_code.hpp"

#include <cctype>

CS_COLD_CODE_BEGIN

namespace cs::legacy {

namespace {

// A child list that becomes rows, taken out of its parent item (legacy_data
// keeps the rest): the list, null when the member is absent or not an array,
// and where it stood among the parent's members.
struct ChildList {
  ojson list;
  std::int64_t position = -1;
};

ChildList take_child_list(ojson& item, const char* member) {
  ChildList out;
  if (auto it = item.find(member); it != item.end() && it->is_array()) {
    out.position = std::distance(item.begin(), it);
    out.list = std::move(*it);
    item.erase(it);
  }
  return out;
}

// Settings a platform entry of `platforms` names it by, in precedence order.
constexpr const char* kPlatformIds[] = {"id", "platformId", "platform_id", "platform"};

// platformConfig as given, then each entry of `platforms`: a name, or an
// object {id, ...settings}. A platform platformConfig does not mention gets
// {enabled: true, ...settings}; one it does keeps its settings and gains
// those only the entry has (a setting both give differently is a conflict:
// platformConfig's wins). An entry with no name is unreadable.
ojson platform_config(const ojson* config, const ojson* platforms, Item& it) {
  ojson out = config ? *config : ojson::object();
  if (!platforms) return out;
  bool conflict = false;
  for (const ojson& p : *platforms) {
    std::optional<std::string> id;
    ojson settings = ojson::object();
    if (p.is_string() && !p.get_ref<const std::string&>().empty()) {
      id = p.get<std::string>();
    } else if (p.is_object()) {
      const char* named_by = nullptr;
      for (const char* k : kPlatformIds) {
        auto t = text_of(field(p, k));
        if (t && !t->empty()) {
          id = t;
          named_by = k;
          break;
        }
      }
      for (auto m = p.begin(); m != p.end(); ++m)
        if (named_by == nullptr || m.key() != named_by) settings[m.key()] = m.value();
    }
    if (!id) {
      it.count("platforms", FieldTally::Unreadable);
      continue;
    }
    auto mine = out.find(*id);
    if (mine == out.end()) {
      ojson entry = {{"enabled", true}};
      for (auto m = settings.begin(); m != settings.end(); ++m) entry[m.key()] = m.value();
      out[*id] = std::move(entry);
    } else if (mine->is_object()) {
      for (auto m = settings.begin(); m != settings.end(); ++m) {
        auto have = mine->find(m.key());
        if (have == mine->end()) (*mine)[m.key()] = m.value();
        else conflict = conflict || *have != m.value();
      }
    } else {
      conflict = conflict || !settings.empty();
    }
  }
  if (conflict) it.count("platforms", FieldTally::Conflict);
  return out;
}

void import_assets(Group& g, RowBatch& batch, ojson& list, const std::string& creative_row, const Stamp& created,
                   KeyResult& kr) {
  std::int64_t index = -1;
  for (ojson& a : list) {
    ++index;
    if (!a.is_object()) {
      kr.count("skipped_items");
      continue;
    }
    const KeyResult::ItemId item_id = kr.item("creative_assets", a);
    const auto& canon = item_id.canon;
    const std::string slot = g.ids.slot("creative_assets", creative_row, canon, index);
    Claim c = g.ids.claim("creative_assets", slot);
    Item it(a, "creative_assets", kr.fields);
    // The column's CHECK knows only these types; the original keeps the rest.
    auto type = it.text("type");
    if (type && *type != "image" && *type != "video" && *type != "text" && *type != "button") {
      it.count("type", FieldTally::Unreadable);
      type.reset();
    }
    ojson metadata = ojson::object();
    if (auto name = it.text("name")) metadata["name"] = *name;
    Columns cols = {
        {"creative_id", Value::of(creative_row)},
        {"type", Value::of(type)},
        {"url", Value::of(it.text("url"))},
        {"content", Value::of(it.text("content"))},
        {"styles", Value::json(object_or_empty(it.object("styles")))},
        {"position", Value::json(object_or_empty(it.object("position")))},
        {"metadata", Value::json(metadata)},
        {"created_at", Value::of(created)},
        {"updated_at", Value::of(created)},
    };
    MapRecord r = map_record(item_id, index);
    r.parent = creative_row;
    r.original = &a;
    r.notes = batch.put(c, cols);
    g.ids.record("creative_assets", slot, c, r);
  }
}

// A creative row; its asset list is returned, to be written once every
// creative is in.
ojson import_creative(Group& g, RowBatch& batch, ojson& cr, std::int64_t index, const std::string& campaign_row,
                      const Stamp& created, KeyResult& kr, std::string* row) {
  const KeyResult::ItemId item_id = kr.item("creatives", cr);
  const auto& canon = item_id.canon;
  ChildList assets = take_child_list(cr, "assets");
  const std::string slot = g.ids.slot("creatives", campaign_row, canon, index);
  Claim c = g.ids.claim("creatives", slot);
  Item it(cr, "creatives", kr.fields);
  const auto format_name = it.text("formatName");
  auto name = it.text("name");
  if (!name) name = format_name;
  const ojson* elements = it.list("elements");
  Columns cols = {
      {"campaign_id", Value::of(campaign_row)},
      {"name", Value::of(name)},
      {"format_id", Value::of(it.text("formatId"))},
      {"format_name", Value::of(format_name)},
      {"width", Value::of(it.whole("width"))},
      {"height", Value::of(it.whole("height"))},
      {"elements", Value::json(elements ? *elements : ojson::array())},
      {"metadata", Value::of(std::string("{}"))},
      {"is_active", Value::flag(it.flag("isActive").value_or(true))},
      {"created_at", Value::of(created)},
      {"updated_at", Value::of(created)},
  };
  ojson notes = batch.put(c, cols);
  note_children(notes, "assets", assets.position, assets.list);
  MapRecord r = map_record(item_id, index);
  r.parent = campaign_row;
  r.original = &cr;
  r.notes = std::move(notes);
  g.ids.record("creatives", slot, c, r);
  *row = c.row_id;
  return std::move(assets.list);
}

}  // namespace

void import_v2_campaigns(Group& g, ojson& list, KeyResult& kr) {
  if (!list.is_array()) return;
  // A row's child list, written once every row of its parent's table is in.
  struct Children {
    std::string parent;  // row id
    Stamp created;       // the parent's: its children's rows are stamped with it
    ojson list;
  };
  std::vector<Children> campaigns;
  RowBatch batch(g.db, "campaigns");
  for_each_object(g, list, kr, "", [&](ojson& c, std::int64_t index) {
    const KeyResult::ItemId item_id = kr.item("v2_campaigns", c);
    const auto& canon = item_id.canon;
    replace_data_urls(c, g.blobs, kr.urls);
    ChildList creatives = take_child_list(c, "creatives");

    Item it(c, "v2_campaigns", kr.fields);
    std::optional<std::string> ref = it.id("productId"), product_row;
    if (ref) product_row = resolve(g.db, "products", *ref);
    // budget: an amount, or {amount, type, currency}.
    Amount budget;
    std::optional<std::string> budget_currency;
    if (const ojson* b = it.raw("budget"); b && b->is_object()) {
      Item bi(*b, "budget", kr.fields, "v2_campaigns", "budget.");
      budget = bi.amount("amount");
      budget_currency = bi.text("currency");
    } else {
      budget = it.amount("budget");
    }
    std::string currency = it.text("currency").value_or(budget_currency.value_or(""));
    for (char& ch : currency) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (currency.size() != 3) {
      if (!currency.empty()) it.count("currency", FieldTally::Unreadable);
      currency = budget.currency.empty() ? "USD" : budget.currency;
    }
    std::optional<std::string> starts, ends;
    if (const ojson* schedule = it.object("schedule")) {
      Item si(*schedule, "schedule", kr.fields, "v2_campaigns", "schedule.");
      starts = si.date("startsAt", g.tz);
      ends = si.date("endsAt", g.tz);
    }
    const ojson* publish = it.object("publishSettings");
    const ojson* config = it.object("platformConfig");
    const ojson* platforms = it.list("platforms");
    const Stamp created = stamp_or(it.date("createdAt", g.tz), now_stamp(g.now));
    const Stamp updated = stamp_or(it.date("updatedAt", g.tz), created);
    Value name = Value::of(it.text("name"));
    if (name.kind == Value::Null) name = Value::of(std::string());
    Columns cols = {
        {"product_id", Value::of(product_row)},
        {"name", name},
        {"type", Value::of(it.text("type"))},
        {"status", Value::of(campaign_status(it.text("status")))},
        {"budget", Value::of(budget.cents)},
        {"currency", Value::of(currency)},
        {"starts_at", Value::of(starts)},
        {"ends_at", Value::of(ends)},
        {"audience_config", Value::json(object_or_empty(it.object("audience")))},
        {"platform_config", Value::json(platform_config(config, platforms, it))},
        {"creative_config", Value::json(object_or_empty(it.object("creativeConfig")))},
        {"publish_config", Value::json(object_or_empty(publish))},
        {"legacy_data", Value::json(c)},
        {"source", Value::of(std::string("v2"))},
        {"created_at", Value::of(created)},
        {"updated_at", Value::of(updated)},
    };
    const std::string slot = g.ids.slot("v2_campaigns", "", canon, index);
    Claim claim = g.ids.claim("v2_campaigns", slot);
    ojson notes = batch.put(claim, cols);
    note_children(notes, "creatives", creatives.position, creatives.list);
    MapRecord r = map_record(item_id, index);
    r.ref = ref;
    r.link = product_row;
    r.notes = std::move(notes);
    g.ids.record("v2_campaigns", slot, claim, r);
    campaigns.push_back({claim.row_id, created, std::move(creatives.list)});
  });
  batch.flush();

  std::vector<Children> assets;
  RowBatch creative_batch(g.db, "creatives");
  for (Children& c : campaigns) {
    std::int64_t j = -1;
    for (ojson& cr : c.list) {
      ++j;
      if (!cr.is_object()) {
        kr.count("skipped_items");
        continue;
      }
      std::string row;
      ojson list = import_creative(g, creative_batch, cr, j, c.parent, c.created, kr, &row);
      if (list.is_array()) assets.push_back({row, c.created, std::move(list)});
    }
  }
  creative_batch.flush();
  RowBatch asset_batch(g.db, "creative_assets");
  for (Children& a : assets) import_assets(g, asset_batch, a.list, a.parent, a.created, kr);
  asset_batch.flush();
  g.progress.finish();
}

}  // namespace cs::legacy

CS_COLD_CODE_END
