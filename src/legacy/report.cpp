// The migration report: what localStorage held (summed from each key's
// detail, recorded when the key was migrated) against what the database
// holds now (counted through legacy_id_map, row by row), every legacy id
// found in the database, and byte totals. Any difference is an error that
// names the key it belongs to. The field names of `source` and `database`
// are the manifest's `expected` names (tests/fixtures/README.md), so a test
// can hold a report against a manifest directly.
#include "internal.hpp"

#include "db/cold_code.hpp"
#include "model/clock.hpp"
#include "json/json_text.hpp"

#include <sqlite3.h>

CS_COLD_CODE_BEGIN

namespace cs::legacy {

namespace {

constexpr std::int64_t kQuotaUnits = 5 * 1024 * 1024;
constexpr std::size_t kMaxListedErrors = 200;

// The entities the manifest counts, the key their errors belong to.
struct Counted {
  const char* entity;
  const char* key;
};
constexpr Counted kCounted[] = {
    {"products", "products"},
    {"product_images", "products"},
    {"background_versions", "products"},
    {"legacy_campaigns", "campaigns"},
    {"v2_campaigns", "saved_campaigns"},
    {"creatives", "saved_campaigns"},
    {"creative_assets", "saved_campaigns"},
    {"ai_generations", "backgrounds"},
    {"sample_products", "sample_data"},
    {"sample_campaigns", "sample_data"},
    {"sample_product_images", "sample_data"},
    {"sample_background_versions", "sample_data"},
    {"drafts", "campaign_draft_*"},
    {"orphan_drafts", "campaign_draft_*"},
};

std::int64_t scalar(Database& db, const std::string& sql, const std::string& arg = "") {
  Statement& st = db.cached(sql);
  if (st.parameter_count() > 0) st.bind(1, std::string_view(arg));
  const std::int64_t v = st.step() && !st.column_is_null(0) ? st.column_int(0) : 0;
  st.reset();
  return v;
}

// Live entries of entity: not stale, not written by the app (group "app:..."),
// and their row still exists.
std::string live(const std::string& entity) {
  return std::string("FROM legacy_id_map m WHERE m.entity = ?1 AND m.stale = 0 AND m.group_key NOT LIKE 'app:%' "
                     "AND EXISTS (SELECT 1 FROM \"") +
         table_of(entity) + "\" t WHERE t.id = m.row_id)";
}

json run_json(const RunInfo& run) {
  return {{"startedAt", run.started_at}, {"finishedAt", run.finished_at}, {"durationMs", run.duration_ms},
          {"groups", run.groups},        {"errors", run.errors},          {"warnings", run.warnings},
          {"otherKeys", run.other_keys}, {"otherUnits", run.other_units}, {"blobsInserted", run.blobs_inserted},
          {"blobBytesInserted", run.blob_bytes_inserted}, {"interruptedBefore", run.interrupted_before}};
}

RunInfo run_from(std::int64_t id, const json& j) {
  RunInfo r;
  r.id = id;
  if (!j.is_object()) return r;
  r.started_at = j.value("startedAt", "");
  r.finished_at = j.value("finishedAt", "");
  r.duration_ms = j.value("durationMs", 0.0);
  for (auto [field, target] : {std::pair{"groups", &r.groups}, {"errors", &r.errors}, {"warnings", &r.warnings},
                               {"otherKeys", &r.other_keys}})
    if (j.contains(field) && j[field].is_array()) *target = j[field];
  r.other_units = j.value("otherUnits", std::int64_t{0});
  r.blobs_inserted = j.value("blobsInserted", std::int64_t{0});
  r.blob_bytes_inserted = j.value("blobBytesInserted", std::int64_t{0});
  r.interrupted_before = j.value("interruptedBefore", false);
  return r;
}

// Rule 8, against the products the database holds now: a products key
// re-migrated after the campaigns can turn a dangling reference into a
// resolved one (the relink pass does the same to the rows).
json source_refs(Database& db) {
  std::int64_t resolved = 0, dangling = 0, missing = 0;
  std::vector<std::string> refs;
  {
    Statement& st = db.cached("SELECT coalesce(m.ref, '') " + live("legacy_campaigns") + " AND m.ref IS NOT NULL");
    st.bind(1, std::string_view("legacy_campaigns"));
    while (st.step()) refs.push_back(st.column_text(0));
  }
  for (const std::string& ref : refs) (resolve(db, "products", ref) ? resolved : dangling) += 1;
  missing = scalar(db, "SELECT count(*) " + live("legacy_campaigns") + " AND m.ref IS NULL", "legacy_campaigns");
  return {{"resolved", resolved}, {"dangling", dangling}, {"missing", missing}};
}

// JSON the database holds (our own text): null when it does not parse.
json parsed(std::string_view text) {
  json out;
  if (json_text::parse(text, out) != json_text::Parsed::Ok) out = nullptr;
  return out;
}

// One kind of count of a tally, as {entity: {field: n}}.
ojson tally_of(const FieldTally& t, FieldTally::Kind kind) {
  ojson out = ojson::object();
  for (const auto& [entity, fields] : t.by_entity)
    for (const auto& [name, c] : fields) {
      const std::int64_t n = kind == FieldTally::Ignored ? c.ignored : kind == FieldTally::Unreadable ? c.unreadable : c.conflicts;
      if (n > 0) out[entity][name] = n;
    }
  return out;
}

// What the legacy keys lost on their way into the typed tables, and the
// warnings that say so, one per key and kind (and field).
struct Loss {
  std::int64_t unparsed_keys = 0, skipped_items = 0, fields_ignored = 0, values_unreadable = 0, field_conflicts = 0,
               lossy_keys = 0;

  std::int64_t total() const {
    return unparsed_keys + skipped_items + fields_ignored + values_unreadable + field_conflicts + lossy_keys;
  }

  // Returns how many losses the key had.
  std::int64_t add(const std::string& key, const std::string& outcome, const std::string& reason, const json& detail,
                   bool lossy, json& warnings) {
    std::int64_t lost = 0;
    if (outcome == "unparsed") {
      ++unparsed_keys;
      ++lost;
      json w{{"code", "UNPARSED"}, {"key", key}, {"reason", reason}, {"count", 1},
             {"message", reason == "truncated" ? "the value was cut short (written when the quota ran out): no rows; "
                                                 "kept verbatim for the export, and never released without includeUnmigrated"
                                               : "the value is not JSON of the expected shape: no rows; kept verbatim for "
                                                 "the export, and never released without includeUnmigrated"}};
      if (detail.contains("salvageable_items")) w["salvageableItems"] = detail["salvageable_items"];
      warnings.push_back(std::move(w));
    }
    if (lossy) {
      ++lossy_keys;
      ++lost;
      warnings.push_back({{"code", "LOSSY"}, {"key", key}, {"count", 1},
                          {"message", "the value held lone UTF-16 surrogates; they were stored as U+FFFD and the key is "
                                      "never released"}});
    }
    const std::int64_t skipped = detail.contains("counts") ? detail["counts"].value("skipped_items", std::int64_t{0}) : 0;
    if (skipped > 0) {
      skipped_items += skipped;
      lost += skipped;
      warnings.push_back({{"code", "ITEMS_SKIPPED"}, {"key", key}, {"count", skipped},
                          {"message", "list items that are not objects (null, numbers, empty strings) make no rows; they "
                                      "stay in the export where they were"}});
    }
    if (!detail.contains("fields")) return lost;
    struct Kind {
      const char* name;
      const char* code;
      std::int64_t* total;
      const char* message;
    };
    const Kind kinds[] = {
        {"ignored", "FIELD_IGNORED", &fields_ignored, "no spelling of any field: no column holds it (it stays in the export)"},
        {"unreadable", "VALUE_UNREADABLE", &values_unreadable,
         "the value could not fill its column (the column has the default; the export keeps the value)"},
        {"conflicts", "FIELD_CONFLICT", &field_conflicts,
         "two spellings of the field held different values: the first spelling's went into the column (the export "
         "keeps both)"}};
    for (auto e = detail["fields"].begin(); e != detail["fields"].end(); ++e)
      for (auto f = e.value().begin(); f != e.value().end(); ++f)
        for (const Kind& kind : kinds) {
          const std::int64_t n = f.value().value(kind.name, std::int64_t{0});
          if (n <= 0) continue;
          *kind.total += n;
          lost += n;
          warnings.push_back({{"code", kind.code}, {"key", key}, {"entity", e.key()}, {"field", f.key()}, {"count", n},
                              {"message", kind.message}});
        }
    return lost;
  }

  json to_json() const {
    return {{"unparsedKeys", unparsed_keys}, {"lossyKeys", lossy_keys}, {"skippedItems", skipped_items},
            {"fieldsIgnored", fields_ignored}, {"valuesUnreadable", values_unreadable}, {"fieldConflicts", field_conflicts}};
  }
};

}  // namespace

RunInfo open_run(Database& db, std::int64_t id) {
  if (id > 0) {
    Statement& st = db.cached("SELECT run FROM legacy_runs WHERE id = ?1 AND finished_at IS NULL");
    st.bind(1, id);
    if (st.step()) {
      json j = json_text::parse_or_null(st.column_text_view(0));
      st.reset();
      return run_from(id, j);
    }
    st.reset();
    throw Error(Code::NotFound, "no unfinished migration run " + std::to_string(id), {{"field", "runId"}});
  }
  RunInfo run;
  run.started_at = clock::now_iso();
  run.interrupted_before = scalar(db, "SELECT count(*) FROM legacy_runs WHERE finished_at IS NULL") > 0;
  // Runs a crash left open are closed now: this one continues their work.
  db.exec("UPDATE legacy_runs SET finished_at = 'interrupted' WHERE finished_at IS NULL");
  Statement& st = db.cached("INSERT INTO legacy_runs(started_at, run) VALUES (?1, '{}')");
  st.bind(1, std::string_view(run.started_at));
  st.run();
  run.id = db.last_insert_rowid();
  return run;
}

void save_run(Database& db, const RunInfo& run, const json* report) {
  Statement& st = db.cached("UPDATE legacy_runs SET run = ?2, finished_at = ?3, report = ?4 WHERE id = ?1");
  st.bind(1, run.id).bind(2, std::string_view(dump(run_json(run))));
  if (report) st.bind(3, std::string_view(run.finished_at)).bind(4, std::string_view(dump(*report)));
  else st.bind_null(3).bind_null(4);
  st.run();
}

RunInfo last_run(Database& db) {
  Statement& st = db.cached("SELECT id, run FROM legacy_runs ORDER BY id DESC LIMIT 1");
  RunInfo r;
  if (st.step()) r = run_from(st.column_int(0), json_text::parse_or_null(st.column_text_view(1)));
  st.reset();
  return r;
}

json build_report(Database& db, const RunInfo& run) {
  json report{{"format", "campaign-store/legacy-migration-report@1"}};
  report["run"] = run_json(run);
  report["runId"] = run.id;

  // ---- the source side: each key's detail, summed
  std::map<std::string, std::int64_t> counts;
  std::map<std::string, std::vector<std::string>> source_ids;  // entity -> ids as JSON text
  std::set<std::string> hashes;
  std::int64_t occurrences = 0, unparsed = 0, legacy_units = 0, raw_bytes = 0, releasable_units = 0;
  json keys = json::object();
  json released = json::array();
  FieldTally fields;
  Loss loss;
  json loss_warnings = json::array();
  {
    Statement& st = db.cached(
        "SELECT key, hash, units, bytes, entity, outcome, reason, detail, lossy, migrated_at, released_at "
        "FROM legacy_sources WHERE outcome IN ('migrated', 'unparsed') ORDER BY key");
    while (st.step()) {
      const std::string key = st.column_text(0);
      const std::string outcome = st.column_text(5);
      json detail = parsed(st.column_text_view(7));
      if (!detail.is_object()) detail = json::object();
      json k{{"status", outcome}, {"entity", st.column_text(4)}, {"hash", st.column_text(1)},
             {"units", st.column_int(2)}, {"bytes", st.column_int(3)}, {"migratedAt", st.column_text(9)}};
      if (outcome == "migrated") {
        k["rows"] = detail.value("rows", std::int64_t{0});
        if (detail.value("skipped", std::int64_t{0}) > 0 || key.rfind("campaign_", 0) != 0)
          k["skipped"] = detail.value("skipped", std::int64_t{0});
      } else {
        ++unparsed;
        k["reason"] = st.column_is_null(6) ? "" : st.column_text(6);
        if (detail.contains("salvageable_items")) k["salvageable_items"] = detail["salvageable_items"];
      }
      if (st.column_int(8) != 0) k["lossy"] = true;
      if (const std::int64_t lost = loss.add(key, outcome, st.column_is_null(6) ? "" : st.column_text(6), detail,
                                               st.column_int(8) != 0, loss_warnings))
        k["lost"] = lost;
      if (detail.contains("fields")) fields.add_json(to_ojson(detail["fields"]));
      if (!st.column_is_null(10)) {
        k["releasedAt"] = st.column_text(10);
        released.push_back(key);
      } else if (st.column_int(8) == 0) {
        releasable_units += st.column_int(2);
      }
      legacy_units += st.column_int(2);
      raw_bytes += st.column_int(3);
      if (detail.contains("counts"))
        for (auto it = detail["counts"].begin(); it != detail["counts"].end(); ++it) counts[it.key()] += it.value().get<std::int64_t>();
      if (detail.contains("ids"))
        for (auto it = detail["ids"].begin(); it != detail["ids"].end(); ++it)
          for (const json& id : it.value()) source_ids[it.key()].push_back(dump(id));
      if (detail.contains("dataUrls")) {
        occurrences += detail["dataUrls"].value("occurrences", std::int64_t{0});
        // [[hash, occurrences], ...] (plain hashes in older details)
        for (const json& h : detail["dataUrls"]["blobs"]) hashes.insert(h.is_array() ? h[0].get<std::string>() : h.get<std::string>());
      }
      keys[key] = std::move(k);
    }
  }
  // Odd key names (rule 1): not losses, but nothing the user should miss.
  json odd_keys = json::array();
  for (auto it = keys.begin(); it != keys.end(); ++it) {
    const KeyClass cls = classify_key(it.key());
    if (cls.kind != KeyKind::DraftFull && cls.kind != KeyKind::DraftMinimal) continue;
    if (cls.draft_id.empty())
      odd_keys.push_back({{"code", "DRAFT_EMPTY_ID"}, {"key", it.key()},
                          {"message", "a draft saved before its campaign had an id: migrated as a draft of no campaign "
                                      "(a draft campaign was made for it)"}});
    else if (cls.draft_id == "undefined" || cls.draft_id == "null" || cls.draft_id == "NaN" ||
             cls.draft_id == "[object Object]")
      odd_keys.push_back({{"code", "DRAFT_PLACEHOLDER_ID"}, {"key", it.key()},
                          {"message", "a draft saved under \"" + cls.draft_id + "\" instead of a campaign id: migrated "
                                      "as a draft of no campaign (a draft campaign was made for it)"}});
  }
  for (const json& o : run.other_keys) {
    const std::string key = o.value("key", "");
    if (!keys.contains(key)) keys[key] = {{"status", "unmapped"}};
    if (auto like = lookalike_of(key))
      odd_keys.push_back({{"code", "LOOKALIKE_KEY"}, {"key", key}, {"resembles", *like},
                          {"message", "not a legacy key (names are exact): left alone, not read, not migrated, never "
                                      "removed"}});
  }

  // Distinct blobs and their sizes, as the database holds them.
  std::int64_t blob_bytes = 0, blobs_present = 0;
  json missing_blobs = json::array();
  for (const std::string& h : hashes) {
    Statement& st = db.cached("SELECT size FROM blobs WHERE hash = ?1");
    st.bind(1, std::string_view(h));
    if (st.step()) {
      ++blobs_present;
      blob_bytes += st.column_int(0);
    } else {
      missing_blobs.push_back(h);
    }
    st.reset();
  }

  auto c = [&](const char* name) { return counts.count(name) ? counts[name] : 0; };
  json source{
      {"products", c("products")},
      {"product_images", c("product_images")},
      {"background_versions", c("background_versions")},
      {"legacy_campaigns", c("legacy_campaigns")},
      {"legacy_campaign_product_refs", source_refs(db)},
      {"v2_campaigns", c("v2_campaigns")},
      {"creatives", c("creatives")},
      {"drafts", c("drafts")},
      {"draft_keys", {{"full", c("draft_keys_full")}, {"minimal", c("draft_keys_minimal")}}},
      {"campaigns_created_for_orphan_drafts", c("orphan_drafts")},
      {"ai_generations", c("ai_generations")},
      {"ai_generations_linked", c("ai_generations_linked")},
      {"sample_products", c("sample_products")},
      {"sample_campaigns", c("sample_campaigns")},
      {"sample_rows", c("sample_products") + c("sample_campaigns")},
      {"data_url_occurrences", occurrences},
      {"data_url_blobs", static_cast<std::int64_t>(hashes.size())},
      {"data_url_blob_bytes", blob_bytes},
      {"unrelated_keys", static_cast<std::int64_t>(run.other_keys.size())},
      {"unparsable_keys", unparsed},
      {"skipped_items", c("skipped_items")},
      {"fields_ignored", to_json(tally_of(fields, FieldTally::Ignored))},
      {"values_unreadable", to_json(tally_of(fields, FieldTally::Unreadable))},
      {"field_conflicts", to_json(tally_of(fields, FieldTally::Conflict))},
  };

  // ---- the database side
  json database = json::object();
  json retained = json::object();
  json legacy_ids = json::object();
  json errors = run.errors;
  json validation = json::array();
  std::size_t listed = 0, unlisted = 0;
  auto fail = [&](json e) {
    if (listed < kMaxListedErrors) {
      validation.push_back(std::move(e));
      ++listed;
    } else {
      ++unlisted;
    }
  };
  for (const Counted& e : kCounted) {
    const std::int64_t stale = scalar(db, "SELECT count(*) FROM legacy_id_map WHERE entity = ?1 AND stale = 1", e.entity);
    if (stale > 0) retained[e.entity] = stale;
    // Every legacy id of the source, found in the database (as a multiset),
    // and the rows counted on the way.
    std::int64_t n = 0;
    std::map<std::string, std::int64_t> in_db;
    json ids = json::array();
    {
      Statement& st = db.cached("SELECT coalesce(m.legacy_json, 'null') " + live(e.entity) + " ORDER BY m.rowid");
      st.bind(1, std::string_view(e.entity));
      while (st.step()) {
        const std::string_view id = st.column_text_view(0);
        ++n;
        ++in_db[std::string(id)];
        ids.push_back(parsed(id));
      }
    }
    database[e.entity] = n;
    legacy_ids[e.entity] = std::move(ids);
    const std::int64_t expected = c(e.entity);
    if (expected != n)
      fail({{"code", "COUNT_MISMATCH"}, {"key", e.key}, {"entity", e.entity}, {"source", expected}, {"database", n}});
    for (const std::string& id : source_ids[e.entity]) {
      auto it = in_db.find(id);
      if (it != in_db.end() && it->second > 0) {
        --it->second;
        continue;
      }
      const json legacy_id = parsed(id);
      std::string key = e.key;
      if (key == "campaign_draft_*" && legacy_id.is_string()) key = draft_key(true, legacy_id.get<std::string>());
      fail({{"code", "MISSING_ID"}, {"key", key}, {"entity", e.entity}, {"legacyId", legacy_id},
            {"message", "a legacy id of the source has no row in the database"}});
    }
  }
  database["draft_keys"] = source["draft_keys"];  // keys, not rows: nothing to count in the tables
  database["campaigns_created_for_orphan_drafts"] = database["orphan_drafts"];
  database["sample_rows"] = database["sample_products"].get<std::int64_t>() + database["sample_campaigns"].get<std::int64_t>();
  // What the migration linked (m.link, kept current by the relink pass); the
  // app may change product_id later, which is its business.
  // Only links to live products count: a product a re-migration no longer
  // sees stays in the database (retained), but the source has it no more.
  const std::string linked =
      " AND m.link IS NOT NULL AND EXISTS (SELECT 1 FROM products p WHERE p.id = m.link) AND EXISTS (SELECT 1 FROM "
      "legacy_id_map l WHERE l.row_id = m.link AND l.entity = 'products' AND l.stale = 0)";
  database["legacy_campaign_product_refs"] = {
      {"resolved", scalar(db, "SELECT count(*) " + live("legacy_campaigns") + " AND m.ref IS NOT NULL" + linked,
                          "legacy_campaigns")},
      {"dangling", scalar(db, "SELECT count(*) " + live("legacy_campaigns") + " AND m.ref IS NOT NULL AND NOT (1" +
                                  linked + ")", "legacy_campaigns")},
      {"missing", scalar(db, "SELECT count(*) " + live("legacy_campaigns") + " AND m.ref IS NULL", "legacy_campaigns")},
  };
  database["ai_generations_linked"] = scalar(
      db, "SELECT count(*) " + live("ai_generations") + " AND m.link IS NOT NULL AND EXISTS "
          "(SELECT 1 FROM product_images i WHERE i.id = m.link)", "ai_generations");
  database["generation_backgrounds"] = scalar(db, "SELECT count(*) " + live("generation_backgrounds"), "generation_backgrounds");
  database["data_url_blobs"] = blobs_present;
  database["data_url_blob_bytes"] = blob_bytes;
  database["blobs_total"] = scalar(db, "SELECT count(*) FROM blobs");
  for (const char* f : {"campaigns_created_for_orphan_drafts", "sample_rows", "ai_generations_linked", "data_url_blobs"})
    if (database[f] != source[f])
      fail({{"code", "COUNT_MISMATCH"}, {"key", "*"}, {"entity", f},
            {"source", source[f]}, {"database", database[f]}});
  if (database["legacy_campaign_product_refs"] != source["legacy_campaign_product_refs"])
    fail({{"code", "COUNT_MISMATCH"}, {"key", "campaigns"}, {"entity", "legacy_campaign_product_refs"},
          {"source", source["legacy_campaign_product_refs"]}, {"database", database["legacy_campaign_product_refs"]}});
  for (const json& h : missing_blobs)
    fail({{"code", "MISSING_BLOB"}, {"key", "*"}, {"hash", h}, {"message", "a data: URL's content is not in blobs"}});
  for (json& v : validation) errors.push_back(std::move(v));

  // ---- bytes before and after
  std::int64_t page_size = scalar(db, "PRAGMA page_size"), page_count = scalar(db, "PRAGMA page_count");
  const std::int64_t all_blob_bytes = scalar(db, "SELECT coalesce(sum(size), 0) FROM blobs");
  json bytes{
      {"localStorage", {{"legacyKeys", static_cast<std::int64_t>(keys.size()) - static_cast<std::int64_t>(run.other_keys.size())},
                        {"legacyUnits", legacy_units},
                        {"legacyBytes", legacy_units * 2},
                        {"otherKeys", run.other_keys.size()},
                        {"otherUnits", run.other_units},
                        {"quotaUnits", kQuotaUnits},
                        {"legacyQuotaFraction", static_cast<double>(legacy_units) / static_cast<double>(kQuotaUnits)},
                        {"releasableUnits", releasable_units}}},
      {"database", {{"originalBytes", raw_bytes},
                    {"blobBytes", blob_bytes},
                    {"allBlobBytes", all_blob_bytes},
                    {"databaseBytes", page_size * page_count}}},
  };

  // ok: the database holds every item and every field of every legacy key
  // (rule 15). Each loss is a warning with its count, and stays in the
  // report for as long as the key's migration stands.
  report["ok"] = errors.empty() && loss.total() == 0;
  report["loss"] = loss.to_json();
  report["fieldsIgnored"] = source["fields_ignored"];
  report["source"] = std::move(source);
  report["database"] = std::move(database);
  if (!retained.empty()) report["retained"] = std::move(retained);
  report["keys"] = std::move(keys);
  report["legacyIds"] = std::move(legacy_ids);
  report["bytes"] = std::move(bytes);
  report["released"] = std::move(released);
  report["errors"] = std::move(errors);
  if (unlisted > 0) report["unlistedErrors"] = unlisted;
  report["warnings"] = run.warnings;
  for (json& w : loss_warnings) report["warnings"].push_back(std::move(w));
  for (json& w : odd_keys) report["warnings"].push_back(std::move(w));
  if (run.interrupted_before)
    report["warnings"].push_back({{"code", "RESUMED"}, {"message", "a previous migration run did not finish; this run completed it"}});
  return report;
}

json report(Database& db) {
  RunInfo run = last_run(db);
  if (run.id == 0) return {{"format", "campaign-store/legacy-migration-report@1"}, {"ok", true}, {"empty", true}};
  return build_report(db, run);
}

}  // namespace cs::legacy

CS_COLD_CODE_END
