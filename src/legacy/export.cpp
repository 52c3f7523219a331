// exportLegacy(): the legacy keys regenerated from the database, so the app
// can switch back (rollback) or keep localStorage in step (dual write).
// Values that never parsed come back byte for byte from legacy_sources when
// the database has nothing of their kind; images come back as data: URLs
// only when asked (a full re-inline is what blew the quota in the first
// place).
#include "internal.hpp"

#include "campaign_store/clock.hpp"
#include "campaign_store/encoding.hpp"

#include <algorithm>

namespace cs::legacy {

namespace {

struct Out {
  std::string key;
  std::string value;
  bool raw = false;
};

std::map<std::string, std::string> unparsed_raw(Database& db) {
  std::map<std::string, std::string> out;
  Statement& st = db.cached("SELECT key, raw FROM legacy_sources WHERE outcome = 'unparsed'");
  while (st.step()) out.emplace(st.column_text(0), st.column_text(1));
  return out;
}

ojson sample_extra(Database& db) {
  Statement& st = db.cached("SELECT json_extract(detail, '$.extra') FROM legacy_sources WHERE key = 'sample_data'");
  ojson extra;
  if (st.step() && !st.column_is_null(0)) parse_json(st.column_text_view(0), extra);
  st.reset();
  return extra;
}

bool has_source(Database& db, const std::string& key) {
  Statement& st = db.cached("SELECT 1 FROM legacy_sources WHERE key = ?1 AND outcome = 'migrated'");
  st.bind(1, std::string_view(key));
  const bool yes = st.step();
  st.reset();
  return yes;
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
      if (k == "campaign_draft_*" && key.rfind("campaign_draft_", 0) == 0) return true;
    }
    return false;
  };
  Shaper shaper{db, options.inline_images, {}};
  const auto unparsed = unparsed_raw(db);
  std::vector<Out> out;
  json warnings = json::array();
  auto emit = [&](const std::string& key, ojson value) {
    shaper.finish(value);
    out.push_back({key, dump(value), false});
  };
  auto list = [&](const std::string& key, ojson (Shaper::*shape)(const std::string&)) {
    if (!wanted(key)) return;
    ojson items = ojson::array();
    for (const std::string& id : rows_for_key(db, key)) items.push_back((shaper.*shape)(id));
    if (items.empty() && unparsed.count(key)) {
      out.push_back({key, unparsed.at(key), true});
      return;
    }
    if (unparsed.count(key))
      warnings.push_back({{"key", key}, {"code", "UNPARSED_NOT_EXPORTED"},
                          {"message", "the original value never parsed; it stays in legacy_sources, the export holds the "
                                      "database's rows"}});
    emit(key, std::move(items));
  };
  list("products", &Shaper::product);
  list("campaigns", &Shaper::legacy_campaign);
  list("saved_campaigns", &Shaper::v2_campaign);
  list("backgrounds", &Shaper::generation);

  if (wanted("sample_data")) {
    ojson products = ojson::array(), campaigns = ojson::array();
    for (const std::string& id : rows_for_key(db, "sample_products")) products.push_back(shaper.product(id));
    for (const std::string& id : rows_for_key(db, "sample_campaigns")) campaigns.push_back(shaper.legacy_campaign(id));
    if (products.empty() && campaigns.empty() && unparsed.count("sample_data")) {
      out.push_back({"sample_data", unparsed.at("sample_data"), true});
    } else if (!products.empty() || !campaigns.empty() || has_source(db, "sample_data")) {
      ojson value = {{"products", std::move(products)}, {"campaigns", std::move(campaigns)}};
      ojson extra = sample_extra(db);
      if (extra.is_object())
        for (auto it = extra.begin(); it != extra.end(); ++it)
          if (!value.contains(it.key())) value[it.key()] = it.value();
      emit("sample_data", std::move(value));
    }
  }

  std::set<std::string> draft_keys;
  for (const std::string& id : rows_for_key(db, "drafts")) {
    std::string draft_id;
    ojson d = shaper.draft(id, &draft_id);
    const std::string key = draft_key(true, draft_id);
    if (!wanted(key) || !draft_keys.insert(key).second) continue;
    emit(key, std::move(d));
  }
  for (const auto& [key, raw] : unparsed) {
    const KeyClass c = classify_key(key);
    if (c.kind != KeyKind::DraftFull && c.kind != KeyKind::DraftMinimal) continue;
    if (!wanted(key) || draft_keys.count(draft_key(true, c.draft_id))) continue;
    out.push_back({key, raw, true});
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
