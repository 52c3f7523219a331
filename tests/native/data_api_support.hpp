// Shared by the data-API tests (test_products, test_campaigns, ...): a
// dispatcher with an open database, calls that unwrap the envelope, and a
// snapshot of every table to prove a rejected write changed nothing.
#pragma once

#include "api/session.hpp"
#include "campaign_store/dispatcher.hpp"

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <string>

namespace test_api {

using cs::json;

struct Api {
  cs::Dispatcher d;
  json last;  // the last envelope

  Api() { REQUIRE(call("open")["ok"] == true); }

  json call(const std::string& op, const json& args = json::object()) {
    last = json::parse(d.call(op, args.dump()));
    return last;
  }
  json ok(const std::string& op, const json& args = json::object()) {
    json r = call(op, args);
    INFO(op << " " << args.dump().substr(0, 300) << " -> " << r.dump().substr(0, 600));
    REQUIRE(r["ok"] == true);
    return r["result"];
  }
  json err(const std::string& op, const json& args = json::object()) {
    json r = call(op, args);
    INFO(op << " " << args.dump().substr(0, 300) << " -> " << r.dump().substr(0, 600));
    REQUIRE(r["ok"] == false);
    return r["error"];
  }
  // The error's code, after checking details.field when one is expected.
  std::string code(const std::string& op, const json& args, const char* field = nullptr) {
    json e = err(op, args);
    if (field != nullptr) {
      INFO(e.dump());
      CHECK(e["details"]["field"] == field);
    }
    return e["code"].get<std::string>();
  }

  // Every row of every table (FTS shadow tables and the sync outbox
  // included), as text: equal snapshots mean an unchanged database.
  std::string snapshot() {
    cs::Database& db = d.session().db();
    std::string out;
    cs::Statement tables(db, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name");
    std::vector<std::string> names;
    while (tables.step()) names.push_back(tables.column_text(0));
    for (const auto& name : names) {
      if (name.rfind("sqlite_", 0) == 0) continue;
      cs::Statement rows(db, "SELECT * FROM \"" + name + "\"");
      out += "# " + name + "\n";
      while (rows.step()) {
        for (int i = 0; i < rows.column_count(); ++i) {
          out += std::to_string(sqlite3_column_type(rows.handle(), i)) + ":";
          out += std::string(rows.column_text_view(i)) + "|";
        }
        out += "\n";
      }
    }
    return out;
  }

  // A call that must fail with `code` (naming `field`) and change nothing:
  // every table is compared before and after, and no change is reported.
  void rejects(const std::string& op, const json& args, const std::string& code, const char* field) {
    const std::string before = snapshot();
    INFO("rejected call: " << op << " " << args.dump().substr(0, 200));
    CHECK(this->code(op, args, field) == code);
    CHECK(snapshot() == before);
    CHECK_FALSE(last.contains("changes"));
  }

  // Tables the last call reported as changed, without the sync engine's
  // own bookkeeping (its outbox is written by triggers on every write).
  json changed() const {
    json out = json::array();
    if (!last.contains("changes")) return out;
    for (const auto& t : last["changes"])
      if (t.get<std::string>().rfind("sync_", 0) != 0) out.push_back(t);
    return out;
  }

  std::int64_t count(const std::string& table) {
    return ok("sql.query", {{"sql", "SELECT count(*) AS n FROM \"" + table + "\""}})["rows"][0]["n"].get<std::int64_t>();
  }
};

}  // namespace test_api
