// The sans-I/O sync engine against a small schema of its own: capture, the
// push and pull requests it builds, and how it applies every kind of answer.
#include "model/schema.hpp"
#include "sync/sync.hpp"
#include "sync_test_support.hpp"

#include <catch2/catch.hpp>

using cs::Database;
using cs::json;
using cs::Statement;
namespace sync = cs::sync;

namespace {

std::vector<sync::TableSpec> toy_tables() {
  using K = sync::ColumnKind;
  return {
      {"parent", {{"id"}, {"name"}, {"price", K::Decimal, 2}, {"meta", K::Json}, {"active", K::Boolean}}},
      {"child", {{"id"}, {"parent_id"}, {"note"}}},
  };
}

const char* kToySchema =
    "CREATE TABLE parent(id TEXT PRIMARY KEY, name TEXT, price INTEGER, meta TEXT, active INTEGER);"
    "CREATE TABLE child(id TEXT PRIMARY KEY, parent_id TEXT REFERENCES parent(id) ON DELETE CASCADE, note TEXT);";

// A database with the sync tables (schema migrations) and the toy tables.
void make_toy_database(Database& db) {
  cs::schema::migrate(db);
  db.exec(kToySchema);
}

using sync_test::applied_all;
using sync_test::soon;

json remote(const char* table, const char* id, const std::string& clock, json row, bool deleted = false) {
  return sync_test::remote(table, id, clock, std::move(row), "user-a", deleted);
}

struct Fixture {
  Database db;
  sync::Engine engine{db, toy_tables()};
  Fixture() {
    make_toy_database(db);
    engine.install();
    engine.configure({{"userId", "user-a"}});
  }
  std::int64_t count(const char* sql) { return sync_test::count(db, sql); }
  json next() { return engine.next_request(); }
  json respond(const json& request, int status, const json& body) {
    return sync_test::respond(engine, request, status, body);
  }
};

const json kEmptyPull = {{"changes", json::array()}, {"cursor", "c0"}, {"has_more", false}};

}  // namespace

TEST_CASE("every local write is captured once per row, with increasing clocks") {
  Fixture f;
  f.db.exec("INSERT INTO parent VALUES ('p1', 'Shoe', 2999, '{\"a\":1}', 1);"
            "UPDATE parent SET name = 'Boot' WHERE id = 'p1';"
            "INSERT INTO child VALUES ('c1', 'p1', 'x');");
  CHECK(f.count("SELECT count(*) FROM sync_outbox") == 3);
  CHECK(f.engine.status()["pending"] == 2);  // two rows
  CHECK(f.count("SELECT count(*) FROM sync_outbox a JOIN sync_outbox b ON a.mutation_id < b.mutation_id AND a.hlc >= b.hlc") == 0);
  // A cascade through a key the server has too is the server's to apply:
  // only the parent's delete is captured.
  f.db.exec("DELETE FROM parent WHERE id = 'p1'");
  CHECK(f.count("SELECT count(*) FROM sync_outbox WHERE row_id = 'p1' AND op = 'delete'") == 1);
  CHECK(f.count("SELECT count(*) FROM sync_outbox WHERE row_id = 'c1' AND op = 'delete'") == 0);
  CHECK(f.count("SELECT count(*) FROM sync_cascade") == 0);
}

TEST_CASE("a push carries the newest state of each row, encoded for the server") {
  Fixture f;
  f.db.exec("INSERT INTO parent VALUES ('p1', 'Shoe', 2999, '{\"tags\":[\"a\"]}', 1);"
            "UPDATE parent SET price = 5 WHERE id = 'p1';");
  f.engine.begin();
  json push = f.next();
  REQUIRE(push["kind"] == "push");
  CHECK(push["path"] == "/rest/v1/rpc/sync_push");
  REQUIRE(push["body"]["changes"].size() == 1);
  const json& change = push["body"]["changes"][0];
  CHECK(change["op"] == "upsert");
  CHECK(change["row"] == json{{"id", "p1"}, {"name", "Shoe"}, {"price", "0.05"},
                              {"meta", {{"tags", {"a"}}}}, {"active", true}});
  CHECK(push["body"]["client_id"] == f.engine.status()["clientId"]);
}

TEST_CASE("applied changes leave the outbox; writes made meanwhile stay") {
  Fixture f;
  f.db.exec("INSERT INTO parent(id, name) VALUES ('p1', 'a'), ('p2', 'b')");
  f.engine.begin();
  json push = f.next();
  f.db.exec("UPDATE parent SET name = 'changed' WHERE id = 'p1'");  // after the push was built
  json summary = f.respond(push, 200, applied_all(push));
  CHECK(summary["applied"] == 2);
  CHECK(f.engine.status()["pending"] == 1);
  json again = f.next();
  REQUIRE(again["kind"] == "push");
  CHECK(again["body"]["changes"][0]["row"]["name"] == "changed");
}

TEST_CASE("a superseded change takes the winning row and records the conflict") {
  Fixture f;
  f.db.exec("INSERT INTO parent(id, name, price) VALUES ('p1', 'mine', 100)");
  f.engine.begin();
  json push = f.next();
  json winner{{"id", "p1"}, {"user_id", "user-a"}, {"name", "theirs"}, {"price", "12.30"}, {"hlc", soon(1000, "zz")}, {"deleted", false}};
  json summary = f.respond(push, 200, {{"results", {{{"mutation_id", push["body"]["changes"][0]["mutation_id"]},
                                                      {"status", "superseded"}, {"row", winner}}}}});
  CHECK(summary["superseded"] == 1);
  CHECK(summary["conflicts"][0]["winner"] == "remote");
  Statement row(f.db, "SELECT name, price FROM parent WHERE id = 'p1'");
  REQUIRE(row.step());
  CHECK(row.column_text(0) == "theirs");
  CHECK(row.column_int(1) == 1230);
  CHECK(f.engine.status()["pending"] == 0);  // applying the winner was not captured
  CHECK(f.engine.status()["conflicts"] == 1);
}

TEST_CASE("a rejected change is kept with its reason, not retried forever") {
  Fixture f;
  f.db.exec("INSERT INTO parent(id, name) VALUES ('p1', 'x')");
  f.engine.begin();
  json push = f.next();
  json summary = f.respond(push, 200, {{"results", {{{"mutation_id", push["body"]["changes"][0]["mutation_id"]},
                                                      {"status", "rejected"}, {"code", "UNAUTHORIZED"}, {"message", "not yours"}}}}});
  CHECK(summary["rejected"] == 1);
  CHECK(f.count("SELECT count(*) FROM sync_rejected WHERE code = 'UNAUTHORIZED' AND row LIKE '%\"x\"%'") == 1);
  CHECK(f.engine.status()["pending"] == 0);
  CHECK(f.count("SELECT count(*) FROM parent") == 1);  // the local row itself stays
}

TEST_CASE("failed requests change nothing and say how to retry") {
  Fixture f;
  f.db.exec("INSERT INTO parent(id, name) VALUES ('p1', 'x')");
  f.engine.begin();
  json push = f.next();
  CHECK(f.respond(push, 503, nullptr)["retry"] == "backoff");
  push = f.next();
  CHECK(f.respond(push, 0, nullptr)["retry"] == "backoff");  // network error
  push = f.next();
  CHECK(f.respond(push, 401, nullptr)["retry"] == "auth");
  CHECK(f.engine.status()["pending"] == 1);
  push = f.next();
  // A response to an older request is refused rather than misapplied.
  CHECK_THROWS_AS(f.engine.apply_response({{"id", push["id"].get<int>() - 1}, {"status", 200}, {"body", applied_all(push)}}),
                  cs::Error);
  // The retried push reuses the same mutation id: the server dedupes it.
  json retried = f.next();
  CHECK(retried["body"]["changes"][0]["mutation_id"] == push["body"]["changes"][0]["mutation_id"]);
}

TEST_CASE("pull applies rows and tombstones without capturing them, children before parents") {
  Fixture f;
  f.engine.begin();
  json pull = f.next();
  REQUIRE(pull["kind"] == "pull");
  CHECK(pull["body"]["cursor"].is_null());
  json page{{"changes", {
               remote("child", "c1", "0000000000001-00000-n", {{"id", "c1"}, {"parent_id", "p1"}, {"note", "early"}}),
               remote("parent", "p1", "0000000000002-00000-n",
                      {{"id", "p1"}, {"name", "n"}, {"price", 19.5}, {"meta", {{"k", 1}}}, {"active", false}}),
               {{"table", "future_table"}, {"id", "f1"}, {"hlc", "0000000000003-00000-n"}, {"row", {{"x", 1}}}},
           }},
           {"cursor", "c1"},
           {"has_more", true}};
  json summary = f.respond(pull, 200, page);
  CHECK(summary["applied"] == 2);
  CHECK(summary["parked"] == 1);  // the unknown table is kept, not dropped
  CHECK(f.engine.status()["pending"] == 0);
  Statement p(f.db, "SELECT price, meta, active FROM parent WHERE id = 'p1'");
  REQUIRE(p.step());
  CHECK(p.column_int(0) == 1950);
  CHECK(p.column_text(1) == R"({"k":1})");
  CHECK(p.column_int(2) == 0);

  json next = f.next();  // has_more: another page from the new cursor
  REQUIRE(next["kind"] == "pull");
  CHECK(next["body"]["cursor"] == "c1");
  f.respond(next, 200, {{"changes", {remote("child", "c1", "0000000000004-00000-n", nullptr, true)}},
                        {"cursor", "c2"}, {"has_more", false}});
  CHECK(f.count("SELECT count(*) FROM child") == 0);
  CHECK(f.next()["kind"] == "idle");
  CHECK_FALSE(f.engine.status()["lastSyncedAt"].is_null());
}

TEST_CASE("a pending local change wins over an older remote row and loses to a newer one") {
  Fixture f;
  f.db.exec("INSERT INTO parent(id, name) VALUES ('old', 'local'), ('new', 'local')");
  f.engine.begin();
  json push = f.next();
  // The server settles nothing (say it timed out inside): the cycle moves on
  // to pull with both local changes still pending.
  f.respond(push, 200, {{"results", json::array()}});
  json pull = f.next();
  REQUIRE(pull["kind"] == "pull");
  const std::string later = soon(60'000);
  json page{{"changes", {
               remote("parent", "old", "0000000000001-00000-remote", {{"id", "old"}, {"name", "remote"}}),
               remote("parent", "new", later, {{"id", "new"}, {"name", "remote"}}),
           }},
           {"cursor", "c1"},
           {"has_more", false}};
  json summary = f.respond(pull, 200, page);
  CHECK(summary["skipped"] == 1);
  CHECK(summary["applied"] == 1);
  Statement names(f.db, "SELECT group_concat(id || '=' || name, ',') FROM (SELECT * FROM parent ORDER BY id)");
  REQUIRE(names.step());
  CHECK(names.column_text(0) == "new=remote,old=local");
  // Only the winning local change is still to be pushed.
  CHECK(f.count("SELECT count(*) FROM sync_outbox WHERE row_id = 'old'") == 1);
  CHECK(f.count("SELECT count(*) FROM sync_outbox WHERE row_id = 'new'") == 0);
  CHECK(f.engine.status()["conflicts"] == 2);
  // Having seen a stamp from a clock ahead of ours, new local stamps order after it.
  f.db.exec("UPDATE parent SET name = 'again' WHERE id = 'new'");
  Statement stamp(f.db, "SELECT hlc FROM sync_outbox WHERE row_id = 'new'");
  REQUIRE(stamp.step());
  CHECK(stamp.column_text(0) > later);
}

TEST_CASE("one database per user: binding to a second user is refused") {
  Fixture f;
  try {
    f.engine.configure({{"userId", "user-b"}});
    FAIL("second user accepted");
  } catch (const cs::Error& e) {
    CHECK(e.code() == cs::Code::Unauthorized);
  }
  CHECK(f.engine.configure({{"userId", "user-a"}})["userId"] == "user-a");
}

TEST_CASE("the clock survives a restart even if the wall clock went back") {
  Database db;
  make_toy_database(db);
  // Ten minutes ahead: what this database issued before the wall clock was set back.
  const std::string high = soon(600'000, "old");
  db.cached("INSERT INTO sync_state VALUES ('hlc_high', ?)").bind(1, std::string_view(high)).run();
  sync::Engine engine(db, toy_tables());
  engine.install();
  db.exec("INSERT INTO parent(id) VALUES ('p')");
  Statement stamp(db, "SELECT hlc FROM sync_outbox");
  REQUIRE(stamp.step());
  CHECK(stamp.column_text(0).substr(0, 19) == high.substr(0, 14) + "00001");
}

TEST_CASE("HLC stamps order as text and parse back") {
  cs::Hlc clock("node");
  std::string a = clock.tick(1000), b = clock.tick(1000), c = clock.tick(999), d = clock.tick(2000);
  CHECK(a < b);
  CHECK(b < c);  // the wall clock went back: the counter carries order
  CHECK(c < d);
  auto parsed = cs::HlcStamp::parse(b);
  REQUIRE(parsed);
  CHECK(parsed->wall_ms == 1000);
  CHECK(parsed->counter == 1);
  CHECK(parsed->node == "node");
  CHECK_FALSE(cs::HlcStamp::parse("12-3-x"));
  CHECK_FALSE(cs::HlcStamp::parse("000000000000a-00000-x"));
}

TEST_CASE("a parent edited after its child was created is still pushed first") {
  Fixture f;
  f.engine.configure({{"userId", "user-a"}, {"pushBatch", 1}});
  f.db.exec("INSERT INTO parent(id, name) VALUES ('p', 'v1');"
            "INSERT INTO child VALUES ('c', 'p', 'x');"
            "UPDATE parent SET name = 'v2' WHERE id = 'p';");
  f.engine.begin();
  json first = f.next();
  REQUIRE(first["body"]["changes"].size() == 1);
  CHECK(first["body"]["changes"][0]["id"] == "p");
  CHECK(first["body"]["changes"][0]["row"]["name"] == "v2");  // its newest state
}

TEST_CASE("after a server reset, rows the full pull did not return are removed, pending ones kept") {
  Fixture f;
  f.engine.begin();
  json pull = f.next();  // nothing to push
  f.respond(pull, 200, {{"changes", {remote("parent", "gone", "0000000000001-00000-n", {{"id", "gone"}, {"name", "x"}}),
                                     remote("parent", "kept", "0000000000001-00001-n", {{"id", "kept"}, {"name", "x"}})}},
                        {"cursor", "c1"}, {"has_more", false}});
  f.db.exec("INSERT INTO parent(id, name) VALUES ('mine', 'unsent')");
  // The server purged the tombstone of `gone`; a reset pull returns only `kept`.
  f.engine.begin();
  json push = f.next();
  f.respond(push, 503, nullptr);  // `mine` stays pending
  f.respond(f.next(), 200, {{"results", json::array()}});
  pull = f.next();
  REQUIRE(pull["kind"] == "pull");
  json summary = f.respond(pull, 200, {{"changes", {remote("parent", "kept", "0000000000001-00001-n", {{"id", "kept"}, {"name", "x"}})}},
                                       {"cursor", "c2"}, {"has_more", false}, {"reset", true}});
  CHECK(summary["swept"] == 1);
  Statement ids(f.db, "SELECT group_concat(id, ',') FROM (SELECT id FROM parent ORDER BY id)");
  REQUIRE(ids.step());
  CHECK(ids.column_text(0) == "kept,mine");
}
