// exportLegacy(): the legacy keys regenerated from the database, so the app
// can switch back (rollback) or keep localStorage in step (dual write).
//
// Every key the migration saw comes back, and no other (but those the app's
// own rows make: products it created after the migration, its drafts):
// list items that made no row (null, numbers) where they were, the
// containers and JSON-in-string values as they were, drafts under the
// keys they came from (campaign_draft_ and/or campaign_minimal_), values
// that never parsed byte for byte, null as null. A value whose rows the
// app has not changed comes back as the very text localStorage held (when
// images are inlined: the text held data: URLs); the others as
// JSON.stringify would write them. Images come back as data: URLs only
// when asked (a full re-inline is what blew the quota in the first place).
#include "internal.hpp"

#include "db/cold_code.hpp"
#include "model/clock.hpp"
#include "db/encoding.hpp"

#include <algorithm>

CS_COLD_CODE_BEGIN

namespace cs::legacy {

namespace {

struct Out {
  std::string key;
  std::string value;
  bool raw = false;
};

// A legacy value as migrated: its outcome, raw text and detail.
struct Source {
  std::string outcome;  // migrated | unparsed
  std::string raw;
  ojson detail;
  bool null_value() const { return detail.is_object() && detail.value("null", false); }
  int unwrapped() const { return detail.is_object() ? detail.value("unwrapped", 0) : 0; }
  const ojson* skipped(const char* list) const {
    const ojson* at = field(detail, "skippedAt");
    return at ? field(*at, list) : nullptr;
  }
};

std::map<std::string, Source> load_sources(Database& db) {
  return rows_by_key(db,
                     "SELECT key, outcome, raw, detail FROM legacy_sources WHERE outcome IN ('migrated', 'unparsed')",
                     [](Statement& st) {
                       Source s;
                       s.outcome = st.column_text(1);
                       s.raw = st.column_text(2);
                       parse_json(st.column_text_view(3), s.detail);
                       return s;
                     });
}

// Equal as the app would read them: same members in the same order, and
// data: URLs equal when they decode to the same bytes under the same label.
bool same_value(const ojson& a, const ojson& b);

std::string canonical_data_url(const std::string& s) {
  std::string_view meta;
  std::vector<std::uint8_t> bytes;
  if (!decode_data_url(s, &meta, bytes)) return s;
  return encode_data_url(meta, bytes.data(), bytes.size());
}

bool same_value(const ojson& a, const ojson& b) {
  if (a.is_number() && b.is_number()) return a == b;
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case ojson::value_t::object: {
      if (a.size() != b.size()) return false;
      for (auto x = a.begin(), y = b.begin(); x != a.end(); ++x, ++y)
        if (x.key() != y.key() || !same_value(x.value(), y.value())) return false;
      return true;
    }
    case ojson::value_t::array: {
      if (a.size() != b.size()) return false;
      for (std::size_t i = 0; i < a.size(); ++i)
        if (!same_value(a[i], b[i])) return false;
      return true;
    }
    case ojson::value_t::string: {
      const std::string& x = a.get_ref<const std::string&>();
      const std::string& y = b.get_ref<const std::string&>();
      if (x == y) return true;
      return x.rfind("data:", 0) == 0 && y.rfind("data:", 0) == 0 && canonical_data_url(x) == canonical_data_url(y);
    }
    default: return a == b;
  }
}

// The rows of a legacy list with the items that made no row back where
// they were.
ojson list_with_skipped(Shaper& shaper, const std::vector<OrderedRow>& rows, ojson (Shaper::*shape)(const std::string&),
                        const ojson* skipped) {
  std::vector<std::pair<std::int64_t, ojson>> items;
  for (const OrderedRow& r : rows) items.emplace_back(r.ordinal, (shaper.*shape)(r.id));
  return in_place(std::move(items), skipped);
}

}  // namespace

void acknowledge(Database& db, const std::string& key, const std::string& value) {
  const std::string hash = value_hash(value);
  Statement& st = db.cached(
      "INSERT INTO legacy_sources(key, raw, hash, units, bytes, entity, outcome, detail, migrated_at, echo_hash) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'exported', '{}', ?7, ?3) "
      "ON CONFLICT(key) DO UPDATE SET echo_hash = excluded.hash");
  st.bind(1, std::string_view(key)).bind(2, std::string_view(value)).bind(3, std::string_view(hash));
  st.bind(4, utf16_units(key) + utf16_units(value)).bind(5, static_cast<std::int64_t>(value.size()));
  st.bind(6, std::string_view(classify_key(key).entity)).bind(7, std::string_view(clock::now_iso()));
  st.run();
}

json export_keys(Database& db, const ExportOptions& options) {
  auto wanted = [&](const std::string& key) {
    if (options.keys.empty()) return true;
    for (const std::string& k : options.keys) {
      if (k == key) return true;
      if (k == "campaign_draft_*" && (key.rfind("campaign_draft_", 0) == 0 || key.rfind("campaign_minimal_", 0) == 0))
        return true;
    }
    return false;
  };
  Shaper shaper{db, options.inline_images, {}};
  const std::map<std::string, Source> sources = load_sources(db);
  auto source = [&](const std::string& key) -> const Source* {
    auto it = sources.find(key);
    return it == sources.end() ? nullptr : &it->second;
  };
  std::vector<Out> out;
  json warnings = json::array();
  auto verbatim = [&](const std::string& key, const Source& s) { out.push_back({key, s.raw, true}); };
  // A value from the rows: the source's text itself when the rows say the
  // same (untouched), else JSON.stringify's.
  auto emit = [&](const std::string& key, ojson value, const Source* s) {
    shaper.finish(value);
    if (s) value = restringify(std::move(value), s->unwrapped());
    if (s && s->outcome == "migrated" && options.inline_images && options.prefer_source) {
      ojson original;
      if (parse_json(s->raw, original) && same_value(value, original)) {
        out.push_back({key, s->raw, true});
        return;
      }
    }
    out.push_back({key, json_text::stringify(value), false});
  };
  auto list = [&](const std::string& key, ojson (Shaper::*shape)(const std::string&)) {
    if (!wanted(key)) return;
    const Source* s = source(key);
    const std::vector<OrderedRow> rows = rows_for_key(db, key);
    if (!s && rows.empty()) return;  // the key never existed, and nothing would be in it
    if (s && rows.empty() && (s->outcome == "unparsed" || s->null_value())) return verbatim(key, *s);
    if (s && s->outcome == "unparsed")
      warnings.push_back({{"key", key}, {"code", "UNPARSED_NOT_EXPORTED"},
                          {"message", "the original value never parsed; it stays in legacy_sources, the export holds the "
                                      "database's rows"}});
    emit(key, list_with_skipped(shaper, rows, shape, s ? s->skipped("") : nullptr), s);
  };
  list("products", &Shaper::product);
  list("campaigns", &Shaper::legacy_campaign);
  list("saved_campaigns", &Shaper::v2_campaign);
  list("backgrounds", &Shaper::generation);

  if (wanted("sample_data")) {
    const Source* s = source("sample_data");
    const auto products = rows_for_key(db, "sample_products");
    const auto campaigns = rows_for_key(db, "sample_campaigns");
    if (s && products.empty() && campaigns.empty() && (s->outcome == "unparsed" || s->null_value())) {
      verbatim("sample_data", *s);
    } else if (s || !products.empty() || !campaigns.empty()) {
      auto rows_of = [&](const char* name) {
        return std::string(name) == "products"
                   ? list_with_skipped(shaper, products, &Shaper::product, s ? s->skipped("products") : nullptr)
                   : list_with_skipped(shaper, campaigns, &Shaper::legacy_campaign, s ? s->skipped("campaigns") : nullptr);
      };
      // The container as it was: its members in order, the row lists where they stood.
      const ojson* container = s ? field(s->detail, "container") : nullptr;
      const ojson* order = container ? field(*container, "order") : nullptr;
      const ojson* values = container ? field(*container, "values") : nullptr;
      ojson value = ojson::object();
      if (order && order->is_array()) {
        for (const ojson& name : *order) {
          const std::string& k = name.get_ref<const std::string&>();
          const ojson* v = values ? field(*values, k.c_str()) : nullptr;
          value[k] = v ? *v : rows_of(k.c_str());
        }
      } else {
        value = {{"products", rows_of("products")}, {"campaigns", rows_of("campaigns")}};
      }
      emit("sample_data", std::move(value), s);
    }
  }

  // Drafts: every key the migration saw, each as it came (full, minimal,
  // null, never parsed), then the drafts the app made.
  std::map<std::string, std::vector<std::pair<std::string, ojson>>> by_key;  // key -> (key, value) from rows
  for (const OrderedRow& r : rows_for_key(db, "drafts"))
    for (auto& [key, value] : shaper.draft(r.id)) by_key[key].push_back({key, std::move(value)});
  std::set<std::string> done;
  for (const auto& [key, s] : sources) {
    const KeyClass c = classify_key(key);
    if (c.kind != KeyKind::DraftFull && c.kind != KeyKind::DraftMinimal) continue;
    done.insert(key);
    if (!wanted(key)) continue;
    auto rows = by_key.find(key);
    if (rows != by_key.end()) emit(key, std::move(rows->second.front().second), &s);
    else if (s.outcome == "unparsed" || s.null_value()) verbatim(key, s);
    // else: the app deleted the draft.
  }
  for (auto& [key, values] : by_key) {
    if (done.count(key) || !wanted(key)) continue;
    emit(key, std::move(values.front().second), nullptr);
  }

  if (options.acknowledge) {
    Transaction tx(db);
    for (const Out& o : out) acknowledge(db, o.key, o.value);
    tx.commit();
  }
  json entries = json::array();
  std::int64_t units = 0;
  for (Out& o : out) {
    units += utf16_units(o.key) + utf16_units(o.value);
    entries.push_back({{"key", std::move(o.key)}, {"value", std::move(o.value)}, {"verbatim", o.raw}});
  }
  return {{"entries", std::move(entries)}, {"units", units}, {"warnings", std::move(warnings)},
          {"inlineImages", options.inline_images}};
}

}  // namespace cs::legacy

CS_COLD_CODE_END
