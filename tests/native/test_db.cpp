// Database, Statement and Transaction: the RAII layer every other component
// stands on.
#include "db/database.hpp"
#include "error_support.hpp"

#include <catch2/catch.hpp>
#include <sqlite3.h>

using cs::Code;
using cs::Database;
using cs::Error;
using cs::json;
using cs::Statement;
using cs::Transaction;


TEST_CASE("binds every JSON scalar type and reads it back") {
  Database db;
  Statement stmt(db, "SELECT ?1, ?2, ?3, ?4, ?5, typeof(?6), ?6");
  stmt.bind_all(json::array({nullptr, 42, 2.5, "text ✓", true, json{{"a", 1}}}));
  REQUIRE(stmt.step());
  json row = json::array();
  for (int i = 0; i < stmt.column_count(); ++i) row.push_back(stmt.column_json(i));
  CHECK(row == json::array({nullptr, 42, 2.5, "text ✓", 1, "text", R"({"a":1})"}));
  CHECK_FALSE(stmt.step());
}

TEST_CASE("named parameters bind by name and a missing one is reported") {
  Database db;
  Statement stmt(db, "SELECT :a + @b");
  stmt.bind_all(json{{"a", 2}, {"b", 3}});
  REQUIRE(stmt.step());
  CHECK(stmt.column_int(0) == 5);

  Statement missing(db, "SELECT :a, :b");
  try {
    missing.bind_all(json{{"a", 1}});
    FAIL("missing parameter accepted");
  } catch (const Error& e) {
    CHECK(e.code() == Code::InvalidArgument);
    CHECK(e.details()["parameter"] == ":b");
  }
}

TEST_CASE("parameter count mismatch is an INVALID_ARGUMENT") {
  Database db;
  Statement stmt(db, "SELECT ?, ?");
  CHECK(code_of([&] { stmt.bind_all(json::array({1})); }) == Code::InvalidArgument);
  CHECK(code_of([&] { stmt.bind_all(nullptr); }) == Code::InvalidArgument);
}

TEST_CASE("syntax errors and multiple statements are rejected") {
  Database db;
  CHECK(code_of([&] { Statement(db, "SELEC 1"); }) == Code::InvalidArgument);
  CHECK(code_of([&] { Statement(db, "SELECT 1; DROP TABLE x"); }) == Code::InvalidArgument);
  // A trailing semicolon and whitespace are fine.
  Statement ok(db, "SELECT 1;  \n");
  CHECK(ok.step());
}

TEST_CASE("constraint failures map to CONFLICT and CONSTRAINT") {
  Database db;
  db.exec("CREATE TABLE p(id TEXT PRIMARY KEY, email TEXT UNIQUE, n INTEGER NOT NULL);"
          "CREATE TABLE c(id INTEGER PRIMARY KEY, p TEXT REFERENCES p(id))");
  db.cached("INSERT INTO p VALUES (?, ?, ?)").bind_all(json::array({"a", "x@y", 1})).run();
  CHECK(code_of([&] {
          db.cached("INSERT INTO p VALUES (?, ?, ?)").bind_all(json::array({"b", "x@y", 1})).run();
        }) == Code::Conflict);
  CHECK(code_of([&] {
          db.cached("INSERT INTO p VALUES (?, ?, ?)").bind_all(json::array({"c", "z", nullptr})).run();
        }) == Code::Constraint);
  CHECK(code_of([&] {
          db.cached("INSERT INTO c(p) VALUES (?)").bind_all(json::array({"nope"})).run();
        }) == Code::Constraint);
}

TEST_CASE("a transaction rolls back unless committed; nested ones use savepoints") {
  Database db;
  db.exec("CREATE TABLE t(x)");
  {
    Transaction tx(db);
    db.cached("INSERT INTO t VALUES (1)").run();
  }  // no commit: rolled back
  {
    Transaction outer(db);
    db.cached("INSERT INTO t VALUES (2)").run();
    {
      Transaction inner(db);
      db.cached("INSERT INTO t VALUES (3)").run();
    }  // inner rolled back, outer goes on
    outer.commit();
  }
  Statement count(db, "SELECT group_concat(x) FROM t");
  REQUIRE(count.step());
  CHECK(count.column_text(0) == "2");
  CHECK_FALSE(db.in_transaction());
}

TEST_CASE("the cached statement is reset between uses") {
  Database db;
  auto& first = db.cached("SELECT ?");
  first.bind(1, std::int64_t{7});
  REQUIRE(first.step());
  auto& again = db.cached("SELECT ?");
  CHECK(&again == &first);
  REQUIRE(again.step());
  CHECK(again.column_is_null(0));  // bindings were cleared
}

TEST_CASE("blobs are reported by size, never inlined as text") {
  Database db;
  Statement stmt(db, "SELECT ?");
  const char bytes[3] = {'\0', '\x01', '\xff'};
  stmt.bind_blob(1, bytes, sizeof bytes);
  REQUIRE(stmt.step());
  CHECK(stmt.column_json(0) == json{{"$blob", 3}});
}

TEST_CASE("caller SQL is cached in a bounded LRU: reused when repeated, evicted when cold") {
  Database db;
  auto& first = db.cached_user("SELECT 1");
  CHECK(&db.cached_user("SELECT 1") == &first);  // repeated: no new prepare
  for (int i = 0; i < 100; ++i) {
    auto& s = db.cached_user("SELECT " + std::to_string(i + 2));
    REQUIRE(s.step());
    CHECK(s.column_int(0) == i + 2);
  }
  auto& again = db.cached_user("SELECT 1");  // evicted long ago: prepared afresh
  REQUIRE(again.step());
  CHECK(again.column_int(0) == 1);
  // A statement that fails to prepare leaves the cache usable.
  CHECK_THROWS_AS(db.cached_user("SELEC nope"), Error);
  CHECK(db.cached_user("SELECT 1").step());
}

TEST_CASE("inside a flattening transaction nested ones take no savepoint; the outer stays all or nothing") {
  Database db;
  db.exec("CREATE TABLE t(x)");
  {
    Transaction outer(db, Transaction::Nested::Flatten);
    {
      Transaction inner(db);
      db.cached("INSERT INTO t VALUES (1)").run();
    }  // no savepoint to roll back to: the write stays in the outer one
    outer.commit();
  }
  {
    Transaction outer(db, Transaction::Nested::Flatten);
    Transaction inner(db);
    db.cached("INSERT INTO t VALUES (2)").run();
    inner.commit();
  }  // outer not committed: everything rolls back
  Statement count(db, "SELECT group_concat(x) FROM t");
  REQUIRE(count.step());
  CHECK(count.column_text(0) == "1");
  // Outside any flattening scope, nesting uses savepoints again.
  {
    Transaction outer(db);
    { Transaction inner(db); db.cached("INSERT INTO t VALUES (3)").run(); }
    outer.commit();
  }
  Statement again(db, "SELECT count(*) FROM t");
  REQUIRE(again.step());
  CHECK(again.column_int(0) == 1);
}

namespace {
// SELECT answer() gives 42 plus the integer its user data points at.
void answer(sqlite3_context* context, int, sqlite3_value**) {
  const auto* base = static_cast<const int*>(sqlite3_user_data(context));
  sqlite3_result_int(context, 42 + *base);
}
}  // namespace

TEST_CASE("application SQL functions: defined, known by name, removed") {
  Database db;
  CHECK_FALSE(db.has_function("answer"));
  int base = 1;
  db.define_function("answer", 0, &base, answer);
  CHECK(db.has_function("answer"));
  CHECK_FALSE(db.has_function("answe"));
  Statement q(db, "SELECT answer()");
  REQUIRE(q.step());
  CHECK(q.column_int(0) == 43);
  q.reset();
  db.define_function("answer", 0, &base, answer);  // again: still one entry
  db.define_function("answer", 0, nullptr, nullptr);
  CHECK_FALSE(db.has_function("answer"));
  CHECK(code_of([&] { Statement(db, "SELECT answer()"); }) == Code::InvalidArgument);  // no such function
}
