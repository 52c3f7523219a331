// Rows back to the legacy item shapes (rollback export, dual write and the
// compat facade). An item starts from the original the migration kept (so
// unknown fields and the app's spellings survive, rule 13); a field is
// rewritten from its column only when the app changed that column since the
// migration (its fingerprint no longer matches). Rows the app made after the
// migration have no original: every field comes from the columns.
#include "internal.hpp"

#include <sqlite3.h>

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

std::vector<std::string> ids_of(Database& db, const std::string& sql, const std::string& arg) {
  Statement& st = db.cached(sql);
  if (st.parameter_count() > 0) st.bind(1, std::string_view(arg));
  std::vector<std::string> out;
  while (st.step()) out.push_back(st.column_text(0));
  return out;
}

// Children of a parent in source order, then the app's own by creation.
std::vector<std::string> children(Database& db, const char* table, const char* parent_column, const std::string& parent,
                                  const char* exclude_entity = nullptr) {
  std::string sql = std::string("SELECT t.id FROM \"") + table + "\" t LEFT JOIN legacy_id_map m ON m.row_id = t.id WHERE t." +
                    parent_column + " = ?1";
  if (exclude_entity) sql += std::string(" AND (m.entity IS NULL OR m.entity <> '") + exclude_entity + "')";
  sql += " ORDER BY m.rowid IS NULL, m.rowid, t.created_at, t.rowid";
  return ids_of(db, sql, parent);
}

struct Overlay {
  const MapInfo& m;
  std::map<std::string, Value>& row;
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
  ojson integer(const char* column) { const Value& v = row[column]; return v.kind == Value::Int ? ojson(v.i) : ojson(); }
  ojson flag(const char* column) { const Value& v = row[column]; return ojson(v.kind == Value::Int && v.i != 0); }
  ojson money(const char* column) { const Value& v = row[column]; return v.kind == Value::Int ? amount_json(v.i) : ojson(); }
  ojson parsed(const char* column) {
    const Value& v = row[column];
    ojson out;
    if (v.kind == Value::Text) parse_json(v.s, out);
    return out;
  }
  // Writes field from column when the app changed it.
  template <class F>
  void set(ojson& item, const char* name, const char* column, F&& value) {
    if (changed(column)) item[name] = value(column);
  }
};

ojson restringify(ojson value, int levels) {
  for (int i = 0; i < levels; ++i) value = dump(value);
  return value;
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

ojson iso_field(Overlay& o, const char* column) { return o.text(column); }

// Sync replaces a migrated image's reference by the public URL of the same
// bytes in Supabase Storage (".../storage/v1/object/public/<bucket>/<user>/
// <sha256>", src/sync/blobs.cpp). That is not an edit by the app: the column
// is read as the original reference again, so the export still writes the
// data: URL the app had, not the Storage URL.
void unsync_url(std::map<std::string, Value>& row, const MapInfo& m) {
  const ojson* original = m.original.is_string() ? &m.original : field(m.original, "url");
  Value& url = row["url"];
  if (original == nullptr || !original->is_string() || url.kind != Value::Text) return;
  const auto hash = hash_of_ref(original->get_ref<const std::string&>());
  if (!hash) return;
  const std::string& now = url.s;
  const std::string tail = "/" + *hash;
  if (now.size() > tail.size() && now.compare(now.size() - tail.size(), tail.size(), tail) == 0 &&
      now.find("/storage/v1/object/public/") != std::string::npos)
    url = Value::of(original->get<std::string>());
}

}  // namespace

ojson Shaper::product(const std::string& row_id) {
  MapInfo m = map_info(db, row_id);
  auto row = load_row(db, "products", "name, description, brand, category, price, sku, url, utm_codes, metadata, created_at, updated_at", row_id);
  Overlay o{m, row};
  ojson p = m.found && m.original.is_object() ? m.original : ojson{{"id", row_id}};
  auto text = [&](const char* c) { return o.text(c); };
  o.set(p, "name", "name", text);
  o.set(p, "brand", "brand", text);
  o.set(p, "category", "category", text);
  o.set(p, "price", "price", [&](const char* c) { return o.money(c); });
  o.set(p, "description", "description", text);
  o.set(p, "sku", "sku", text);
  o.set(p, "url", "url", text);
  o.set(p, "utmCodes", "utm_codes", [&](const char* c) { return o.parsed(c); });
  o.set(p, "metadata", "metadata", [&](const char* c) {
    ojson md = o.parsed(c);
    if (m.entity == "sample_products" && md.is_object()) md.erase("isSample");
    return md;
  });
  o.set(p, "createdAt", "created_at", [&](const char* c) { return iso_field(o, c); });
  o.set(p, "updatedAt", "updated_at", [&](const char* c) { return iso_field(o, c); });

  const ojson* form = field(m.notes, "images");
  ojson images = ojson::array();
  for (const std::string& id : children(db, "product_images", "product_id", row_id)) images.push_back(image(id));
  if (form || !images.empty() || !m.found) {
    ojson value = std::move(images);
    const bool url_form = form && form->value("form", "") == "url";
    if (url_form && value.size() == 1 && value[0].is_string()) value = value[0];
    const int levels = form ? form->value("levels", 0) : 0;
    if (levels > 0) finish(value);  // inside JSON text, a later walk would not see the references
    insert_at(p, pos_of(m.notes, "images"), "images", restringify(std::move(value), levels));
  }
  return p;
}

ojson Shaper::image(const std::string& row_id) {
  MapInfo m = map_info(db, row_id);
  auto row = load_row(db, "product_images", "url, file_name, alt_text, size, is_primary, created_at", row_id);
  unsync_url(row, m);
  Overlay o{m, row};
  ojson im = m.found && m.original.is_object() ? m.original : ojson{{"id", row_id}};
  bool edited = !m.found;
  auto set = [&](const char* name, const char* column, auto&& value) {
    if (!o.changed(column)) return;
    im[name] = value(column);
    edited = true;
  };
  auto text = [&](const char* c) { return o.text(c); };
  set("url", "url", text);
  const bool old_style = im.contains("fileName") && !im.contains("name");
  set(old_style ? "fileName" : "name", "file_name", text);
  set("alt", "alt_text", text);
  set("size", "size", [&](const char* c) { return o.integer(c); });
  set("isPrimary", "is_primary", [&](const char* c) { return o.flag(c); });
  set("uploadedAt", "created_at", text);

  ojson versions = ojson::array();
  for (const std::string& id : children(db, "background_versions", "product_image_id", row_id, "generation_backgrounds"))
    versions.push_back(background(id));
  const ojson* had = field(m.notes, "versions");
  if (had || !versions.empty() || !m.found) {
    edited = edited || !had;
    insert_at(im, had && had->is_number_integer() ? had->get<std::int64_t>() : -1, "backgroundVersions", std::move(versions));
  }
  // A bare URL string stays one while nothing was added to it.
  if (m.notes.value("form", "") == "url" && !edited && im.size() == 1 && im.contains("url")) return im["url"];
  return im;
}

ojson Shaper::background(const std::string& row_id) {
  MapInfo m = map_info(db, row_id);
  auto row = load_row(db, "background_versions", "url, prompt, request_id, processing_time, is_active, created_at", row_id);
  unsync_url(row, m);
  Overlay o{m, row};
  ojson v = m.found && m.original.is_object() ? m.original : ojson{{"id", row_id}};
  auto text = [&](const char* c) { return o.text(c); };
  o.set(v, "url", "url", text);
  o.set(v, "prompt", "prompt", text);
  o.set(v, "requestId", "request_id", text);
  o.set(v, "processingTime", "processing_time", [&](const char* c) { return o.integer(c); });
  o.set(v, "createdAt", "created_at", text);
  o.set(v, "isActive", "is_active", [&](const char* c) { return o.flag(c); });
  return v;
}

ojson Shaper::legacy_campaign(const std::string& row_id) {
  MapInfo m = map_info(db, row_id);
  auto row = load_row(db, "campaigns",
                      "product_id, name, type, status, budget, starts_at, ends_at, legacy_data, created_at, updated_at", row_id);
  Overlay o{m, row};
  ojson c = o.parsed("legacy_data");
  if (!c.is_object()) c = ojson{{"id", row_id}};
  auto text = [&](const char* col) { return o.text(col); };
  o.set(c, "name", "name", text);
  o.set(c, "status", "status", text);
  o.set(c, "createdAt", "created_at", text);
  o.set(c, "updatedAt", "updated_at", text);
  // adData fields the app changed through the columns.
  const bool touch_ad = o.changed("product_id") || o.changed("type") || o.changed("budget") || o.changed("starts_at") ||
                        o.changed("ends_at");
  if (touch_ad) {
    ojson& ad = c["adData"];
    if (!ad.is_object()) ad = ojson::object();
    if (o.changed("product_id")) ad["productId"] = reference_to(db, row["product_id"]);
    if (o.changed("type"))
      ad["ctaType"] = row["type"].kind == Value::Text && row["type"].s == "Where to Buy" ? "WHERE_TO_BUY" : "ADD_TO_CART";
    if (o.changed("budget")) ad["budget"] = o.money("budget");
    if (o.changed("starts_at")) ad["startDate"] = o.text("starts_at");
    if (o.changed("ends_at")) ad["endDate"] = o.text("ends_at");
  }
  const ojson* enc = field(m.notes, "enc");
  const int levels = enc ? enc->value("adData", 0) : 0;
  if (levels > 0 && c.contains("adData")) {
    finish(c["adData"]);  // inside JSON text, a later walk would not see the references
    c["adData"] = restringify(c["adData"], levels);
  }
  return c;
}

ojson Shaper::v2_campaign(const std::string& row_id) {
  MapInfo m = map_info(db, row_id);
  auto row = load_row(db, "campaigns",
                      "product_id, name, type, status, budget, currency, starts_at, ends_at, audience_config, platform_config, "
                      "publish_config, legacy_data, created_at, updated_at",
                      row_id);
  Overlay o{m, row};
  ojson c = o.parsed("legacy_data");
  if (!c.is_object()) c = ojson{{"id", row_id}};
  auto text = [&](const char* col) { return o.text(col); };
  o.set(c, "name", "name", text);
  o.set(c, "status", "status", text);
  o.set(c, "productId", "product_id", [&](const char* col) { return reference_to(db, row[col]); });
  if (o.changed("budget")) {
    if (c.contains("budget") && c["budget"].is_object()) c["budget"]["amount"] = o.money("budget");
    else c["budget"] = o.money("budget");
  }
  o.set(c, "currency", "currency", text);
  if (o.changed("starts_at") || o.changed("ends_at")) {
    ojson& s = c["schedule"];
    if (!s.is_object()) s = ojson::object();
    if (o.changed("starts_at")) s["startsAt"] = o.text("starts_at");
    if (o.changed("ends_at")) s["endsAt"] = o.text("ends_at");
  }
  auto parsed = [&](const char* col) { return o.parsed(col); };
  o.set(c, "audience", "audience_config", parsed);
  o.set(c, "platformConfig", "platform_config", parsed);
  o.set(c, "publishSettings", "publish_config", parsed);
  o.set(c, "createdAt", "created_at", text);
  o.set(c, "updatedAt", "updated_at", text);

  ojson creatives = ojson::array();
  for (const std::string& id : children(db, "creatives", "campaign_id", row_id)) creatives.push_back(creative(id));
  const ojson* had = field(m.notes, "creatives");
  if (had || !creatives.empty() || !m.found)
    insert_at(c, had && had->is_number_integer() ? had->get<std::int64_t>() : -1, "creatives", std::move(creatives));
  return c;
}

ojson Shaper::creative(const std::string& row_id) {
  MapInfo m = map_info(db, row_id);
  auto row = load_row(db, "creatives", "name, format_id, format_name, width, height, elements", row_id);
  Overlay o{m, row};
  ojson cr = m.found && m.original.is_object() ? m.original : ojson{{"id", row_id}};
  auto text = [&](const char* c) { return o.text(c); };
  auto integer = [&](const char* c) { return o.integer(c); };
  o.set(cr, "name", "name", text);
  o.set(cr, "formatId", "format_id", text);
  o.set(cr, "formatName", "format_name", text);
  o.set(cr, "width", "width", integer);
  o.set(cr, "height", "height", integer);
  o.set(cr, "elements", "elements", [&](const char* c) { return o.parsed(c); });
  ojson assets = ojson::array();
  for (const std::string& id : children(db, "creative_assets", "creative_id", row_id)) {
    MapInfo am = map_info(db, id);
    auto arow = load_row(db, "creative_assets", "type, url, content", id);
    unsync_url(arow, am);
    Overlay ao{am, arow};
    ojson a = am.found && am.original.is_object() ? am.original : ojson{{"id", id}};
    auto atext = [&](const char* c) { return ao.text(c); };
    ao.set(a, "type", "type", atext);
    ao.set(a, "url", "url", atext);
    ao.set(a, "content", "content", atext);
    assets.push_back(std::move(a));
  }
  const ojson* had = field(m.notes, "assets");
  if (had || !assets.empty())
    insert_at(cr, had && had->is_number_integer() ? had->get<std::int64_t>() : -1, "assets", std::move(assets));
  return cr;
}

ojson Shaper::generation(const std::string& row_id) {
  MapInfo m = map_info(db, row_id);
  auto row = load_row(db, "ai_generations", "prompt, request_id, response_data, processing_time, created_at", row_id);
  Overlay o{m, row};
  ojson g = o.parsed("response_data");
  if (!g.is_object()) g = ojson{{"id", row_id}};
  if (!m.found) g["id"] = row_id;
  auto text = [&](const char* c) { return o.text(c); };
  o.set(g, "prompt", "prompt", text);
  o.set(g, "requestId", "request_id", text);
  o.set(g, "processingTime", "processing_time", [&](const char* c) { return o.integer(c); });
  o.set(g, "createdAt", "created_at", text);
  return g;
}

ojson Shaper::draft(const std::string& row_id, std::string* key_id) {
  MapInfo m = map_info(db, row_id);
  auto row = load_row(db, "campaign_drafts", "campaign_id, step_data, auto_saved_at", row_id);
  Overlay o{m, row};
  ojson d = o.parsed("step_data");
  if (m.found && m.legacy_id.is_string()) {
    *key_id = m.legacy_id.get<std::string>();
  } else {
    // A draft the app saved: named after its campaign's legacy id, or its row id.
    ojson ref = reference_to(db, row["campaign_id"]);
    *key_id = text_of(&ref).value_or(row_id);
  }
  if (!d.is_object() || !d.contains("stepData")) {
    d = ojson{{"campaignId", *key_id}, {"stepData", d.is_null() ? ojson::object() : d}, {"lastSaved", o.text("auto_saved_at")}};
    return d;
  }
  o.set(d, "lastSaved", "auto_saved_at", [&](const char* c) { return o.text(c); });
  return d;
}

void Shaper::finish(ojson& value) {
  if (inline_images) inline_refs(value, db, inline_cache);
}

std::vector<std::string> rows_for_key(Database& db, const std::string& key) {
  auto q = [&](const std::string& sql) { return ids_of(db, sql, ""); };
  if (key == "products")
    return q("SELECT p.id FROM products p LEFT JOIN legacy_id_map m ON m.row_id = p.id "
             "WHERE m.entity IS NULL OR m.entity = 'products' ORDER BY m.rowid IS NULL, m.rowid, p.created_at, p.seq");
  if (key == "sample_products")
    return q("SELECT p.id FROM products p JOIN legacy_id_map m ON m.row_id = p.id "
             "WHERE m.entity = 'sample_products' ORDER BY m.rowid");
  if (key == "campaigns")
    return q("SELECT c.id FROM campaigns c LEFT JOIN legacy_id_map m ON m.row_id = c.id "
             "WHERE c.source = 'legacy' AND (m.entity IS NULL OR m.entity = 'legacy_campaigns') "
             "ORDER BY m.rowid IS NULL, m.rowid, c.created_at, c.seq");
  if (key == "sample_campaigns")
    return q("SELECT c.id FROM campaigns c LEFT JOIN legacy_id_map m ON m.row_id = c.id "
             "WHERE c.source = 'sample' ORDER BY m.rowid IS NULL, m.rowid, c.created_at, c.seq");
  if (key == "saved_campaigns")
    return q("SELECT c.id FROM campaigns c LEFT JOIN legacy_id_map m ON m.row_id = c.id "
             "WHERE coalesce(c.source, 'v2') NOT IN ('legacy', 'sample') AND (m.entity IS NULL OR m.entity = 'v2_campaigns') "
             "ORDER BY m.rowid IS NULL, m.rowid, c.created_at, c.seq");
  if (key == "backgrounds")
    return q("SELECT g.id FROM ai_generations g LEFT JOIN legacy_id_map m ON m.row_id = g.id "
             "WHERE g.type = 'background' ORDER BY m.rowid IS NULL, m.rowid, g.created_at, g.rowid");
  if (key == "drafts")
    return q("SELECT d.id FROM campaign_drafts d LEFT JOIN legacy_id_map m ON m.row_id = d.id "
             "ORDER BY m.rowid IS NULL, m.rowid, d.auto_saved_at, d.rowid");
  return {};
}

}  // namespace cs::legacy
