// A re-migrated products key writes only the products whose text changed.
// Whatever the old app did to the list in between (edit, insert, delete,
// move, null out, duplicate an id, edit an image), the database and the
// report must be exactly what re-reading every product gives
// (incremental: false), and the report's source side what a first
// migration of the new value gives. Seeded random edits, bounded in count.
#include "test_legacy_support.hpp"

#include "legacy/internal.hpp"

using namespace test_legacy;

namespace {

// Every product list of the committed fixtures, one after the other.
ojson base_products() {
  ojson all = ojson::array();
  for (const char* name : {"duplicate-ids", "missing-ids", "nulls", "images-as-string", "spellings", "strings-for-numbers",
                           "unicode", "unknown-fields", "dates"}) {
    for (const json& e : dump_entries(name))
      if (e["key"] == "products")
        for (ojson& p : ojson::parse(e["value"].get<std::string>())) all.push_back(std::move(p));
  }
  return all;
}

struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
  std::size_t below(std::size_t n) { return n ? static_cast<std::size_t>(next() % n) : 0; }
};

std::string describe_and_edit(ojson& list, Rng& rng, int round) {
  const std::size_t n = list.size();
  const std::size_t i = rng.below(n), j = rng.below(n);
  switch (rng.below(8)) {
    case 0:
      if (list[i].is_object()) list[i]["name"] = "edited " + std::to_string(round);
      return "rename " + std::to_string(i);
    case 1: list.insert(list.begin() + static_cast<std::ptrdiff_t>(j), list[i]); return "copy " + std::to_string(i);
    case 2: list.erase(list.begin() + static_cast<std::ptrdiff_t>(i)); return "delete " + std::to_string(i);
    case 3: std::swap(list[i], list[j]); return "swap " + std::to_string(i) + " " + std::to_string(j);
    case 4: list[i] = nullptr; return "null " + std::to_string(i);
    case 5:
      if (list[i].is_object() && list[j].is_object() && list[j].contains("id")) list[i]["id"] = list[j]["id"];
      return "same id " + std::to_string(i) + " " + std::to_string(j);
    case 6:
      if (list[i].is_object() && list[i].contains("images") && list[i]["images"].is_array() && !list[i]["images"].empty())
        list[i]["images"].erase(list[i]["images"].begin());
      return "drop image " + std::to_string(i);
    default:
      if (list[i].is_object()) list[i]["images"] = ojson::array({{{"id", "new_" + std::to_string(round)}, {"url", "https://x/n.png"}}});
      return "new image " + std::to_string(i);
  }
}

json products_entry(const ojson& list) { return json::array({{{"key", "products"}, {"value", list.dump()}}}); }

// The map entries of the products group, row ids named by their slots.
std::string map_of(Store& s) {
  std::vector<std::string> lines;
  const auto name = s.namer();
  for (const json& r : s.rows("SELECT entity, slot, legacy_json, ordinal, stale, original, row_id FROM legacy_id_map "
                              "WHERE group_key = 'products'"))
    lines.push_back(name(r.dump()));
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

}  // namespace

TEST_CASE("re-migrating a products key the old app changed: only changed products are written, same result as rewriting all") {
  PinnedClock clock;
  const ojson base = base_products();
  REQUIRE(base.size() > 40);
  Rng rng{0x5eed0f15};
  for (int round = 0; round < 30; ++round) {
    Store incremental, full;
    incremental.ok("legacy.import", {{"entries", products_entry(base)}});
    full.ok("legacy.import", {{"entries", products_entry(base)}});
    // Three re-migrations in a row: each starts from the counts the last one kept.
    ojson edited = base;
    std::string what;
    for (int step = 0; step < 3; ++step) {
      const int edits = 1 + static_cast<int>(rng.below(4));
      for (int e = 0; e < edits; ++e) what += describe_and_edit(edited, rng, round * 10 + step) + "; ";
      what += "| ";
      INFO("round " << round << ": " << what);
      json a = incremental.ok("legacy.import", {{"entries", products_entry(edited)}});
      json b = full.ok("legacy.import", {{"entries", products_entry(edited)}, {"incremental", false}});
      Store fresh;
      json c = fresh.ok("legacy.import", {{"entries", products_entry(edited)}});
      CHECK(a["errors"] == json::array());
      CHECK(incremental.canonical() == full.canonical());
      CHECK(map_of(incremental) == map_of(full));
      for (const char* f : {"source", "legacyIds", "retained", "loss", "fieldsIgnored", "ok"}) {
        INFO(f);
        CHECK(a.value(f, json()) == b.value(f, json()));
      }
      CHECK(a["source"] == c["source"]);  // the source side is the new value's, however the database got there
    }
    // Importing the same value again writes nothing.
    const std::string before = incremental.snapshot();
    incremental.ok("legacy.import", {{"entries", products_entry(edited)}});
    CHECK(incremental.snapshot() == before);
  }
}

TEST_CASE("an unchanged product is not written again: one edit writes one product's rows, not the whole key's") {
  PinnedClock clock;
  ojson list = base_products();
  std::size_t edited = 0;
  while (!list[edited].is_object()) ++edited;
  ojson changed = list;
  changed[edited]["name"] = "the only change";
  // Rows written by the re-migration (sqlite3_total_changes), incremental and not.
  auto written = [&](bool incremental) {
    Store s;
    s.ok("legacy.import", {{"entries", products_entry(list)}});
    sqlite3* db = s.d.session().db().handle();
    const int before = sqlite3_total_changes(db);
    s.ok("legacy.import", {{"entries", products_entry(changed)}, {"incremental", incremental}});
    return sqlite3_total_changes(db) - before;
  };
  const int one = written(true), all = written(false);
  INFO("incremental " << one << " rows, every product " << all);
  // One product: its row and map entries (and what triggers write for them:
  // outbox, search index), the key's source, the run log.
  CHECK(one < 40);
  CHECK(all > 5 * one);
  CHECK(all > static_cast<int>(list.size()));
}

TEST_CASE("a products key that becomes unreadable keeps its rows, counted as retained, and the report says so") {
  ojson list = base_products();
  Store s;
  json first = s.ok("legacy.import", {{"entries", products_entry(list)}});
  REQUIRE(first["errors"].empty());
  const std::int64_t rows = s.count("SELECT count(*) FROM products");
  REQUIRE(rows > 0);
  std::string truncated = list.dump();
  truncated.resize(truncated.size() / 2);
  for (bool incremental : {true, false}) {
    json report = s.ok("legacy.import", {{"entries", json::array({{{"key", "products"}, {"value", truncated}}})},
                                         {"incremental", incremental}});
    INFO(report.dump());
    CHECK(report["errors"].empty());  // no count mismatch: the old rows are not taken for this value's
    CHECK(report["ok"] == false);
    CHECK(report["source"]["products"] == 0);
    CHECK(report["retained"]["products"] == rows);
    CHECK(s.count("SELECT count(*) FROM products") == rows);
  }
}

TEST_CASE("migrated rows go out with this device's clock: each in the outbox, a re-migration's edit with a newer one") {
  ojson list = base_products();
  std::size_t edited = 0;
  while (!list[edited].is_object()) ++edited;
  Store s;
  s.ok("legacy.import", {{"entries", products_entry(list)}});
  for (const char* table : {"products", "product_images", "background_versions"}) {
    INFO(table);
    const std::int64_t rows = s.count(std::string("SELECT count(*) FROM ") + table);
    CHECK(rows > 0);
    CHECK(s.count("SELECT count(DISTINCT row_id) FROM sync_outbox WHERE table_name = ? AND op = 'upsert' AND hlc <> ''",
                  json::array({table})) == rows);
  }
  const std::string row = s.rows("SELECT row_id FROM legacy_id_map WHERE entity = 'products' AND ordinal = ?",
                                 json::array({static_cast<std::int64_t>(edited)}))[0]["row_id"];
  const std::string newest = s.rows("SELECT max(hlc) AS h FROM sync_outbox")[0]["h"];
  list[edited]["name"] = "renamed in the old app";
  s.ok("legacy.import", {{"entries", products_entry(list)}});
  CHECK(s.rows("SELECT name FROM products WHERE id = ?", json::array({row}))[0]["name"] == "renamed in the old app");
  const json edit = s.rows("SELECT hlc, changed FROM sync_outbox WHERE row_id = ? ORDER BY mutation_id DESC LIMIT 1",
                           json::array({row}))[0];
  CHECK(edit["hlc"].get<std::string>() > newest);
  CHECK(edit["changed"] == "|name|");
}

TEST_CASE("a batch refuses a row whose columns are not the first row's, writing nothing of it") {
  Store s;
  cs::legacy::RowBatch batch(s.d.session().db(), "legacy_id_map", {"entity", "slot"});
  using V = cs::legacy::Value;
  batch.add("", {{"entity", V::of(std::string("products"))}, {"slot", V::of(std::string("@0"))},
                 {"row_id", V::of(std::string("r0"))}, {"ordinal", V::of(std::int64_t{0})},
                 {"group_key", V::of(std::string("products"))}});
  try {
    // Same count, another column: it would land in group_key.
    batch.add("", {{"entity", V::of(std::string("products"))}, {"slot", V::of(std::string("@1"))},
                   {"row_id", V::of(std::string("r1"))}, {"ordinal", V::of(std::int64_t{1})},
                   {"notes", V::of(std::string("{}"))}});
    FAIL("expected a cs::Error");
  } catch (const cs::Error& e) {
    CHECK(e.code() == cs::Code::Internal);
  }
  batch.flush();
  CHECK(s.count("SELECT count(*) FROM legacy_id_map") == 1);
  CHECK(s.count("SELECT count(*) FROM legacy_id_map WHERE slot = '@1'") == 0);
}
