// Helpers the sync engine's native tests share: reading the database,
// answering the engine's requests as a server would, and making clocks.
#pragma once

#include "db/database.hpp"
#include "api/session.hpp"
#include "campaign_store/dispatcher.hpp"
#include "sync/hlc.hpp"
#include "sync/sync.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <string>

namespace sync_test {

using cs::json;

inline std::int64_t count(cs::Database& db, const std::string& sql) {
  cs::Statement q(db, sql);
  q.step();
  return q.column_int(0);
}

// The first column of the first row, "<null>" for NULL.
inline std::string text(cs::Database& db, const std::string& sql) {
  cs::Statement q(db, sql);
  REQUIRE(q.step());
  return q.column_is_null(0) ? "<null>" : q.column_text(0);
}

inline json respond(cs::sync::Engine& engine, const json& request, int status, const json& body) {
  return engine.apply_response({{"id", request["id"]}, {"status", status}, {"body", body}});
}

// The server's answer to a push: every change applied.
inline json applied_all(const json& push) {
  json results = json::array();
  for (const auto& c : push["body"]["changes"])
    results.push_back({{"mutation_id", c["mutation_id"]}, {"status", "applied"}});
  return {{"results", results}};
}

// A clock `ms` after now (the server's clocks are near the device's).
inline std::string soon(std::int64_t ms, const char* node = "remote") {
  char head[32];
  std::snprintf(head, sizeof head, "%013lld-00000-", static_cast<long long>(cs::wall_clock_ms() + ms));
  return head + std::string(node);
}

// A change as the server sends it: rows carry their owner.
inline json remote(const std::string& table, const std::string& id, const std::string& clock, json row, const std::string& user,
                   bool deleted = false) {
  if (row.is_object() && !row.contains("user_id")) row["user_id"] = user;
  return {{"table", table}, {"id", id}, {"hlc", clock}, {"deleted", deleted}, {"row", row}};
}

// The result of `op` through the door, which must succeed.
inline json call_ok(cs::Dispatcher& d, const char* op, const json& args = json::object()) {
  json envelope = json::parse(d.call(op, args.dump()));
  INFO(op << " " << envelope.dump());
  REQUIRE(envelope["ok"] == true);
  return envelope["result"];
}

}  // namespace sync_test
