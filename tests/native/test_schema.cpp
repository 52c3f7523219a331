// Schema migrations: fresh creation, stepwise upgrades, refusal of newer and
// foreign files, atomicity of a failing migration; the schema's own checks
// (foreign keys, JSON, integer money); descriptors match the columns.
#include "api/session.hpp"
#include "campaign_store/dispatcher.hpp"
#include "sync/model_tables.hpp"
#include "model/schema.hpp"
#include "model/migrations.hpp"
#include "model/table.hpp"

#include "error_support.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <set>

using cs::Code;
using cs::Database;
using cs::json;
using cs::Statement;
namespace schema = cs::schema;

namespace {

std::int64_t scalar(Database& db, const std::string& sql) {
  Statement q(db, sql);
  REQUIRE(q.step());
  return q.column_int(0);
}

std::string temp_path(const char* name) {
  std::string path = std::string("/tmp/cs_schema_test_") + name + ".db";
  std::remove(path.c_str());
  return path;
}

}  // namespace

TEST_CASE("a fresh database gets every migration, once") {
  Database db;
  CHECK(schema::migrate(db) == schema::current_version());
  CHECK(schema::current_version() == static_cast<int>(schema::migrations().size()));
  CHECK(scalar(db, "PRAGMA user_version") == schema::current_version());
  CHECK(scalar(db, "PRAGMA application_id") == schema::kApplicationId);
  CHECK(scalar(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'campaign_publications'") == 1);
  // Migrating again is a no-op.
  CHECK(schema::migrate(db) == schema::current_version());
}

TEST_CASE("an older database is upgraded step by step, keeping its rows") {
  const auto& all = schema::migrations();
  Database db;
  REQUIRE(schema::migrate(db, {all[0]}) == 1);
  db.exec("INSERT INTO products(id, name, brand, created_at, updated_at) "
          "VALUES ('p1', 'Trail Runner', 'Acme', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z')");
  REQUIRE(schema::migrate(db) == schema::current_version());
  // Migration 2 indexed the rows that were already there.
  CHECK(scalar(db, "SELECT count(*) FROM fts_products WHERE fts_products MATCH 'trail'") == 1);
  CHECK(scalar(db, "SELECT count(*) FROM products") == 1);
}

TEST_CASE("the multi-tab request log comes from a migration; a log a worker made without blobs gains the column") {
  const auto& all = schema::migrations();
  const std::vector<schema::Migration> before_log(all.begin(), all.begin() + 6);
  Database fresh;
  schema::migrate(fresh);
  CHECK(scalar(fresh, "SELECT count(*) FROM pragma_table_info('_cs_tab_requests') WHERE name = 'blobs'") == 1);

  Database old;
  REQUIRE(schema::migrate(old, before_log) == 6);
  // What the worker created itself before version 7, with an entry in flight.
  old.exec("CREATE TABLE _cs_tab_requests (key TEXT PRIMARY KEY, response TEXT NOT NULL, at INTEGER NOT NULL);"
           "INSERT INTO _cs_tab_requests VALUES ('tab:1', '{\"ok\":true}', 1)");
  REQUIRE(schema::migrate(old) == schema::current_version());
  CHECK(scalar(old, "SELECT count(*) FROM pragma_table_info('_cs_tab_requests') WHERE name = 'blobs'") == 1);
  CHECK(scalar(old, "SELECT count(*) FROM _cs_tab_requests WHERE key = 'tab:1' AND blobs IS NULL") == 1);
}

TEST_CASE("a database from a newer version is refused and left untouched") {
  Database db;
  schema::migrate(db);
  db.exec("PRAGMA user_version = 99");
  try {
    schema::migrate(db);
    FAIL("a newer schema was accepted");
  } catch (const cs::Error& e) {
    CHECK(e.code() == Code::Conflict);
    CHECK(e.details()["reason"] == "schema_too_new");
    CHECK(e.details()["schemaVersion"] == 99);
    CHECK(e.details()["supportedVersion"] == schema::current_version());
    CHECK(std::string(e.what()).find("newer campaign-store") != std::string::npos);
  }
  CHECK(scalar(db, "PRAGMA user_version") == 99);
}

TEST_CASE("the open op refuses a newer file and closes it; a foreign file too") {
  const int newer = schema::current_version() + 1;
  const std::string path = temp_path("newer");
  {
    Database db({path});
    schema::migrate(db);
    db.exec(("PRAGMA user_version = " + std::to_string(newer)).c_str());
  }
  cs::Dispatcher d;
  json r = json::parse(d.call("open", json{{"path", path}}.dump()));
  REQUIRE(r["ok"] == false);
  CHECK(r["error"]["code"] == "CONFLICT");
  CHECK(r["error"]["details"]["schemaVersion"] == newer);
  CHECK_FALSE(d.session().is_open());

  const std::string other = temp_path("foreign");
  {
    Database db({other});
    db.exec("PRAGMA application_id = 1234; CREATE TABLE notes(x)");
  }
  r = json::parse(d.call("open", json{{"path", other}}.dump()));
  REQUIRE(r["ok"] == false);
  CHECK(r["error"]["code"] == "INVALID_ARGUMENT");
  std::remove(path.c_str());
  std::remove(other.c_str());
}

TEST_CASE("a failing migration rolls back whole and keeps the old version") {
  Database db;
  std::vector<schema::Migration> list = schema::migrations();
  list.push_back({schema::current_version() + 1, "broken", "CREATE TABLE extra(x); INSERT INTO no_such_table VALUES (1);"});
  try {
    schema::migrate(db, list);
    FAIL("a broken migration succeeded");
  } catch (const cs::Error& e) {
    CHECK(e.details()["migration"] == schema::current_version() + 1);
    CHECK(std::string(e.what()).find("broken") != std::string::npos);
  }
  CHECK(scalar(db, "PRAGMA user_version") == schema::current_version());  // the released ones committed, the broken one did not
  CHECK(scalar(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'extra'") == 0);
  CHECK_FALSE(db.in_transaction());
}

TEST_CASE("a rebuild migration runs with foreign keys off and is checked before commit") {
  Database db;
  std::vector<schema::Migration> list = schema::migrations();
  // The 12-step ALTER: rebuild a parent table under its children.
  list.push_back({schema::current_version() + 1, "rebuild users",
                  "CREATE TABLE users_new (id TEXT PRIMARY KEY NOT NULL, email TEXT COLLATE NOCASE UNIQUE, "
                  "name TEXT, avatar_url TEXT, settings TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, "
                  "hlc TEXT, locale TEXT);"
                  "INSERT INTO users_new SELECT *, NULL FROM users; DROP TABLE users; "
                  "ALTER TABLE users_new RENAME TO users;",
                  true});
  schema::migrate(db, {list[0], list[1], list[2]});
  db.exec("INSERT INTO users(id, created_at, updated_at) VALUES ('u1', 'x', 'x');"
          "INSERT INTO products(id, user_id, name, created_at, updated_at) VALUES ('p1', 'u1', 'n', 'x', 'x')");
  CHECK(schema::migrate(db, list) == schema::current_version() + 1);
  CHECK(scalar(db, "PRAGMA foreign_keys") == 1);  // back on afterwards
  // With foreign keys on, DROP TABLE users would have cascaded to products.
  CHECK(scalar(db, "SELECT count(*) FROM products") == 1);

  // The same with a row whose parent the migration loses: refused, rolled back.
  Database db2;
  std::vector<schema::Migration> bad = schema::migrations();
  bad.push_back({schema::current_version() + 1, "lose users", "DELETE FROM users;", true});
  schema::migrate(db2);
  db2.exec("INSERT INTO users(id, created_at, updated_at) VALUES ('u1', 'x', 'x');"
           "INSERT INTO products(id, user_id, name, created_at, updated_at) VALUES ('p1', 'u1', 'n', 'x', 'x')");
  CHECK(code_of([&] { schema::migrate(db2, bad); }) == Code::Constraint);
  CHECK(scalar(db2, "PRAGMA user_version") == schema::current_version());
  CHECK(scalar(db2, "SELECT count(*) FROM users") == 1);
  CHECK(scalar(db2, "PRAGMA foreign_keys") == 1);
}

TEST_CASE("the schema itself rejects bad JSON, float money, dangling references") {
  Database db;
  schema::migrate(db);
  const char* now = "'2024-01-01T00:00:00.000Z'";
  auto insert = [&](const std::string& sql) { db.exec(sql.c_str()); };
  CHECK(code_of([&] { insert(std::string("INSERT INTO products(id, name, metadata, created_at, updated_at) VALUES ('p', 'n', '{bad', ") + now + ", " + now + ")"); }) == Code::Constraint);
  CHECK(code_of([&] { insert(std::string("INSERT INTO products(id, name, price, created_at, updated_at) VALUES ('p', 'n', 29.99, ") + now + ", " + now + ")"); }) == Code::Constraint);
  CHECK(code_of([&] { insert(std::string("INSERT INTO product_images(id, product_id, url, created_at, updated_at) VALUES ('i', 'nope', 'u', ") + now + ", " + now + ")"); }) == Code::Constraint);
  CHECK(code_of([&] { insert(std::string("INSERT INTO creatives(id, elements, created_at, updated_at) VALUES ('c', '{}', ") + now + ", " + now + ")"); }) == Code::Constraint);
  CHECK(code_of([&] { insert(std::string("INSERT INTO creative_assets(id, type, created_at, updated_at) VALUES ('a', 'gif', ") + now + ", " + now + ")"); }) == Code::Constraint);
  CHECK(code_of([&] { insert("INSERT INTO users(id, email) VALUES ('u1', 'A@x.io'); INSERT INTO users(id, email) VALUES ('u2', 'a@X.io')"); }) == Code::Conflict);
  // A NULL from the server where the schema keeps a default becomes the default.
  insert("INSERT INTO campaigns(id, name, status, currency, created_at, updated_at) VALUES ('c1', 'n', NULL, NULL, NULL, NULL)");
  Statement q(db, "SELECT status, currency, length(created_at) FROM campaigns WHERE id = 'c1'");
  REQUIRE(q.step());
  CHECK(q.column_text(0) == "draft");
  CHECK(q.column_text(1) == "USD");
  CHECK(q.column_int(2) == 24);
}

TEST_CASE("every descriptor field is a column, and sync sees every column") {
  Database db;
  schema::migrate(db);
  for (const cs::model::TableSpec* t : cs::model::all_tables()) {
    std::set<std::string> columns;
    Statement q(db, "SELECT name FROM pragma_table_info(?)");
    q.bind(1, std::string_view(t->name));
    while (q.step()) columns.insert(q.column_text(0));
    INFO(t->name);
    for (const auto& f : t->fields) CHECK(columns.count(f.column) == 1);
    for (const char* c : {"id", "created_at", "updated_at", "hlc"}) CHECK(columns.count(c) == 1);
    // Everything but the local seq is described.
    CHECK(columns.size() == t->fields.size() + 4 + (t->has_seq ? 1 : 0));
  }
  auto synced = cs::sync::model_tables();
  REQUIRE(synced.size() == 11);
  CHECK(synced.front().name == "users");
  bool price_is_decimal = false;
  for (const auto& t : synced)
    for (const auto& c : t.columns)
      if (t.name == "products" && c.name == "price")
        price_is_decimal = c.kind == cs::sync::ColumnKind::Decimal && c.scale == 2;
  CHECK(price_is_decimal);
}
