// The migration against the committed adversarial dumps of tests/fixtures/:
// the report's source counts, key outcomes and legacy ids must be the
// manifest's (README "What the migration must produce"), the database must
// hold every one of them (the report validates that), and running the
// import again must change nothing at all.
#include "test_legacy_support.hpp"

using namespace test_legacy;

namespace {

// The manifest's id lists, compared as multisets of JSON texts.
std::vector<std::string> sorted_texts(const json& list) {
  std::vector<std::string> out;
  for (const json& v : list) out.push_back(v.dump());
  std::sort(out.begin(), out.end());
  return out;
}

void check_against_manifest(const std::string& name, const json& report) {
  const json m = manifest(name);
  INFO("dump " << name);
  INFO("errors " << report["errors"].dump().substr(0, 2000));
  INFO("warnings " << report["warnings"].dump().substr(0, 2000));
  CHECK(report["errors"] == json::array());
  // ok only when nothing was lost from the typed tables; each loss counted where it happened.
  CHECK(report["ok"] == m["report"]["ok"]);
  CHECK(report["source"]["values_unreadable"] == m["report"]["values_unreadable"]);
  CHECK(report["source"]["field_conflicts"] == m["report"]["field_conflicts"]);
  CHECK(report["fieldsIgnored"] == m["expected"]["fields_ignored"]);
  // Every expected count, field by field (the names are the manifest's).
  for (auto it = m["expected"].begin(); it != m["expected"].end(); ++it) {
    INFO("expected." << it.key());
    CHECK(report["source"][it.key()] == it.value());
  }
  for (auto it = m["keys"].begin(); it != m["keys"].end(); ++it) {
    INFO("key " << it.key() << " report " << report["keys"].value(it.key(), json()).dump());
    REQUIRE(report["keys"].contains(it.key()));
    const json& got = report["keys"][it.key()];
    CHECK(got["status"] == it.value()["status"]);
    for (const char* f : {"entity", "rows", "skipped", "reason", "salvageable_items"})
      if (it.value().contains(f)) CHECK(got[f] == it.value()[f]);
  }
  CHECK(report["keys"].size() == m["keys"].size());
  // The legacy ids found in the database are exactly the source's.
  for (auto it = m["legacy_ids"].begin(); it != m["legacy_ids"].end(); ++it) {
    INFO("legacy_ids." << it.key());
    CHECK(sorted_texts(report["legacyIds"][it.key()]) == sorted_texts(it.value()));
  }
}

}  // namespace

TEST_CASE("every adversarial dump migrates as its manifest says, and validates") {
  PinnedClock clock;
  for (const std::string& name : adversarial_names()) {
    DYNAMIC_SECTION(name) {
      Store s;
      json report = s.ok("legacy.import", {{"entries", dump_entries(name)}});
      check_against_manifest(name, report);
      // The database side agrees with the source side wherever it can count.
      for (const char* f : {"products", "product_images", "background_versions", "legacy_campaigns", "v2_campaigns",
                            "creatives", "drafts", "campaigns_created_for_orphan_drafts", "ai_generations",
                            "ai_generations_linked", "sample_products", "sample_campaigns", "data_url_blobs",
                            "data_url_blob_bytes", "legacy_campaign_product_refs"}) {
        INFO(f);
        CHECK(report["database"][f] == report["source"][f]);
      }
    }
  }
}

TEST_CASE("importing the same values again changes nothing, not even the sync outbox") {
  PinnedClock clock;
  for (const std::string& name : adversarial_names()) {
    DYNAMIC_SECTION(name) {
      Store s;
      const json entries = dump_entries(name);
      s.ok("legacy.import", {{"entries", entries}});
      const std::string before = s.snapshot();
      json again = s.ok("legacy.import", {{"entries", entries}});
      CHECK(s.snapshot() == before);
      for (const json& g : again["run"]["groups"]) CHECK(g["outcome"] == "unchanged");
      check_against_manifest(name, again);
    }
  }
}

TEST_CASE("a crash between key groups resumes to the same database") {
  PinnedClock clock;
  for (const std::string& name : {"drafts", "duplicate-ids", "unknown-fields", "truncated", "nulls"}) {
    Store straight;
    const json entries = dump_entries(name);
    straight.ok("legacy.import", {{"entries", entries}});
    const std::string expected = straight.canonical();
    for (int stop = 0; stop < 8; ++stop) {
      DYNAMIC_SECTION(name << " stopped after " << stop << " groups") {
        Store s;
        // final: false leaves the run open, as a killed worker would.
        json partial = s.ok("legacy.import", {{"entries", entries}, {"stopAfterGroups", stop}, {"final", false}});
        json finished = s.ok("legacy.import", {{"entries", entries}});
        CHECK(s.canonical() == expected);
        check_against_manifest(name, finished);
        if (!partial["remaining"].empty()) {
          bool resumed = false;
          for (const json& w : finished["warnings"]) resumed = resumed || w["code"] == "RESUMED";
          CHECK(resumed);
        }
      }
    }
  }
}

TEST_CASE("a run driven group by group (final: false) ends in one validated report") {
  PinnedClock clock;
  Store s;
  const json entries = dump_entries("drafts");
  json first = s.ok("legacy.import", {{"entries", json::array({entries[0]})}, {"final", false}});
  REQUIRE(first["runId"].is_number());
  json rest = json::array();
  for (std::size_t i = 1; i < entries.size(); ++i) rest.push_back(entries[i]);
  json report = s.ok("legacy.import", {{"entries", rest}, {"runId", first["runId"]}});
  check_against_manifest("drafts", report);
  CHECK(report["run"]["groups"].size() == 10);  // products, campaigns, saved_campaigns and 7 draft ids, in one run
}
