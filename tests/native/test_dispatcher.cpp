// The one door: envelopes, error codes, batches and change notifications.
#include "api/session.hpp"
#include "campaign_store/dispatcher.hpp"
#include "json/json_text.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using cs::Dispatcher;
using cs::json;

namespace {
json call(Dispatcher& d, const char* op, const json& args = json::object()) {
  return json::parse(d.call(op, args.dump()));
}
std::string error_code(const json& envelope) {
  REQUIRE(envelope["ok"] == false);
  return envelope["error"]["code"].get<std::string>();
}
json opened() { return json::object(); }
}  // namespace

TEST_CASE("ping and version answer without a database") {
  Dispatcher d;
  json pong = call(d, "ping", {{"echo", {1, "two"}}});
  CHECK(pong["ok"] == true);
  CHECK(pong["result"]["echo"] == json::array({1, "two"}));
  json v = call(d, "version");
  CHECK(v["result"]["sqlite"] == "3.53.2");
}

TEST_CASE("unknown op, malformed JSON and wrong argument types get codes") {
  Dispatcher d;
  CHECK(error_code(call(d, "no.such.op")) == "NOT_FOUND");
  CHECK(error_code(json::parse(d.call("ping", "{not json"))) == "INVALID_ARGUMENT");
  CHECK(error_code(json::parse(d.call("ping", "[1,2]"))) == "INVALID_ARGUMENT");
  json e = call(d, "sql.query", {{"sql", "SELECT 1"}});
  CHECK(error_code(e) == "INVALID_ARGUMENT");  // not open yet
  CHECK(e["error"]["message"].get<std::string>().find("open") != std::string::npos);
  call(d, "open");
  json wrong = call(d, "sql.query", {{"sql", 12}});
  CHECK(error_code(wrong) == "INVALID_ARGUMENT");
  CHECK(wrong["error"]["details"]["field"] == "sql");
}

TEST_CASE("the status and changes beside the answer agree with its envelope") {
  Dispatcher d;
  // Each call: its envelope, then what the dispatcher keeps beside it.
  auto check = [&d](const char* op, const std::string& args, bool ok, std::vector<std::string> changes) {
    const json envelope = json::parse(d.call(op, args));
    CHECK(envelope["ok"] == ok);
    CHECK(d.answered_ok() == ok);
    CHECK(d.answer_changes() == changes);
    if (changes.empty()) CHECK_FALSE(envelope.contains("changes"));
    else CHECK(envelope["changes"] == json(changes));
  };
  check("ping", "{}", true, {});
  check("no.such.op", "{}", false, {});
  check("ping", "{not json", false, {});
  check("open", "{}", true, {"sync_state"});  // opening writes the sync bookkeeping's first row
  check("sql.exec", R"j({"sql":"CREATE TABLE t(x)"})j", true, {});
  check("sql.exec", R"j({"sql":"CREATE TABLE u(x)"})j", true, {});
  check("sql.exec", R"j({"sql":"INSERT INTO t VALUES (1)"})j", true, {"t"});
  check("batch",
        R"j({"ops":[{"op":"sql.exec","args":{"sql":"INSERT INTO u VALUES (1)"}},)j"
        R"j({"op":"sql.exec","args":{"sql":"INSERT INTO t VALUES (2)"}}]})j",
        true, {"t", "u"});
  // A failed call commits nothing and reports no change, even after one that did.
  check("sql.exec", R"j({"sql":"INSERT INTO nope VALUES (1)"})j", false, {});
  check("sql.query", R"j({"sql":"SELECT count(*) AS n FROM t"})j", true, {});
}

TEST_CASE("a parameterized query round-trips through the envelope") {
  Dispatcher d;
  REQUIRE(call(d, "open")["ok"] == true);
  REQUIRE(call(d, "sql.exec", {{"sql", "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT)"}})["ok"] == true);
  json ins = call(d, "sql.exec", {{"sql", "INSERT INTO t(name) VALUES (?), (?)"},
                                  {"params", {"Robert'); DROP TABLE t;--", "ok"}}});
  CHECK(ins["result"]["changes"] == 2);
  CHECK(ins["changes"] == json::array({"t"}));
  json q = call(d, "sql.query", {{"sql", "SELECT id, name FROM t WHERE name = :n"},
                                 {"params", {{"n", "Robert'); DROP TABLE t;--"}}}});
  CHECK(q["result"]["columns"] == json::array({"id", "name"}));
  CHECK(q["result"]["rows"] == json::array({{{"id", 1}, {"name", "Robert'); DROP TABLE t;--"}}}));
  CHECK_FALSE(q.contains("changes"));  // reads touch nothing
}

TEST_CASE("sql.query refuses writes") {
  Dispatcher d;
  call(d, "open");
  call(d, "sql.exec", {{"sql", "CREATE TABLE t(x)"}});
  CHECK(error_code(call(d, "sql.query", {{"sql", "INSERT INTO t VALUES (1)"}})) == "INVALID_ARGUMENT");
  json count = call(d, "sql.query", {{"sql", "SELECT count(*) AS n FROM t"}});
  CHECK(count["result"]["rows"][0]["n"] == 0);
}

TEST_CASE("a batch is atomic and names the failing step") {
  Dispatcher d;
  call(d, "open");
  call(d, "sql.exec", {{"sql", "CREATE TABLE t(x INTEGER NOT NULL)"}});
  json bad = call(d, "batch", {{"ops", {{{"op", "sql.exec"}, {"args", {{"sql", "INSERT INTO t VALUES (1)"}}}},
                                        {{"op", "sql.exec"}, {"args", {{"sql", "INSERT INTO t VALUES (NULL)"}}}}}}});
  CHECK(error_code(bad) == "CONSTRAINT");
  CHECK(bad["error"]["details"]["index"] == 1);
  CHECK_FALSE(bad.contains("changes"));
  CHECK(call(d, "sql.query", {{"sql", "SELECT count(*) AS n FROM t"}})["result"]["rows"][0]["n"] == 0);

  json good = call(d, "batch", {{"ops", {{{"op", "sql.exec"}, {"args", {{"sql", "INSERT INTO t VALUES (1)"}}}},
                                         {{"op", "sql.query"}, {"args", {{"sql", "SELECT count(*) AS n FROM t"}}}}}}});
  REQUIRE(good["ok"] == true);
  CHECK(good["result"][1]["rows"][0]["n"] == 1);  // later steps see earlier ones
  CHECK(good["changes"] == json::array({"t"}));
}

TEST_CASE("the op table lists every op with its argument shape") {
  Dispatcher d;
  json ops = call(d, "ops")["result"];
  REQUIRE(ops.is_array());
  bool has_query = false;
  for (const auto& op : ops) {
    CHECK_FALSE(op["args"].get<std::string>().empty());
    if (op["op"] == "sql.query") has_query = true;
  }
  CHECK(has_query);
}

TEST_CASE("TEXT that is not UTF-8 is refused in an answer, naming where; its bytes are a BLOB away") {
  Dispatcher d;
  call(d, "open");
  json r = call(d, "sql.query", {{"sql", "SELECT CAST(x'ff41' AS TEXT) AS s"}});
  CHECK(error_code(r) == "INVALID_ARGUMENT");
  CHECK(r["error"]["details"]["field"] == "rows[0].s");
  json bytes = call(d, "sql.query", {{"sql", "SELECT CAST(CAST(x'ff41' AS TEXT) AS BLOB) AS s"}});
  REQUIRE(bytes["ok"] == true);
  CHECK(d.answer_values().bytes == "\xff\x41");
}
