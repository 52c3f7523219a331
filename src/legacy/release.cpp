// Releasing localStorage: after a verified migration the main thread may
// remove the legacy keys and get the quota back; the originals stay in
// legacy_sources. A key is released only if the value localStorage holds now
// is the one that was migrated (or that we wrote back ourselves: the
// database holds all of it), its migration has no error in the last report,
// it arrived intact (not lossy), and nothing of it was left out of the typed
// tables (never parsed, items skipped, fields lost) unless the caller says
// includeUnmigrated. Every key kept says why. The removal happens in JS.
#include "internal.hpp"

#include "db/cold_code.hpp"
#include "model/clock.hpp"
#include "db/encoding.hpp"

CS_COLD_CODE_BEGIN

namespace cs::legacy {

namespace {

// Why a key's migration left something behind (its value, or part of it,
// is in no typed table), or nullopt: {code, reason}.
std::optional<std::pair<const char*, std::string>> unmigrated(const std::string& outcome, const std::string& reason,
                                                              const json& detail) {
  if (outcome == "unparsed")
    return std::make_pair("UNPARSED", "its value never parsed (" + reason + "): the database holds only its text");
  const json counts = detail.value("counts", json::object());
  if (const std::int64_t n = counts.value("skipped_items", std::int64_t{0}); n > 0)
    return std::make_pair("ITEMS_SKIPPED", std::to_string(n) + " of its list items made no row");
  if (detail.contains("fields") && !detail["fields"].empty())
    return std::make_pair("FIELDS_LOST", std::string("some of its fields reached no column (report: fieldsIgnored, "
                                                     "values_unreadable, field_conflicts)"));
  return std::nullopt;
}

}  // namespace

json release(Database& db, const std::vector<Entry>& entries, const ReleaseOptions& options) {
  // The verification is the report of the run that migrated the keys, not
  // a fresh one: what the app changed since is not a migration error.
  json last = json::object();
  {
    Statement& st = db.cached("SELECT report FROM legacy_runs WHERE report IS NOT NULL ORDER BY id DESC LIMIT 1");
    if (st.step()) last = json_text::parse_or_null(st.column_text_view(0));
    st.reset();
  }
  if (!last.is_object()) last = json::object();
  std::set<std::string> failing;
  if (last.contains("errors"))
    for (const json& e : last["errors"]) failing.insert(e.value("key", ""));
  const bool all_failing = failing.count("*") > 0;

  const std::string now = clock::now_iso();
  json released = json::array(), kept = json::array();
  std::int64_t units = 0;
  Transaction tx(db);
  for (const Entry& e : entries) {
    auto keep = [&](const char* code, const std::string& reason) {
      kept.push_back({{"key", e.key}, {"code", code}, {"reason", reason}});
    };
    if (classify_key(e.key).kind == KeyKind::None) { keep("NOT_LEGACY", "not a legacy key"); continue; }
    Statement& st = db.cached("SELECT hash, echo_hash, outcome, lossy, reason, detail FROM legacy_sources WHERE key = ?1");
    st.bind(1, std::string_view(e.key));
    if (!st.step()) { st.reset(); keep("NOT_MIGRATED", "not migrated yet"); continue; }
    const std::string hash = st.column_text(0), echo = st.column_is_null(1) ? "" : st.column_text(1);
    const std::string outcome = st.column_text(2), reason = st.column_is_null(4) ? "" : st.column_text(4);
    const bool lossy = st.column_int(3) != 0;
    const json detail = json_text::parse_or_null(st.column_text_view(5));
    st.reset();
    const std::string now_hash = value_hash(e.value);
    if (now_hash != hash && now_hash != echo) { keep("CHANGED", "changed since it was migrated: import it first"); continue; }
    // Our own echo (dual write) is what the database holds: nothing to leave behind.
    const bool echo_only = now_hash == echo && now_hash != hash;
    if (lossy || e.lossy) { keep("LOSSY", "its value could not be stored exactly (lone surrogates)"); continue; }
    const KeyKind kind = classify_key(e.key).kind;
    const bool draft = kind == KeyKind::DraftFull || kind == KeyKind::DraftMinimal;
    if (all_failing || failing.count(e.key) || (draft && failing.count("campaign_draft_*"))) {
      keep("MIGRATION_ERROR", "the last migration report has an error for it");
      continue;
    }
    // Only a key whose whole value is in the typed tables leaves localStorage,
    // unless the caller accepts that the database holds the rest as text.
    if (!echo_only && !options.include_unmigrated)
      if (auto why = unmigrated(outcome, reason, detail.is_object() ? detail : json::object())) {
        keep(why->first, why->second + "; release with includeUnmigrated to remove it anyway (the export gives it back)");
        continue;
      }
    Statement& up = db.cached("UPDATE legacy_sources SET released_at = ?2 WHERE key = ?1");
    up.bind(1, std::string_view(e.key)).bind(2, std::string_view(now));
    up.run();
    units += utf16_units(e.key) + utf16_units(e.value);
    released.push_back(e.key);
  }
  tx.commit();
  return {{"release", std::move(released)}, {"keep", std::move(kept)}, {"units", units}};
}

json delete_sample(Database& db) {
  Transaction tx(db);
  std::int64_t products = 0, campaigns = 0;
  {
    // Campaigns first: sample campaigns refer to sample products.
    Statement& st = db.cached("DELETE FROM campaigns WHERE source = 'sample' OR id IN "
                              "(SELECT row_id FROM legacy_id_map WHERE entity = 'sample_campaigns')");
    st.run();
    campaigns = db.changes();
  }
  {
    Statement& st = db.cached("DELETE FROM products WHERE id IN (SELECT row_id FROM legacy_id_map WHERE entity = 'sample_products')");
    st.run();
    products = db.changes();
  }
  db.exec("DELETE FROM legacy_id_map WHERE entity LIKE 'sample_%'");
  tx.commit();
  return {{"products", products}, {"campaigns", campaigns}};
}

}  // namespace cs::legacy

CS_COLD_CODE_END
