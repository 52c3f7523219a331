// Rows back to the legacy item shapes (rollback export, dual write and the
// compat facade). An item starts from the original the migration kept (so
// unknown fields and the app's spellings survive, rule 13); a field is
// rewritten from its column only when the app changed that column since the
// migration (its fingerprint no longer matches). Rows the app made after the
// migration have no original: every field comes from the columns.
#include "internal.hpp"

#include "blobs/blob_store.hpp"
#include "db/cold_code.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <climits>

CS_COLD_CODE_BEGIN

namespace cs::legacy {

namespace {

struct MapInfo {
  bool found = false;
  std::string entity;
  ojson legacy_id;  // null when the row has no legacy id
  ojson original;
  ojson notes = ojson::object();
};

MapInfo map_info(Database& db, const std::string& row_id) {
  Statement& st = db.cached(
      "SELECT entity, legacy_json, original, notes FROM legacy_id_map WHERE row_id = ?1 ORDER BY stale, rowid LIMIT 1");
  st.bind(1, std::string_view(row_id));
  MapInfo m;
  if (st.step()) {
    m.found = true;
    m.entity = st.column_text(0);
    if (!st.column_is_null(1)) parse_json(st.column_text_view(1), m.legacy_id);
    if (!st.column_is_null(2)) parse_json(st.column_text_view(2), m.original);
    if (!st.column_is_null(3)) parse_json(st.column_text_view(3), m.notes);
    if (!m.notes.is_object()) m.notes = ojson::object();
  }
  st.reset();
  return m;
}

// The current row, column by column.
struct Row {
  Statement* st = nullptr;
  std::vector<std::string> names;
  Value get(const char* name) const {
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (names[i] != name) continue;
      switch (sqlite3_column_type(st->handle(), static_cast<int>(i))) {
        case SQLITE_NULL: return Value::null();
        case SQLITE_INTEGER: return Value::of(st->column_int(static_cast<int>(i)));
        default: return Value::of(st->column_text(static_cast<int>(i)));
      }
    }
    return Value::null();
  }
};

// Loads the columns of one row into values (so no statement stays open while
// children are shaped).
std::map<std::string, Value> load_row(Database& db, const char* table, const char* columns, const std::string& id) {
  Statement& st = db.cached(std::string("SELECT ") + columns + " FROM \"" + table + "\" WHERE id = ?1");
  st.bind(1, std::string_view(id));
  std::map<std::string, Value> out;
  if (st.step()) {
    Row r{&st, {}};
    for (int i = 0; i < st.column_count(); ++i) r.names.emplace_back(st.column_name(i));
    for (const std::string& n : r.names) out[n] = r.get(n.c_str());
  }
  st.reset();
  return out;
}

// What the app made itself sorts after every migrated item; items a
// re-migration no longer saw (retained) after the live ones.
constexpr std::int64_t kAppOrdinal = INT64_MAX, kRetainedOrdinal = INT64_MAX - 1;

std::vector<OrderedRow> ordered_rows(Database& db, const std::string& sql, const std::string& arg) {
  Statement& st = db.cached(sql);
  if (st.parameter_count() > 0) st.bind(1, std::string_view(arg));
  std::vector<OrderedRow> out;
  while (st.step())
    out.push_back({st.column_text(0), st.column_is_null(1) ? kAppOrdinal : st.column_int(2) ? kRetainedOrdinal : st.column_int(1)});
  return out;
}

// Children of a parent in source order, then the app's own by creation.
std::vector<OrderedRow> children(Database& db, const char* table, const char* parent_column, const std::string& parent,
                                 const char* exclude_entity = nullptr) {
  std::string sql = std::string("SELECT t.id, m.ordinal, m.stale FROM \"") + table +
                    "\" t LEFT JOIN legacy_id_map m ON m.row_id = t.id WHERE t." + parent_column + " = ?1";
  if (exclude_entity) sql += std::string(" AND (m.entity IS NULL OR m.entity <> '") + exclude_entity + "')";
  sql += " ORDER BY m.rowid IS NULL, m.stale, m.ordinal, m.rowid, t.created_at, t.rowid";
  return ordered_rows(db, sql, parent);
}

// How a column's value becomes a field of the legacy item.
enum class As { Text, Integer, Flag, Money, Parsed };

// A field of the item and the column it is written from.
struct FieldFrom {
  const char* name;  // as the spelling table names it
  const char* column;
  As as;
};

struct Overlay {
  const MapInfo& m;
  std::map<std::string, Value>& row;
  std::string table;  // the spelling table of the item (fields.cpp)
  // True when the app changed the column since the migration (or the row
  // is the app's own).
  bool changed(const char* column) const {
    if (!m.found) return true;
    const ojson* snap = field(m.notes, "snap");
    const ojson* old = snap ? field(*snap, column) : nullptr;
    if (old == nullptr || !old->is_string()) return false;
    return old->get_ref<const std::string&>() != fingerprint(row[column]);
  }
  ojson text(const char* column) { const Value& v = row[column]; return v.kind == Value::Null ? ojson() : ojson(v.kind == Value::Int ? std::to_string(v.i) : v.s); }
  ojson money(const char* column) { const Value& v = row[column]; return v.kind == Value::Int ? amount_json(v.i) : ojson(); }
  ojson parsed(const char* column) {
    const Value& v = row[column];
    ojson out;
    if (v.kind == Value::Text) parse_json(v.s, out);
    return out;
  }
  ojson read(const char* column, As as) {
    const Value& v = row[column];
    switch (as) {
      case As::Text: return text(column);
      case As::Integer: return v.kind == Value::Int ? ojson(v.i) : ojson();
      case As::Flag: return ojson(v.kind == Value::Int && v.i != 0);
      case As::Money: return money(column);
      case As::Parsed: return parsed(column);
    }
    return ojson();
  }
  // Writes each field whose column the app changed, under the spelling the
  // item uses (created_at stays created_at). True when any was written.
  bool set(ojson& item, std::initializer_list<FieldFrom> fields) {
    bool any = false;
    for (const FieldFrom& f : fields) {
      if (!changed(f.column)) continue;
      item[spelling_in(item, table, f.name)] = read(f.column, f.as);
      any = true;
    }
    return any;
  }
  // The same for one field whose value needs more than a column's.
  template <class F>
  void set(ojson& item, const char* name, const char* column, F&& value) {
    if (changed(column)) item[spelling_in(item, table, name)] = value(column);
  }
};

// Where an item's shaping starts: the original the migration kept, or a
// bare {id} for a row the app made.
ojson original_or_bare(const MapInfo& m, const std::string& row_id) {
  return m.found && m.original.is_object() ? m.original : ojson{{"id", row_id}};
}

// The same for rows that keep the item whole in a JSON column.
ojson kept_or_bare(Overlay& o, const char* column, const std::string& row_id) {
  ojson item = o.parsed(column);
  return item.is_object() ? item : ojson{{"id", row_id}};
}

// Puts key back where the original had it (child lists were cut out).
void insert_at(ojson& object, std::int64_t pos, const std::string& key, ojson value) {
  if (object.contains(key) || pos < 0 || pos >= static_cast<std::int64_t>(object.size())) {
    object[key] = std::move(value);
    return;
  }
  ojson out = ojson::object();
  std::int64_t i = 0;
  for (auto it = object.begin(); it != object.end(); ++it, ++i) {
    if (i == pos) out[key] = std::move(value);
    out[it.key()] = std::move(it.value());
  }
  object = std::move(out);
}

std::int64_t pos_of(const ojson& notes, const char* name) {
  const ojson* p = field(notes, name);
  if (p && p->is_object()) p = field(*p, "pos");
  return p && p->is_number_integer() ? p->get<std::int64_t>() : -1;
}

// A product's or campaign's legacy id for a reference to it (productId).
ojson reference_to(Database& db, const Value& row_id) {
  if (row_id.kind != Value::Text) return ojson();
  MapInfo m = map_info(db, row_id.s);
  return m.found && !m.legacy_id.is_null() ? m.legacy_id : ojson(row_id.s);
}

// Sync replaces a migrated image's reference by the public URL of the same
// bytes in Supabase Storage (".../storage/v1/object/public/<bucket>/<user>/
// <sha256>", src/sync/blobs.cpp). That is not an edit by the app: the column
// is read as the original reference again, so the export still writes the
// data: URL the app had, not the Storage URL.
void unsync_url(std::map<std::string, Value>& row, const MapInfo& m) {
  const ojson* original = m.original.is_string() ? &m.original : field(m.original, "url");
  Value& url = row["url"];
  if (original == nullptr || !original->is_string() || url.kind != Value::Text) return;
  const auto hash = blobs::hash_of_ref(original->get_ref<const std::string&>());
  if (!hash) return;
  const std::string& now = url.s;
  const std::string tail = "/" + *hash;
  if (now.size() > tail.size() && now.compare(now.size() - tail.size(), tail.size(), tail) == 0 &&
      now.find("/storage/v1/object/public/") != std::string::npos)
    url = Value::of(original->get<std::string>());
}

// A row as a shaper reads it: its entry in the id map and its columns.
struct Source {
  MapInfo m;
  std::map<std::string, Value> row;
};

// Whether the row's url is a blob column, which sync may have rewritten to a
// Storage URL (sync::BlobColumn): then it is read as the reference it
// replaced (unsync_url).
enum class Url { Plain, Blob };

Source source(Database& db, const std::string& row_id, const char* table, const char* columns,
              Url url = Url::Plain) {
  Source s{map_info(db, row_id), load_row(db, table, columns, row_id)};
  if (url == Url::Blob) unsync_url(s.row, s.m);
  return s;
}

}  // namespace

ojson in_place(std::vector<std::pair<std::int64_t, ojson>> items, const ojson* skipped) {
  if (skipped && skipped->is_array())
    for (const ojson& at : *skipped)
      if (at.is_array() && at.size() == 2 && at[0].is_number_integer()) items.emplace_back(at[0].get<std::int64_t>(), at[1]);
  std::stable_sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  ojson out = ojson::array();
  for (auto& [ordinal, item] : items) out.push_back(std::move(item));
  return out;
}

namespace {

// Children in source order with the items that made no row back in place.
ojson shaped_children(Shaper& shaper, const std::vector<OrderedRow>& rows, ojson (Shaper::*shape)(const std::string&),
                      const MapInfo& parent) {
  std::vector<std::pair<std::int64_t, ojson>> items;
  for (const OrderedRow& r : rows) items.emplace_back(r.ordinal, (shaper.*shape)(r.id));
  return in_place(std::move(items), field(parent.notes, "skipped"));
}

// Where a child list goes back: its position in the original and its spelling.
void put_children(ojson& item, const MapInfo& m, const char* pos_note, const char* as_note, const char* name,
                  ojson children) {
  const ojson* pos = field(m.notes, pos_note);
  const ojson* as = field(m.notes, as_note);
  insert_at(item, pos && pos->is_number_integer() ? pos->get<std::int64_t>() : -1,
            as && as->is_string() ? as->get<std::string>() : std::string(name), std::move(children));
}

}  // namespace

ojson Shaper::product(const std::string& row_id) {
  Source s = source(db, row_id, "products",
                    "name, description, brand, category, price, sku, url, utm_codes, metadata, created_at, updated_at");
  Overlay o{s.m, s.row, s.m.entity == "sample_products" ? "sample_products" : "products"};
  ojson p = original_or_bare(s.m, row_id);
  o.set(p, {{"name", "name", As::Text}, {"brand", "brand", As::Text}, {"category", "category", As::Text},
            {"price", "price", As::Money}, {"description", "description", As::Text}, {"sku", "sku", As::Text},
            {"url", "url", As::Text}, {"utmCodes", "utm_codes", As::Parsed}});
  o.set(p, "metadata", "metadata", [&](const char* c) {
    ojson md = o.parsed(c);
    if (s.m.entity == "sample_products" && md.is_object()) md.erase("isSample");
    return md;
  });
  o.set(p, {{"createdAt", "created_at", As::Text}, {"updatedAt", "updated_at", As::Text}});

  const ojson* form = field(s.m.notes, "images");
  const auto rows = children(db, "product_images", "product_id", row_id);
  if (form || !rows.empty() || !s.m.found) {
    ojson value = shaped_children(*this, rows, &Shaper::image, s.m);
    const bool url_form = form && form->value("form", "") == "url";
    if (url_form && value.size() == 1 && value[0].is_string()) value = value[0];
    const int levels = form ? form->value("levels", 0) : 0;
    if (levels > 0) finish(value);  // inside JSON text, a later walk would not see the references
    insert_at(p, pos_of(s.m.notes, "images"), "images", restringify(std::move(value), levels));
  }
  return p;
}

ojson Shaper::image(const std::string& row_id) {
  Source s = source(db, row_id, "product_images", "url, file_name, alt_text, size, is_primary, created_at", Url::Blob);
  Overlay o{s.m, s.row, "product_images"};
  ojson im = original_or_bare(s.m, row_id);
  bool edited = o.set(im, {{"url", "url", As::Text}, {"name", "file_name", As::Text}, {"alt", "alt_text", As::Text},
                           {"size", "size", As::Integer}, {"isPrimary", "is_primary", As::Flag},
                           {"uploadedAt", "created_at", As::Text}}) ||
                !s.m.found;

  const auto rows = children(db, "background_versions", "product_image_id", row_id, "generation_backgrounds");
  const ojson* had = field(s.m.notes, "versions");
  if (had || !rows.empty() || !s.m.found) {
    edited = edited || !had;
    put_children(im, s.m, "versions", "versionsAs", "backgroundVersions",
                 shaped_children(*this, rows, &Shaper::background, s.m));
  }
  // A bare URL string stays one while nothing was added to it.
  if (s.m.notes.value("form", "") == "url" && !edited && im.size() == 1 && im.contains("url")) return im["url"];
  return im;
}

ojson Shaper::background(const std::string& row_id) {
  Source s =
      source(db, row_id, "background_versions", "url, prompt, request_id, processing_time, is_active, created_at",
             Url::Blob);
  Overlay o{s.m, s.row, "background_versions"};
  ojson v = original_or_bare(s.m, row_id);
  o.set(v, {{"url", "url", As::Text}, {"prompt", "prompt", As::Text}, {"requestId", "request_id", As::Text},
            {"processingTime", "processing_time", As::Integer}, {"createdAt", "created_at", As::Text},
            {"isActive", "is_active", As::Flag}});
  return v;
}

ojson Shaper::legacy_campaign(const std::string& row_id) {
  Source s = source(db, row_id, "campaigns",
                    "product_id, name, type, status, budget, starts_at, ends_at, legacy_data, created_at, updated_at");
  Overlay o{s.m, s.row, s.m.entity == "sample_campaigns" ? "sample_campaigns" : "legacy_campaigns"};
  ojson c = kept_or_bare(o, "legacy_data", row_id);
  o.set(c, {{"name", "name", As::Text}, {"status", "status", As::Text}, {"createdAt", "created_at", As::Text},
            {"updatedAt", "updated_at", As::Text}});
  // adData fields the app changed through the columns, under adData's spellings.
  const std::string& ad_name = spelling_in(c, o.table, "adData");
  const bool touch_ad = o.changed("product_id") || o.changed("type") || o.changed("budget") || o.changed("starts_at") ||
                        o.changed("ends_at");
  if (touch_ad) {
    ojson& ad = c[ad_name];
    if (!ad.is_object()) ad = ojson::object();
    Overlay a{s.m, s.row, "adData"};
    a.set(ad, "productId", "product_id", [&](const char* col) { return reference_to(db, s.row[col]); });
    a.set(ad, "ctaType", "type", [&](const char* col) {
      return ojson(s.row[col].kind == Value::Text && s.row[col].s == "Where to Buy" ? "WHERE_TO_BUY" : "ADD_TO_CART");
    });
    a.set(ad, {{"budget", "budget", As::Money}, {"startDate", "starts_at", As::Text}, {"endDate", "ends_at", As::Text}});
  }
  // adData written as JSON text goes back as JSON text (each spelling as it was).
  if (const ojson* enc = field(s.m.notes, "enc"); enc && enc->is_object())
    for (auto e = enc->begin(); e != enc->end(); ++e)
      if (auto at = c.find(e.key()); at != c.end() && e.value().is_number_integer()) {
        finish(*at);  // inside JSON text, a later walk would not see the references
        *at = restringify(std::move(*at), e.value().get<int>());
      }
  return c;
}

ojson Shaper::v2_campaign(const std::string& row_id) {
  Source s = source(db, row_id, "campaigns",
                    "product_id, name, type, status, budget, currency, starts_at, ends_at, audience_config, "
                    "platform_config, publish_config, legacy_data, created_at, updated_at");
  Overlay o{s.m, s.row, "v2_campaigns"};
  ojson c = kept_or_bare(o, "legacy_data", row_id);
  o.set(c, {{"name", "name", As::Text}, {"status", "status", As::Text}});
  o.set(c, "productId", "product_id", [&](const char* col) { return reference_to(db, s.row[col]); });
  if (o.changed("budget")) {
    ojson& budget = c[spelling_in(c, o.table, "budget")];
    if (budget.is_object()) budget[spelling_in(budget, "budget", "amount")] = o.money("budget");
    else budget = o.money("budget");
  }
  o.set(c, {{"currency", "currency", As::Text}});
  if (o.changed("starts_at") || o.changed("ends_at")) {
    ojson& schedule = c[spelling_in(c, o.table, "schedule")];
    if (!schedule.is_object()) schedule = ojson::object();
    Overlay so{s.m, s.row, "schedule"};
    so.set(schedule, {{"startsAt", "starts_at", As::Text}, {"endsAt", "ends_at", As::Text}});
  }
  o.set(c, {{"audience", "audience_config", As::Parsed}, {"platformConfig", "platform_config", As::Parsed},
            {"publishSettings", "publish_config", As::Parsed}, {"createdAt", "created_at", As::Text},
            {"updatedAt", "updated_at", As::Text}});

  const auto rows = children(db, "creatives", "campaign_id", row_id);
  const ojson* had = field(s.m.notes, "creatives");
  if (had || !rows.empty() || !s.m.found)
    put_children(c, s.m, "creatives", "", "creatives", shaped_children(*this, rows, &Shaper::creative, s.m));
  return c;
}

ojson Shaper::creative(const std::string& row_id) {
  Source s = source(db, row_id, "creatives", "name, format_id, format_name, width, height, elements, is_active");
  Overlay o{s.m, s.row, "creatives"};
  ojson cr = original_or_bare(s.m, row_id);
  o.set(cr, {{"name", "name", As::Text}, {"formatId", "format_id", As::Text}, {"formatName", "format_name", As::Text},
             {"width", "width", As::Integer}, {"height", "height", As::Integer}, {"elements", "elements", As::Parsed},
             {"isActive", "is_active", As::Flag}});
  const auto rows = children(db, "creative_assets", "creative_id", row_id);
  const ojson* had = field(s.m.notes, "assets");
  if (had || !rows.empty())
    put_children(cr, s.m, "assets", "", "assets", shaped_children(*this, rows, &Shaper::asset, s.m));
  return cr;
}

ojson Shaper::asset(const std::string& row_id) {
  Source s = source(db, row_id, "creative_assets", "type, url, content, styles, position", Url::Blob);
  Overlay o{s.m, s.row, "creative_assets"};
  ojson a = original_or_bare(s.m, row_id);
  o.set(a, {{"type", "type", As::Text}, {"url", "url", As::Text}, {"content", "content", As::Text},
            {"styles", "styles", As::Parsed}, {"position", "position", As::Parsed}});
  return a;
}

ojson Shaper::generation(const std::string& row_id) {
  Source s = source(db, row_id, "ai_generations", "prompt, request_id, response_data, processing_time, created_at");
  Overlay o{s.m, s.row, "ai_generations"};
  ojson g = kept_or_bare(o, "response_data", row_id);
  if (!s.m.found) g["id"] = row_id;
  o.set(g, {{"prompt", "prompt", As::Text}, {"requestId", "request_id", As::Text},
            {"processingTime", "processing_time", As::Integer}, {"createdAt", "created_at", As::Text}});
  return g;
}

namespace {

// The size-reduced draft the app wrote when the full one did not fit:
// the product cut to {id, name, price}, creatives to {id, formatId,
// formatName}, marked isMinimal.
ojson minimal_of(const ojson& draft) {
  ojson out = draft;
  if (auto step = out.find(spelling_in(out, "drafts", "stepData")); step != out.end() && step->is_object()) {
    if (auto product = step->find("product"); product != step->end() && product->is_object()) {
      ojson cut = ojson::object();
      for (const char* k : {"id", "name", "price"})
        if (auto v = product->find(k); v != product->end()) cut[k] = *v;
      *product = std::move(cut);
    }
    if (auto creatives = step->find("creatives"); creatives != step->end() && creatives->is_array())
      for (ojson& cr : *creatives) {
        if (!cr.is_object()) continue;
        ojson cut = ojson::object();
        for (const char* k : {"id", "formatId", "formatName"})
          if (auto v = cr.find(k); v != cr.end()) cut[k] = *v;
        cr = std::move(cut);
      }
  }
  out[spelling_in(out, "drafts", "isMinimal")] = true;
  return out;
}

}  // namespace

std::vector<std::pair<std::string, ojson>> Shaper::draft(const std::string& row_id) {
  Source s = source(db, row_id, "campaign_drafts", "campaign_id, step_data, auto_saved_at");
  Overlay o{s.m, s.row, "drafts"};
  ojson d = o.parsed("step_data");
  if (d.is_null()) d = ojson::object();
  if (!s.m.found || !s.m.legacy_id.is_string()) {
    // A draft the app saved (its step data only): named after its campaign's legacy id, or its row id.
    ojson ref = reference_to(db, s.row["campaign_id"]);
    const std::string id = text_of(&ref).value_or(row_id);
    return {{draft_key(true, id), ojson{{"campaignId", id}, {"stepData", d}, {"lastSaved", o.text("auto_saved_at")}}}};
  }
  // A migrated draft: the keys it came from, each with its own value while
  // the app has not changed the draft. Changed, the draft as it is now (the
  // app's step data in the draft it replaced) under the full key, as the
  // app saves it, and its minimal form under the minimal key if there was one.
  const std::string id = s.m.legacy_id.get<std::string>();
  const ojson* keys = field(s.m.notes, "keys");
  const ojson* own[2] = {keys ? field(*keys, "full") : nullptr, keys ? field(*keys, "minimal") : nullptr};
  const bool untouched = !o.changed("step_data") && !o.changed("auto_saved_at");
  ojson now = d;
  if (!untouched && !d.contains("stepData")) {
    now = own[0] ? *own[0] : own[1] ? *own[1] : ojson{{"campaignId", id}};
    if (!own[0] && own[1]) now.erase(spelling_in(now, "drafts", "isMinimal"));
    now[spelling_in(now, "drafts", "stepData")] = d;
  }
  if (!untouched) o.set(now, {{"lastSaved", "auto_saved_at", As::Text}});
  std::vector<std::pair<std::string, ojson>> out;
  for (int k = 0; k < 2; ++k) {
    const bool full = k == 0;
    if (full ? keys && !own[0] && untouched : !own[1]) continue;
    out.emplace_back(draft_key(full, id), untouched && own[k] ? *own[k] : full ? now : minimal_of(now));
  }
  return out;
}

void Shaper::finish(ojson& value) {
  if (inline_images) inline_refs(value, db, inline_cache);
}

namespace {

// Where a key's rows come from (aliased t, joined to their legacy_id_map
// entry as m) and how the app's own rows follow the mapped ones.
struct KeyRows {
  const char* key;
  const char* table;
  const char* join;   // JOIN: only mapped rows; LEFT JOIN: the app's own too
  const char* where;  // "" for every row
  const char* then;   // the order of rows the import did not map
};

constexpr KeyRows kKeyRows[] = {
    {"products", "products", "LEFT JOIN", "m.entity IS NULL OR m.entity = 'products'", "t.created_at, t.seq"},
    {"sample_products", "products", "JOIN", "m.entity = 'sample_products'", "t.seq"},
    {"campaigns", "campaigns", "LEFT JOIN", "t.source = 'legacy' AND (m.entity IS NULL OR m.entity = 'legacy_campaigns')",
     "t.created_at, t.seq"},
    {"sample_campaigns", "campaigns", "LEFT JOIN", "t.source = 'sample'", "t.created_at, t.seq"},
    {"saved_campaigns", "campaigns", "LEFT JOIN",
     "coalesce(t.source, 'v2') NOT IN ('legacy', 'sample') AND (m.entity IS NULL OR m.entity = 'v2_campaigns')",
     "t.created_at, t.seq"},
    {"backgrounds", "ai_generations", "LEFT JOIN", "t.type = 'background'", "t.created_at, t.rowid"},
    {"drafts", "campaign_drafts", "LEFT JOIN", "", "t.auto_saved_at, t.rowid"},
};

}  // namespace

std::vector<OrderedRow> rows_for_key(Database& db, const std::string& key) {
  for (const KeyRows& k : kKeyRows) {
    if (key != k.key) continue;
    std::string sql = std::string("SELECT t.id, m.ordinal, m.stale FROM ") + k.table + " t " + k.join +
                      " legacy_id_map m ON m.row_id = t.id";
    if (*k.where != '\0') sql += std::string(" WHERE ") + k.where;
    // Mapped rows first, in their original order (stale ones after).
    sql += " ORDER BY m.rowid IS NULL, m.stale, m.ordinal, m.rowid, ";
    sql += k.then;
    return ordered_rows(db, sql, "");
  }
  return {};
}

}  // namespace cs::legacy

CS_COLD_CODE_END
