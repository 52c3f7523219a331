// What the typed columns hold after a migration, checked against the facts
// the adversarial manifests state ("checks"): dates to UTC instants (local
// time through the browser's zone), prices to cents, data: URLs to one blob
// per content with the label kept per reference, byte-exact Unicode, images
// given as strings, draft merges, and references to the first occurrence.
#include "test_legacy_support.hpp"

#include "db/encoding.hpp"
#include "api/session.hpp"
#include "vfs/transfer.hpp"
#include "legacy/internal.hpp"

#include <cstring>
#include <set>

using namespace test_legacy;

namespace {

std::string row_of(Store& s, const std::string& entity, const std::string& legacy_id) {
  json r = s.rows("SELECT row_id FROM legacy_id_map WHERE entity = ? AND legacy_id = ? ORDER BY rowid LIMIT 1",
                  {entity, legacy_id});
  REQUIRE(r.size() == 1);
  return r[0]["row_id"];
}

json column(Store& s, const std::string& table, const std::string& col, const std::string& id) {
  return s.rows("SELECT " + col + " AS v FROM " + table + " WHERE id = ?", {id})[0]["v"];
}

std::string hex(const std::string& s) { return cs::to_hex(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()); }

// The row an item of the spellings fixture became (entity, legacy id).
std::string row_for(Store& s, const json& ref) {
  const json id = ref["id"];
  return row_of(s, ref["entity"], id.is_string() ? id.get<std::string>() : id.dump());
}

const char* table_for(const std::string& entity) {
  static const std::map<std::string, const char*> tables = {
      {"products", "products"}, {"sample_products", "products"}, {"product_images", "product_images"},
      {"background_versions", "background_versions"}, {"legacy_campaigns", "campaigns"}, {"v2_campaigns", "campaigns"},
      {"sample_campaigns", "campaigns"}, {"orphan_drafts", "campaigns"}, {"creatives", "creatives"},
      {"creative_assets", "creative_assets"}, {"drafts", "campaign_drafts"}, {"ai_generations", "ai_generations"}};
  return tables.at(entity);
}

}  // namespace

TEST_CASE("every spelling of every field: each column holds what the fixture says, field by field") {
  PinnedClock clock;
  Store s;
  json report = s.ok("legacy.import", {{"entries", dump_entries("spellings")}});
  const json columns = manifest("spellings")["checks"][0]["columns"];
  REQUIRE(columns.size() > 400);
  for (const json& c : columns) {
    INFO(c.dump());
    const std::string row = row_for(s, c);
    if (c.contains("link")) {
      CHECK(s.rows("SELECT link FROM legacy_id_map WHERE row_id = ?", {row})[0]["link"] == row_for(s, c["link"]));
      continue;
    }
    const json got = column(s, table_for(c["entity"]), c["column"], row);
    if (c.contains("row")) CHECK(got == row_for(s, c["row"]));
    else if (c["expected"].is_object() || c["expected"].is_array()) CHECK(json::parse(got.get<std::string>()) == c["expected"]);
    else CHECK(got == c["expected"]);
  }
  // Nothing ignored, and each disagreement between spellings counted where it happened.
  CHECK(report["fieldsIgnored"] == json::object());
  CHECK(report["source"]["field_conflicts"] == manifest("spellings")["report"]["field_conflicts"]);
  CHECK(report["ok"] == false);  // the conflicting spellings lost their values
}

TEST_CASE("dates: every format to its UTC instant; local time through the browser's zone; the raw text kept") {
  PinnedClock clock;
  Store s;
  // A browser one hour east of UTC all year (offsetMinutes: +60).
  s.ok("legacy.import", {{"entries", dump_entries("dates")}, {"timeZone", {{"offsetMinutes", 60}}}});
  const json checks = manifest("dates")["checks"][0]["dates"];
  REQUIRE(checks.size() == 15);
  const std::int64_t hour = 3600000;
  for (const json& c : checks) {
    const std::string id = c["product"];
    INFO(id << " raw " << c["raw"].dump());
    const std::string row = row_of(s, "products", id);
    const std::string created = column(s, "products", "created_at", row);
    const std::string kind = c["kind"];
    if (!c["utc_ms"].is_null()) {
      CHECK(created == cs::clock::iso(c["utc_ms"].get<std::int64_t>()));
    } else if (kind.find("local") != std::string::npos || kind.find("datetime-local") != std::string::npos) {
      // Wall-clock 2025-11-24 15:04[:05] in UTC+1 is 14:04[:05]Z.
      const std::int64_t wall = kind.find("datetime-local") != std::string::npos ? 1763996640000 : 1763996645000;
      CHECK(created == cs::clock::iso(wall - hour));
    } else {
      CHECK(created == cs::clock::now_iso());  // no instant in the text: migration time
    }
    // The original value is kept as it was.
    json original = json::parse(s.rows("SELECT original FROM legacy_id_map WHERE row_id = ?", {row})[0]["original"].get<std::string>());
    if (c["raw"].is_null()) CHECK(original["createdAt"].is_null());
    else CHECK(original["createdAt"] == c["raw"]);
  }
}

TEST_CASE("dates: a zone with a DST change converts each local time with its own offset") {
  PinnedClock clock;
  Store s;
  // Europe/Berlin 2025: +60 until 2025-03-30T01:00Z, +120 until 2025-10-26T01:00Z, then +60.
  json tz = {{"transitions", {{0, 60}, {1743296400000, 120}, {1761440400000, 60}}}};
  json products = json::array({{{"id", "summer"}, {"name", "s"}, {"createdAt", "7/1/2025, 12:00:00 PM"}},
                               {{"id", "winter"}, {"name", "w"}, {"createdAt", "24.11.2025, 12:00:00"}}});
  s.ok("legacy.import", {{"entries", {{{"key", "products"}, {"value", products.dump()}}}}, {"timeZone", tz}});
  CHECK(column(s, "products", "created_at", row_of(s, "products", "summer")) == "2025-07-01T10:00:00.000Z");
  CHECK(column(s, "products", "created_at", row_of(s, "products", "winter")) == "2025-11-24T11:00:00.000Z");
}

TEST_CASE("prices: numbers, numeric and currency strings to cents; nonsense to NULL; raw kept") {
  PinnedClock clock;
  Store s;
  s.ok("legacy.import", {{"entries", dump_entries("strings-for-numbers")}});
  const json checks = manifest("strings-for-numbers")["checks"][1]["prices"];
  for (const json& c : checks) {
    const std::string id = c["id"].is_string() ? c["id"].get<std::string>() : c["id"].dump();
    INFO("product " << id << " raw " << c["raw"].dump());
    const json price = column(s, "products", "price", row_of(s, "products", id));
    if (c["amount"].is_null()) CHECK(price.is_null());
    else CHECK(price == std::llround(c["amount"].get<double>() * 100));
  }
}

TEST_CASE("references resolve by canonical id: number vs string, no trimming or case folding, first occurrence") {
  PinnedClock clock;
  Store s;
  s.ok("legacy.import", {{"entries", dump_entries("strings-for-numbers")}});
  // Campaigns whose adData.productId resolved point at that product.
  json linked = s.rows(
      "SELECT json_extract(c.legacy_data, '$.adData.productId') AS ref, m.legacy_id AS target FROM campaigns c "
      "JOIN legacy_id_map m ON m.row_id = c.product_id WHERE c.source = 'legacy'");
  std::set<std::string> targets;
  for (const json& r : linked) targets.insert(r["target"]);
  CHECK(targets == std::set<std::string>{"1700000000001", "42", "0", "1700000000000.123"});

  Store d;
  d.ok("legacy.import", {{"entries", dump_entries("duplicate-ids")}});
  // Both "42"s (42 and "42") are rows, and so are both 1700000000100s.
  CHECK(d.count("SELECT count(*) FROM legacy_id_map WHERE entity = 'products' AND legacy_id = '42'") == 2);
  auto first = [&](const std::string& id) {
    return d.rows("SELECT row_id FROM legacy_id_map WHERE entity = 'products' AND legacy_id = ? ORDER BY ordinal LIMIT 1",
                  json::array({id}))[0]["row_id"].get<std::string>();
  };
  // Campaign 5 (the first of two) refers to the first 1700000000100.
  CHECK(d.count("SELECT count(*) FROM campaigns WHERE product_id = ?", json::array({first("1700000000100")})) == 1);
  // g1 names img_b, which only the second occurrence has: not linked. g3 links to the first "42".
  auto link_of = [&](const std::string& gen) {
    return d.rows("SELECT link FROM legacy_id_map WHERE entity = 'ai_generations' AND legacy_id = ?", json::array({gen}))[0]["link"];
  };
  CHECK(link_of("g1").is_null());
  CHECK(d.rows("SELECT product_id FROM product_images WHERE id = ?", json::array({link_of("g3")}))[0]["product_id"] == first("42"));
}

TEST_CASE("data: URLs: one blob per decoded content, label kept per reference, bytes readable through the slot") {
  PinnedClock clock;
  Store s;
  json report = s.ok("legacy.import", {{"entries", dump_entries("data-urls")}});
  // a, b (labelled jpeg), c (name parameter), d (line breaks), e (no padding): one PNG.
  json urls = s.rows("SELECT m.legacy_id AS id, i.url AS url FROM product_images i JOIN legacy_id_map m ON m.row_id = i.id "
                     "ORDER BY m.legacy_id");
  std::map<std::string, std::string> by_id;
  for (const json& r : urls) by_id[r["id"]] = r["url"];
  const std::string png = by_id["a"].substr(12, 64);
  for (const char* id : {"a", "b", "c", "d", "e"}) CHECK(by_id[id].substr(0, 76) == "blob:sha256:" + png);
  CHECK(by_id["b"].substr(77) == "image/jpeg;base64");            // the label, as the app wrote it
  CHECK(by_id["c"].substr(77) == "image/png;name=photo%20one.png;base64");
  CHECK(by_id["i"] == "blob:http://localhost:5173/0b7f3c9e-2f6d-4c1a-9a57-3f2e8f7d6c5b");  // not fetched, kept
  CHECK(by_id["j"] == "https://cdn.example.com/j.webp");

  json info = s.ok("blobs.info", {{"hash", by_id["b"]}});
  CHECK(info["mime"] == "image/png");  // sniffed from the bytes, not the label
  CHECK(s.ok("blobs.info", {{"hash", by_id["f"]}})["mime"] == "image/jpeg");
  CHECK(s.ok("blobs.info", {{"hash", by_id["g"]}})["mime"] == "image/svg+xml");
  CHECK(s.ok("blobs.info", {{"hash", by_id["h"]}})["mime"] == "image/svg+xml");

  // blobs.get stages the bytes in the export slot (the binary path).
  json got = s.ok("blobs.get", {{"hash", png}});
  auto& slot = s.d.session().export_slot();
  REQUIRE(slot.size() == static_cast<std::size_t>(got["size"].get<std::int64_t>()));
  CHECK(cs::Sha256::hex(slot.data(), slot.size()) == png);
  CHECK(std::string(reinterpret_cast<const char*>(slot.data()), 4) == "\x89PNG");
  slot.reset();
  CHECK(s.call("blobs.get", {{"hash", std::string(64, '0')}})["error"]["code"] == "NOT_FOUND");
  CHECK(report["source"]["data_url_blobs"] == manifest("data-urls")["expected"]["data_url_blobs"]);
}

TEST_CASE("unicode: strings round-trip byte-exactly; NFC and NFD ids stay distinct") {
  PinnedClock clock;
  Store s;
  s.ok("legacy.import", {{"entries", dump_entries("unicode")}});
  const json checks = manifest("unicode")["checks"];
  CHECK(s.count("SELECT count(*) FROM legacy_id_map WHERE entity = 'products' AND legacy_id IN (?, ?)",
                {"prod_caf\xC3\xA9", "prod_cafe\xCC\x81"}) == 2);
  for (const json& c : checks[1]["strings"]) {
    INFO(c.dump());
    const std::string row = row_of(s, "products", c["product"]);
    cs::Statement st(s.d.session().db(), "SELECT \"" + c["field"].get<std::string>() + "\" FROM products WHERE id = ?");
    st.bind(1, std::string_view(row));
    REQUIRE(st.step());
    CHECK(hex(std::string(st.column_text_view(0))) == c["utf8_hex"]);
  }
}

TEST_CASE("images given as strings: rows per product as the manifest counts them") {
  PinnedClock clock;
  Store s;
  s.ok("legacy.import", {{"entries", dump_entries("images-as-string")}});
  const json rows = manifest("images-as-string")["checks"][0]["rows"];
  for (auto it = rows.begin(); it != rows.end(); ++it) {
    INFO(it.key());
    CHECK(s.count("SELECT count(*) FROM product_images WHERE product_id = ?", {row_of(s, "products", it.key())}) == it.value());
  }
}

TEST_CASE("drafts: the newer of full and minimal wins, the other fills in what it lacks; links by key id") {
  PinnedClock clock;
  Store s;
  s.ok("legacy.import", {{"entries", dump_entries("drafts")}});
  auto draft = [&](const std::string& id) {
    json r = s.rows("SELECT d.step_data AS data, d.campaign_id AS campaign FROM campaign_drafts d JOIN legacy_id_map m "
                    "ON m.row_id = d.id WHERE m.entity = 'drafts' AND m.legacy_id = ?", {id});
    REQUIRE(r.size() == 1);
    return json{{"data", json::parse(r[0]["data"].get<std::string>())}, {"campaign", r[0]["campaign"]}};
  };
  // Minimal newer: it wins (isMinimal), and the product's images come back from the full one.
  json merged = draft("campaign_1700000002000");
  CHECK(merged["data"]["isMinimal"] == true);
  CHECK(merged["data"]["stepData"]["product"]["images"].is_array());
  CHECK_FALSE(merged["data"]["stepData"]["product"]["images"].empty());
  // Links: V2, legacy (number id), and an orphan whose inner campaignId names a V2 campaign.
  auto source_of = [&](const json& d) {
    return s.rows("SELECT source FROM campaigns WHERE id = ?", {d["campaign"]})[0]["source"].get<std::string>();
  };
  CHECK(source_of(draft("campaign_1700000001000")) == "v2");
  CHECK(source_of(draft("1700000003000")) == "legacy");
  json orphan = draft("campaign_1700000006666");
  CHECK(s.count("SELECT count(*) FROM legacy_id_map WHERE entity = 'orphan_drafts' AND row_id = ?", {orphan["campaign"]}) == 1);
  CHECK(s.rows("SELECT status FROM campaigns WHERE id = ?", {orphan["campaign"]})[0]["status"] == "draft");
}

TEST_CASE("sample data is marked and can be deleted as a group") {
  PinnedClock clock;
  Store s;
  s.ok("legacy.import", {{"entries", dump_entries("unknown-fields")}});
  const std::int64_t real = s.count("SELECT count(*) FROM products");
  const std::int64_t samples = s.count("SELECT count(*) FROM products WHERE json_extract(metadata, '$.isSample') = 1");
  CHECK(samples == manifest("unknown-fields")["expected"]["sample_products"]);
  json removed = s.ok("legacy.deleteSample");
  CHECK(removed["products"] == samples);
  CHECK(s.count("SELECT count(*) FROM products") == real - samples);
  CHECK(s.count("SELECT count(*) FROM campaigns WHERE source = 'sample'") == 0);
}

TEST_CASE("values that are not JSON are kept verbatim and reported, never dropped") {
  PinnedClock clock;
  Store s;
  const json entries = dump_entries("truncated");
  json report = s.ok("legacy.import", {{"entries", entries}});
  for (const json& e : entries) {
    if (report["keys"][e["key"].get<std::string>()]["status"] != "unparsed") continue;
    CHECK(s.rows("SELECT raw FROM legacy_sources WHERE key = ?", {e["key"]})[0]["raw"] == e["value"]);
  }
  // A key holding bytes that are not UTF-8 (the staged path) is kept and never released.
  cs::Dispatcher& d = s.d;
  const std::string bad = "[\"\xff\xfe\"]";
  unsigned char* p = d.session().import_slot().allocate(bad.size());
  std::memcpy(p, bad.data(), bad.size());
  json r = json::parse(d.call("legacy.import", json{{"entries", {{{"key", "backgrounds"}, {"bytes", bad.size()}}}}}.dump()));
  REQUIRE(r["ok"] == true);
  CHECK(r["result"]["keys"]["backgrounds"]["status"] == "unparsed");
  CHECK(r["result"]["keys"]["backgrounds"]["lossy"] == true);
}

TEST_CASE("value hashes are XXH64 (known vectors), the change detector of legacy_sources") {
  CHECK(cs::legacy::value_hash("") == "xxh64:ef46db3751d8e999");
  CHECK(cs::legacy::value_hash("a") == "xxh64:d24ec4f1a98c6e5b");
  CHECK(cs::legacy::value_hash("abc") == "xxh64:44bc2cf5ad770999");
  CHECK(cs::legacy::value_hash("Nobody inspects the spammish repetition") == "xxh64:fbcea83c8a378bf1");
  std::string bytes;
  for (int r = 0; r < 5; ++r)
    for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  bytes += "xyz";
  CHECK(cs::legacy::value_hash(bytes) == "xxh64:afd18a3957d3670a");
}

TEST_CASE("values nested deeper than the walkers allow are unparsed (too-deep), not a crash") {
  Store s;
  const std::string deep = std::string(5000, '[') + std::string(5000, ']');
  json report = s.ok("legacy.import", {{"entries", {{{"key", "products"}, {"value", deep}}}}});
  CHECK(report["keys"]["products"]["status"] == "unparsed");
  CHECK(report["keys"]["products"]["reason"] == "too-deep");
  CHECK(s.rows("SELECT raw FROM legacy_sources WHERE key = 'products'")[0]["raw"] == deep);
  const std::string cut = std::string(100000, '[');  // truncated and deep: diagnosed without recursion
  report = s.ok("legacy.import", {{"entries", {{{"key", "campaigns"}, {"value", cut}}}}});
  CHECK(report["keys"]["campaigns"]["reason"] == "truncated");
}

TEST_CASE("a lone surrogate escape (valid for JSON.parse, not for UTF-8) migrates with U+FFFD, marked lossy") {
  Store s;
  json report = s.ok("legacy.import", {{"entries", {{{"key", "products"}, {"value", R"([{"id":"a","name":"x\ud800y"}])"}}}}});
  CHECK(report["keys"]["products"]["status"] == "migrated");
  CHECK(report["keys"]["products"]["lossy"] == true);
  CHECK(s.rows("SELECT name FROM products")[0]["name"] == "x\xEF\xBF\xBDy");
  json released = s.ok("legacy.release", {{"entries", {{{"key", "products"}, {"value", R"([{"id":"a","name":"x\ud800y"}])"}}}}});
  CHECK(released["release"].empty());
}

TEST_CASE("odd keys: look-alike keys are left alone and named, the draft with an empty id migrates and is named") {
  PinnedClock clock;
  Store s;
  const json entries = dump_entries("lookalike-keys");
  json report = s.ok("legacy.import", {{"entries", entries}});
  const json check = manifest("lookalike-keys")["checks"][0];
  std::map<std::string, std::string> lookalike;
  std::set<std::string> empty_id;
  for (const json& w : report["warnings"]) {
    if (w["code"] == "LOOKALIKE_KEY") lookalike[w["key"]] = w["resembles"];
    if (w["code"] == "DRAFT_EMPTY_ID") empty_id.insert(w["key"].get<std::string>());
  }
  CHECK(json(lookalike) == check["lookalike"]);
  CHECK(json(empty_id) == check["empty_id"]);
  CHECK(report["ok"] == true);  // naming them is not a loss
  // The draft of no campaign: one row from both keys, with a draft campaign of its own.
  json draft = s.rows("SELECT d.step_data AS data, c.name AS name, c.status AS status FROM campaign_drafts d "
                      "JOIN legacy_id_map m ON m.row_id = d.id JOIN campaigns c ON c.id = d.campaign_id "
                      "WHERE m.entity = 'drafts' AND m.legacy_id = ''");
  REQUIRE(draft.size() == 1);
  CHECK(draft[0]["name"] == "Untitled draft");
  CHECK(draft[0]["status"] == "draft");
  // Placeholder ids ("undefined", "null") are named too.
  Store t;
  json missing = t.ok("legacy.import", {{"entries", dump_entries("missing-ids")}});
  std::set<std::string> placeholders;
  for (const json& w : missing["warnings"])
    if (w["code"] == "DRAFT_PLACEHOLDER_ID") placeholders.insert(w["key"].get<std::string>());
  CHECK(placeholders == std::set<std::string>{"campaign_draft_undefined", "campaign_minimal_null"});
}
