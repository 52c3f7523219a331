// Rollback and transition: exportLegacy regenerates the keys from the
// database and importing them again gives the same database; a changed
// localStorage value re-migrates that key only and never overwrites what
// the app changed since; values we wrote back ourselves (dual write) are
// not taken for changes; keys are released only when verified; saveAd
// stores a campaign exactly as the importer would.
#include "test_legacy_support.hpp"

#include "legacy/legacy.hpp"

using namespace test_legacy;

namespace {

json exported(Store& s, json args = json::object()) { return s.ok("legacy.export", args)["entries"]; }

json as_entries(const json& exported_entries) {
  json out = json::array();
  for (const json& e : exported_entries) out.push_back({{"key", e["key"]}, {"value", e["value"]}});
  return out;
}

json value_of(const json& entries, const std::string& key) {
  for (const json& e : entries)
    if (e["key"] == key) return json::parse(e["value"].get<std::string>());
  return nullptr;
}

json with_text(json entries, const std::string& key, const std::string& text) {
  for (json& e : entries)
    if (e["key"] == key) e["value"] = text;
  return entries;
}
json with_value(json entries, const std::string& key, const json& value) { return with_text(entries, key, value.dump()); }

// On a mismatch, both sides land in /tmp for a diff.
bool same_database(Store& a, Store& b, const std::string& name) {
  const std::string ca = a.canonical(), cb = b.canonical();
  if (ca == cb) return true;
  std::ofstream("/tmp/legacy-" + name + "-a.txt") << ca;
  std::ofstream("/tmp/legacy-" + name + "-b.txt") << cb;
  return false;
}

}  // namespace

TEST_CASE("import -> exportLegacy (images inlined) -> import into a new database gives the same database") {
  PinnedClock clock;
  for (const std::string& name : adversarial_names()) {
    DYNAMIC_SECTION(name) {
      Store a;
      a.ok("legacy.import", {{"entries", dump_entries(name)}});
      json out = exported(a, {{"inlineImages", true}});
      Store b;
      json report = b.ok("legacy.import", {{"entries", as_entries(out)}});
      INFO(report["errors"].dump());
      CHECK(report["errors"] == json::array());
      CHECK(report["ok"] == manifest(name)["report"]["ok"]);  // what was lost is lost the same way again
      CHECK(same_database(a, b, name));
      // The legacy ids survive the trip, numbers as numbers and strings as strings.
      json ra = a.ok("legacy.report"), rb = report;
      for (const char* e : {"products", "legacy_campaigns", "v2_campaigns", "ai_generations", "sample_products"})
        CHECK(rb["legacyIds"][e] == ra["legacyIds"][e]);
    }
  }
}

TEST_CASE("importing the export into the same database changes no row") {
  PinnedClock clock;
  for (const std::string& name : adversarial_names()) {
    DYNAMIC_SECTION(name) {
      Store s;
      s.ok("legacy.import", {{"entries", dump_entries(name)}});
      const std::string before = s.canonical();
      json report = s.ok("legacy.import", {{"entries", as_entries(exported(s))}});
      INFO(report["errors"].dump());
      CHECK(report["errors"] == json::array());
      CHECK(s.canonical() == before);
    }
  }
}

namespace {

// Every legacy key of a dump, exported back: the same keys (none missing,
// none invented) and each value byte for byte.
void check_rollback(const std::string& name, const json& entries, const json& manifest_keys, bool prefer_source) {
  PinnedClock clock;
  Store s;
  s.ok("legacy.import", {{"entries", entries}});
  cs::legacy::ExportOptions options;
  options.inline_images = true;
  options.prefer_source = prefer_source;
  const json out = cs::legacy::export_keys(s.d.session().db(), options)["entries"];
  std::map<std::string, std::string> exported;
  for (const json& e : out) {
    INFO(name << ": exported key " << e["key"]);
    CHECK(exported.emplace(e["key"], e["value"]).second);  // each key once
  }
  std::size_t legacy = 0;
  for (const json& e : entries) {
    const std::string key = e["key"];
    if (manifest_keys[key]["status"] == "unmapped") continue;
    ++legacy;
    INFO(name << ": key " << key);
    REQUIRE(exported.count(key));
    CHECK(exported[key] == e["value"].get<std::string>());
  }
  CHECK(exported.size() == legacy);  // no key that never existed
}

}  // namespace

TEST_CASE("rollback: import -> export (images inlined) gives back every legacy key of every fixture, byte for byte") {
  for (const std::string& name : adversarial_names()) {
    DYNAMIC_SECTION(name) { check_rollback(name, dump_entries(name), manifest(name)["keys"], true); }
  }
}

TEST_CASE("rollback from the rows alone (no stored text): JSON.stringify's bytes for every key the app wrote") {
  // Shaping the rows back must itself give the original text wherever the
  // app wrote it (JSON.stringify, canonical base64); the adversarial dumps
  // left out hold text no JSON.stringify writes (\u escapes, data: URLs
  // with line breaks or no padding).
  for (const std::string& name : adversarial_names()) {
    if (name == "unicode" || name == "data-urls") continue;
    DYNAMIC_SECTION(name) { check_rollback(name, dump_entries(name), manifest(name)["keys"], false); }
  }
}

TEST_CASE("rollback after the app changed a product and a draft: only those change, drafts keep both keys") {
  PinnedClock clock;
  Store s;
  const json entries = dump_entries("drafts");
  s.ok("legacy.import", {{"entries", entries}});
  auto row = [&](const std::string& entity, const std::string& id) {
    return s.rows("SELECT row_id FROM legacy_id_map WHERE entity = ? AND legacy_id = ?", {entity, id})[0]["row_id"].get<std::string>();
  };
  s.ok("products.update", {{"id", row("products", "prod_d")}, {"name", "Renamed in the app"}});
  const std::string campaign = row("v2_campaigns", "campaign_1700000002000");
  json step = json::object();
  step["product"] = {{"id", "prod_d"}, {"name", "Drafted"}, {"images", json::array()}};
  step["creatives"] = json::array({{{"id", "cr_d"}, {"formatId", "instagram_post"}, {"elements", json::array()}}});
  s.ok("drafts.save", {{"campaignId", campaign}, {"stepData", step}});
  cs::legacy::ExportOptions options;
  options.inline_images = true;
  json out = cs::legacy::export_keys(s.d.session().db(), options)["entries"];
  std::map<std::string, std::string> exported;
  for (const json& e : out) exported[e["key"]] = e["value"];
  for (const json& e : entries) {
    const std::string key = e["key"];
    INFO(key);
    if (key == "products" || key.find("1700000002000") != std::string::npos) continue;
    CHECK(exported[key] == e["value"].get<std::string>());  // untouched keys: byte for byte
  }
  json products = json::parse(exported["products"]);
  CHECK(products[0]["name"] == "Renamed in the app");
  json original = json::parse(entries[0]["value"].get<std::string>());
  products[0]["name"] = original[0]["name"];
  products[0].erase("updatedAt");  // the app's edit stamped it
  original[0].erase("updatedAt");
  CHECK(products == original);
  // The draft: the full key holds the app's step data, the minimal key its cut-down form.
  json full = json::parse(exported["campaign_draft_campaign_1700000002000"]);
  json minimal = json::parse(exported["campaign_minimal_campaign_1700000002000"]);
  CHECK(full["stepData"]["creatives"][0]["elements"] == json::array());
  CHECK(full["campaignId"] == "campaign_1700000002000");
  CHECK(full.value("isMinimal", false) == false);
  CHECK(minimal["isMinimal"] == true);
  CHECK(minimal["stepData"]["creatives"][0] == json{{"id", "cr_d"}, {"formatId", "instagram_post"}});
  CHECK(minimal["stepData"]["product"] == json{{"id", "prod_d"}, {"name", "Drafted"}});
  CHECK(minimal["lastSaved"] == full["lastSaved"]);
}

TEST_CASE("unknown fields and unparsed values come back in the export") {
  PinnedClock clock;
  Store s;
  const json entries = dump_entries("unknown-fields");
  s.ok("legacy.import", {{"entries", entries}});
  json out = exported(s, {{"inlineImages", true}});
  // Original and export hold the same products, key order aside (data: URLs re-encoded alike).
  json original = json::parse(entries[0]["value"].get<std::string>());
  REQUIRE(entries[0]["key"] == "products");
  CHECK(value_of(out, "products") == original);

  Store t;
  const json truncated = dump_entries("truncated");
  t.ok("legacy.import", {{"entries", truncated}});
  json tout = exported(t);
  for (const json& e : truncated) {
    const std::string key = e["key"];
    if (key == "theme") continue;
    for (const json& o : tout)
      if (o["key"] == key && o["verbatim"] == true) CHECK(o["value"] == e["value"]);
  }
  bool products_verbatim = false;
  for (const json& o : tout) products_verbatim = products_verbatim || (o["key"] == "products" && o["verbatim"] == true);
  CHECK(products_verbatim);  // no product rows: the truncated text itself is the rollback
}

TEST_CASE("a changed value re-migrates that key only, in place, keeping the app's edits") {
  PinnedClock clock;
  Store s;
  json entries = dump_entries("strings-for-numbers");
  s.ok("legacy.import", {{"entries", entries}});
  auto id_of = [&](const std::string& entity, const std::string& legacy) {
    return s.rows("SELECT row_id FROM legacy_id_map WHERE entity = ? AND legacy_id = ? ORDER BY ordinal LIMIT 1",
                  json::array({entity, legacy}))[0]["row_id"].get<std::string>();
  };
  json campaigns = value_of(as_entries(exported(s)), "campaigns");
  REQUIRE(campaigns.size() >= 2);
  const std::string first_id = campaigns[0]["id"].is_string() ? campaigns[0]["id"].get<std::string>() : campaigns[0]["id"].dump();
  const std::string second_id = campaigns[1]["id"].is_string() ? campaigns[1]["id"].get<std::string>() : campaigns[1]["id"].dump();
  const std::string first_row = id_of("legacy_campaigns", first_id), second_row = id_of("legacy_campaigns", second_id);
  // The app renames the first campaign.
  s.ok("sql.exec", {{"sql", "UPDATE campaigns SET name = 'Renamed in the app' WHERE id = ?"}, {"params", {first_row}}});
  const std::string products_before = s.rows("SELECT group_concat(id || name || coalesce(price, ''), ',') AS v FROM products")[0]["v"];

  // Meanwhile the old app (another tab) renames both, drops nothing, adds one.
  json changed = json::parse(s.rows("SELECT raw FROM legacy_sources WHERE key = 'campaigns'")[0]["raw"].get<std::string>());
  changed[0]["name"] = "old app: first";
  changed[1]["name"] = "old app: second";
  changed.push_back({{"id", 1799999999999}, {"name", "new in the old app"}, {"status", "Active"}, {"adData", {{"ctaType", "WHERE_TO_BUY"}}}});
  json report = s.ok("legacy.import", {{"entries", with_value(entries, "campaigns", changed)}});
  INFO(report["errors"].dump());
  CHECK(report["errors"] == json::array());
  for (const json& g : report["run"]["groups"]) CHECK(g["outcome"] == (g["group"] == "campaigns" ? "migrated" : "unchanged"));
  CHECK(s.rows("SELECT name FROM campaigns WHERE id = ?", {first_row})[0]["name"] == "Renamed in the app");
  CHECK(s.rows("SELECT name FROM campaigns WHERE id = ?", {second_row})[0]["name"] == "old app: second");
  CHECK(id_of("legacy_campaigns", second_id) == second_row);  // same row, updated in place
  CHECK(s.rows("SELECT type FROM campaigns WHERE id = ?", {id_of("legacy_campaigns", "1799999999999")})[0]["type"] == "Where to Buy");
  CHECK(s.rows("SELECT group_concat(id || name || coalesce(price, ''), ',') AS v FROM products")[0]["v"] == products_before);
  // The export keeps the app's name for the first, the old app's for the second.
  json again = value_of(as_entries(exported(s)), "campaigns");
  CHECK(again[0]["name"] == "Renamed in the app");
  CHECK(again[1]["name"] == "old app: second");

  // A campaign the old app dropped is retained, not deleted, and reported as such.
  changed.erase(changed.begin() + 1);
  report = s.ok("legacy.import", {{"entries", with_value(entries, "campaigns", changed)}});
  CHECK(report["errors"] == json::array());
  CHECK(report["retained"]["legacy_campaigns"] == 1);
  CHECK(s.count("SELECT count(*) FROM campaigns WHERE id = ?", {second_row}) == 1);
}

TEST_CASE("dual write: values written back with acknowledge are not taken for changes") {
  PinnedClock clock;
  Store s;
  json entries = dump_entries("nulls");
  s.ok("legacy.import", {{"entries", entries}});
  s.ok("sql.exec", {{"sql", "UPDATE products SET name = 'edited' WHERE rowid = (SELECT min(rowid) FROM products)"}});
  json written = s.ok("legacy.export", {{"keys", {"products"}}, {"acknowledge", true}})["entries"];
  REQUIRE(written.size() == 1);
  const std::string before = s.snapshot();
  json report = s.ok("legacy.import", {{"entries", with_text(entries, "products", written[0]["value"])}});
  for (const json& g : report["run"]["groups"]) CHECK(g["outcome"] == "unchanged");
  CHECK(s.snapshot() == before);
}

TEST_CASE("release: only keys whose current value is the migrated one, with no error, intact, and whole") {
  PinnedClock clock;
  Store s;
  json entries = dump_entries("truncated");
  s.ok("legacy.import", {{"entries", entries}});
  json changed = with_value(entries, "campaigns", json::array());
  json r = s.ok("legacy.release", {{"entries", changed}});
  std::set<std::string> released(r["release"].begin(), r["release"].end());
  std::map<std::string, std::string> kept;
  for (const json& k : r["keep"]) kept[k["key"]] = k["code"];
  CHECK(kept["campaigns"] == "CHANGED");    // changed since: import it first
  CHECK(kept["theme"] == "NOT_LEGACY");     // not ours
  // Never parsed: the database has only its text, so localStorage keeps the only readable copy.
  for (const char* key : {"products", "saved_campaigns", "campaign_draft_campaign_1763000000000", "sample_data"})
    CHECK(kept[key] == "UNPARSED");
  CHECK(released == std::set<std::string>{"backgrounds"});
  // Asked explicitly, they go too (their text stays in the database and comes back in the export).
  r = s.ok("legacy.release", {{"entries", changed}, {"includeUnmigrated", true}});
  released = std::set<std::string>(r["release"].begin(), r["release"].end());
  CHECK(released == std::set<std::string>{"backgrounds", "products", "saved_campaigns",
                                          "campaign_draft_campaign_1763000000000", "sample_data"});
  json report = s.ok("legacy.report");
  CHECK(report["keys"]["products"].contains("releasedAt"));
  // After release the keys are gone from localStorage; an import of what is left changes nothing.
  const std::string before = s.snapshot();
  json left = json::array();
  for (const json& e : entries)
    if (!released.count(e["key"].get<std::string>())) left.push_back(e);
  json after = s.ok("legacy.import", {{"entries", left}});
  CHECK(after["errors"] == json::array());
  CHECK(s.snapshot() == before);
}

TEST_CASE("release keeps keys with skipped items or lost fields unless includeUnmigrated; whole keys go") {
  PinnedClock clock;
  for (const auto& [name, key, code] : {std::tuple{"nulls", "products", "ITEMS_SKIPPED"},
                                        {"unknown-fields", "products", "FIELDS_LOST"},
                                        {"spellings", "products", "FIELDS_LOST"},
                                        {"strings-for-numbers", "products", "FIELDS_LOST"}}) {
    DYNAMIC_SECTION(name) {
      Store s;
      const json entries = dump_entries(name);
      s.ok("legacy.import", {{"entries", entries}});
      json r = s.ok("legacy.release", {{"entries", entries}});
      json why;
      for (const json& k : r["keep"])
        if (k["key"] == key) why = k;
      CHECK(why["code"] == code);
      CHECK(why["reason"].get<std::string>().find("includeUnmigrated") != std::string::npos);
      r = s.ok("legacy.release", {{"entries", entries}, {"includeUnmigrated", true}});
      CHECK(std::find(r["release"].begin(), r["release"].end(), json(key)) != r["release"].end());
    }
  }
  Store s;  // a dump that lost nothing is released whole
  const json entries = dump_entries("duplicate-ids");
  REQUIRE(s.ok("legacy.import", {{"entries", entries}})["ok"] == true);
  CHECK(s.ok("legacy.release", {{"entries", entries}})["release"].size() == entries.size());
}

TEST_CASE("saveAd creates a legacy campaign like the importer would; with campaignId it updates it") {
  PinnedClock clock;
  Store s;
  s.ok("legacy.import", {{"entries", dump_entries("duplicate-ids")}});
  const std::string png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAGUlEQVR4AQEOAPH/AApolLyIbAA9C3Cy+GwjIwWFeQQbngAAAABJRU5ErkJggg==";
  json saved = s.ok("legacy.saveAd", {{"adData", {{"campaignName", "Spring"}, {"ctaType", "WHERE_TO_BUY"},
                                                  {"productId", "prod_x"}, {"imageUrl", png}, {"budget", "$1,000"}}}});
  json c = json::parse(saved["value"].get<std::string>());
  CHECK(c["id"].is_number_integer());
  CHECK(c["name"] == "Spring");
  CHECK(c["type"] == "Where to Buy");
  CHECK(c["adData"]["imageUrl"].get<std::string>().rfind("blob:sha256:", 0) == 0);  // images out of JSON
  json row = s.rows("SELECT product_id, budget, source, type FROM campaigns WHERE id = ?", {saved["rowId"]})[0];
  CHECK(row["budget"] == 100000);
  CHECK(row["source"] == "legacy");
  CHECK_FALSE(row["product_id"].is_null());
  // It is part of the legacy shape everywhere, and the report stays valid.
  json campaigns = value_of(as_entries(exported(s)), "campaigns");
  CHECK(campaigns.back()["name"] == "Spring");
  CHECK(s.ok("legacy.report")["ok"] == true);
  // Updating through campaignId keeps the row.
  json updated = s.ok("legacy.saveAd", {{"adData", {{"campaignId", c["id"]}, {"campaignName", "Spring v2"}, {"ctaType", "ADD_TO_CART"}}}});
  CHECK(updated["rowId"] == saved["rowId"]);
  CHECK(json::parse(updated["value"].get<std::string>())["name"] == "Spring v2");
  CHECK(s.rows("SELECT type FROM campaigns WHERE id = ?", {saved["rowId"]})[0]["type"] == "Add to Cart");
  json got = s.ok("legacy.get", {{"entity", "campaigns"}, {"id", c["id"]}});
  CHECK(got["rowId"] == saved["rowId"]);
  CHECK(s.ok("legacy.get", {{"entity", "products"}, {"id", "nope"}}).is_null());
}

TEST_CASE("a dangling reference resolves when a re-migrated products key brings the product") {
  PinnedClock clock;
  Store s;
  json products = json::array({{{"id", "p1"}, {"name", "one"}}});
  json campaigns = json::array({{{"id", 1}, {"name", "c"}, {"adData", {{"productId", "p9"}}}}});
  auto entries = [&]() {
    return json::array({{{"key", "products"}, {"value", products.dump()}}, {{"key", "campaigns"}, {"value", campaigns.dump()}}});
  };
  json first = s.ok("legacy.import", {{"entries", entries()}});
  CHECK(first["source"]["legacy_campaign_product_refs"] == json{{"resolved", 0}, {"dangling", 1}, {"missing", 0}});
  products.push_back({{"id", "p9"}, {"name", "nine"}});
  json second = s.ok("legacy.import", {{"entries", entries()}});
  INFO(second["errors"].dump());
  CHECK(second["ok"] == true);
  CHECK(second["source"]["legacy_campaign_product_refs"] == json{{"resolved", 1}, {"dangling", 0}, {"missing", 0}});
  json row = s.rows("SELECT p.name FROM campaigns c JOIN products p ON p.id = c.product_id WHERE c.source = 'legacy'");
  REQUIRE(row.size() == 1);
  CHECK(row[0]["name"] == "nine");
  // The relink is the migration's, not an app edit: the export keeps the original reference.
  json out = json::parse(s.ok("legacy.export", {{"keys", {"campaigns"}}})["entries"][0]["value"].get<std::string>());
  CHECK(out[0]["adData"]["productId"] == "p9");
}

TEST_CASE("a draft whose partner key was released still merges with the stored original") {
  PinnedClock clock;
  Store s;
  json full = {{"campaignId", "x"}, {"stepData", {{"product", {{"id", 1}, {"name", "P"}, {"images", {"https://i/1.png"}}}}}},
               {"lastSaved", "2025-01-01T00:00:00.000Z"}};
  json minimal = {{"campaignId", "x"}, {"stepData", {{"product", {{"id", 1}, {"name", "P"}}}}}, {"lastSaved", "2025-01-02T00:00:00.000Z"},
                  {"isMinimal", true}};
  json entries = json::array({{{"key", "campaign_draft_d1"}, {"value", full.dump()}}, {{"key", "campaign_minimal_d1"}, {"value", minimal.dump()}}});
  s.ok("legacy.import", {{"entries", entries}});
  json released = s.ok("legacy.release", {{"entries", entries}});
  CHECK(released["release"].size() == 2);
  // Only the minimal key comes back, changed; the full one is gone from localStorage.
  minimal["stepData"]["product"]["name"] = "P2";
  minimal["lastSaved"] = "2025-01-03T00:00:00.000Z";
  json report = s.ok("legacy.import", {{"entries", {{{"key", "campaign_minimal_d1"}, {"value", minimal.dump()}}}}});
  CHECK(report["ok"] == true);
  json d = json::parse(s.rows("SELECT step_data FROM campaign_drafts")[0]["step_data"].get<std::string>());
  CHECK(d["stepData"]["product"]["name"] == "P2");
  CHECK(d["stepData"]["product"]["images"] == json::array({"https://i/1.png"}));
  CHECK(s.count("SELECT count(*) FROM campaign_drafts") == 1);
}

TEST_CASE("a re-migration keeps a row's stand-in date (no date in the source) instead of moving it to now") {
  Store s;
  cs::clock::set_fake_now(1764000000000);
  json products = json::array({{{"id", "nodate"}, {"name", "a"}}});
  s.ok("legacy.import", {{"entries", {{{"key", "products"}, {"value", products.dump()}}}}});
  const json before = s.rows("SELECT created_at, updated_at FROM products")[0];
  cs::clock::set_fake_now(1764000000000 + 86400000);
  products[0]["name"] = "b";
  s.ok("legacy.import", {{"entries", {{{"key", "products"}, {"value", products.dump()}}}}});
  cs::clock::set_fake_now(std::nullopt);
  const json after = s.rows("SELECT name, created_at, updated_at FROM products")[0];
  CHECK(after["name"] == "b");
  CHECK(after["created_at"] == before["created_at"]);
  CHECK(after["updated_at"] == before["updated_at"]);
}
