// Shared by the legacy-migration tests (test_legacy*.cpp): the fixture dumps
// and manifests of tests/fixtures/, a dispatcher with an open database, and
// a canonical dump of the migrated tables in which every row id is replaced
// by the legacy slot it came from, so two migrations (different random UUIDs)
// can be compared for "the same database".
#pragma once

#include "model/clock.hpp"
#include "api/session.hpp"
#include "campaign_store/dispatcher.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace test_legacy {

using cs::json;
using ojson = nlohmann::ordered_json;

inline std::string fixtures_dir() {
  std::string here = __FILE__;  // .../tests/native/test_legacy_support.hpp
  return here.substr(0, here.rfind("/native/")) + "/fixtures/";
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A dump as {key, value} entries, in the file's key order.
inline json entries_of(const std::string& dump_text) {
  ojson dump = ojson::parse(dump_text);
  json entries = json::array();
  for (auto it = dump.begin(); it != dump.end(); ++it) entries.push_back({{"key", it.key()}, {"value", it.value()}});
  return entries;
}

inline json dump_entries(const std::string& name) { return entries_of(read_file(fixtures_dir() + "dumps/" + name + ".json")); }
inline json manifest(const std::string& name) {
  return json::parse(read_file(fixtures_dir() + "dumps/" + name + ".manifest.json"));
}

inline std::vector<std::string> adversarial_names() {
  return {"data-urls", "dates", "drafts", "duplicate-ids", "empty-arrays", "images-as-string", "json-in-strings",
          "lookalike-keys", "missing-ids", "not-json", "nulls", "spellings", "strings-for-numbers", "truncated", "unicode",
          "unknown-fields"};
}

struct Store {
  cs::Dispatcher d;
  json last;

  Store() { REQUIRE(call("open")["ok"] == true); }

  json call(const std::string& op, const json& args = json::object()) {
    last = json::parse(d.call(op, args.dump()));
    return last;
  }
  json ok(const std::string& op, const json& args = json::object()) {
    json r = call(op, args);
    INFO(op << " -> " << r.dump().substr(0, 1500));
    REQUIRE(r["ok"] == true);
    return r["result"];
  }
  json rows(const std::string& sql, const json& params = json::array()) {
    // {x} of one element is x itself in nlohmann's brace syntax.
    const json p = params.is_array() || params.is_object() ? params : json::array({params});
    return ok("sql.query", {{"sql", sql}, {"params", p}})["rows"];
  }
  std::int64_t count(const std::string& sql, const json& params = json::array()) {
    return rows(sql, params)[0].begin().value().get<std::int64_t>();
  }

  // Every table but the run log, as text (sync outbox included).
  std::string snapshot() {
    cs::Database& db = d.session().db();
    std::string out;
    cs::Statement tables(db, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name");
    std::vector<std::string> names;
    while (tables.step()) names.push_back(tables.column_text(0));
    for (const auto& name : names) {
      if (name.rfind("sqlite_", 0) == 0 || name == "legacy_runs") continue;
      cs::Statement rows(db, "SELECT * FROM \"" + name + "\"");
      out += "# " + name + "\n";
      while (rows.step()) {
        for (int i = 0; i < rows.column_count(); ++i) out += std::string(rows.column_text_view(i)) + "|";
        out += "\n";
      }
    }
    return out;
  }

  // Renames every row id in a text to the legacy slot its row came from
  // ("<entity:slot>", parents named the same way), as the map is now.
  std::function<std::string(const std::string&)> namer() {
    cs::Database& db = d.session().db();
    auto slot_of = std::make_shared<std::map<std::string, std::pair<std::string, std::string>>>();  // uuid -> (entity, slot)
    {
      cs::Statement m(db, "SELECT row_id, entity, slot FROM legacy_id_map");
      while (m.step()) (*slot_of)[m.column_text(0)] = {m.column_text(1), m.column_text(2)};
    }
    static const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    auto replace = [](const std::string& text, const std::function<std::string(const std::string&)>& f) {
      std::string out;
      std::sregex_iterator b(text.begin(), text.end(), uuid), e;
      std::size_t last = 0;
      for (auto m = b; m != e; ++m) {
        out += text.substr(last, static_cast<std::size_t>(m->position()) - last) + f(m->str());
        last = static_cast<std::size_t>(m->position() + m->length());
      }
      return out + text.substr(last);
    };
    auto name_of = std::make_shared<std::function<std::string(const std::string&, int)>>();
    *name_of = [slot_of, replace, name_of_weak = std::weak_ptr(name_of)](const std::string& id, int depth) -> std::string {
      auto it = slot_of->find(id);
      if (it == slot_of->end() || depth > 8) return id;
      auto self = name_of_weak.lock();
      return "<" + it->second.first + ":" + replace(it->second.second, [&](const std::string& u) { return (*self)(u, depth + 1); }) + ">";
    };
    return [name_of, replace](const std::string& text) { return replace(text, [&](const std::string& u) { return (*name_of)(u, 0); }); };
  }

  // The migrated tables with row ids named by their legacy slots; volatile
  // bookkeeping (hlc, seq, blob timestamps) left out.
  std::string canonical() {
    cs::Database& db = d.session().db();
    const auto name = namer();
    std::string out;
    const std::vector<std::pair<std::string, std::string>> tables = {
        {"products", "id, name, description, brand, category, price, sku, url, utm_codes, metadata, status, created_at, updated_at"},
        {"product_images", "id, product_id, url, file_name, alt_text, size, is_primary, metadata, created_at"},
        {"background_versions", "id, product_image_id, url, prompt, request_id, processing_time, metadata, is_active, created_at"},
        {"campaigns", "id, product_id, name, type, status, budget, currency, starts_at, ends_at, audience_config, "
                      "platform_config, creative_config, publish_config, legacy_data, source, created_at, updated_at"},
        {"campaign_drafts", "id, campaign_id, step_data, auto_saved_at, expires_at, created_at"},
        {"creatives", "id, campaign_id, name, format_id, format_name, width, height, elements, metadata, is_active"},
        {"creative_assets", "id, creative_id, type, url, content, metadata"},
        {"ai_generations", "id, type, prompt, service, request_id, response_data, processing_time, created_at"},
        {"blobs", "hash, size, mime"},
    };
    for (const auto& [table, cols] : tables) {
      std::vector<std::string> lines;
      cs::Statement rows(db, "SELECT " + cols + " FROM \"" + table + "\"");
      while (rows.step()) {
        std::string line;
        for (int i = 0; i < rows.column_count(); ++i) line += std::string(rows.column_text_view(i)) + "|";
        lines.push_back(line);
      }
      for (std::string& l : lines) l = name(l);
      std::sort(lines.begin(), lines.end());
      out += "# " + table + "\n";
      for (const auto& l : lines) out += l + "\n";
    }
    return out;
  }
};

// Fake time for the whole test: fallback dates and draft expiry are "now".
struct PinnedClock {
  PinnedClock() { cs::clock::set_fake_now(1764000000000); }
  ~PinnedClock() { cs::clock::set_fake_now(std::nullopt); }
};

}  // namespace test_legacy
