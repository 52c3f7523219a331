// The core's row writer for rows that come with their own stamps
// (model::RowUpsert, model::update_columns): what a pulled server row and a
// migrated legacy item go through. Written as given, stamps included, many
// rows per statement within SQLite's parameter limit; a refused value or a
// wrong row shape writes nothing.
#include "model/row_store.hpp"

#include "error_support.hpp"

#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <cmath>
#include <random>

using cs::Code;
using cs::Database;
using cs::json;
using cs::Statement;
namespace m = cs::model;

namespace {

std::int64_t scalar(Database& db, const std::string& sql) {
  Statement q(db, sql);
  REQUIRE(q.step());
  return q.column_int(0);
}

// A row's columns as JSON values (NULL, integer or text), for comparison.
// A JSON row as the values add() keeps (text owned).
std::vector<m::Value> cells(const json& row) {
  std::vector<m::Value> out;
  for (const json& v : row) {
    if (v.is_null()) out.emplace_back();
    else if (v.is_number_integer()) out.emplace_back(v.get<std::int64_t>());
    else out.emplace_back(v.get<std::string>());
  }
  return out;
}

json row_of(Database& db, const std::string& table, const std::string& id, const std::vector<std::string>& cols) {
  std::string sql = "SELECT ";
  for (std::size_t i = 0; i < cols.size(); ++i) sql += (i ? ", " : "") + cols[i];
  Statement q(db, sql + " FROM " + table + " WHERE id = ?1");
  q.bind(1, std::string_view(id));
  if (!q.step()) return nullptr;
  json out = json::array();
  for (int i = 0; i < static_cast<int>(cols.size()); ++i) {
    switch (sqlite3_column_type(q.handle(), i)) {
      case SQLITE_NULL: out.push_back(nullptr); break;
      case SQLITE_INTEGER: out.push_back(q.column_int(i)); break;
      default: out.push_back(q.column_text(i)); break;
    }
  }
  return out;
}

}  // namespace

TEST_CASE("rows with their own stamps are written as given, across statements, updated in place") {
  Database db;
  db.exec("CREATE TABLE t(id TEXT PRIMARY KEY, n INTEGER, s TEXT, created_at TEXT, updated_at TEXT, hlc TEXT)");
  const std::vector<std::string> cols = {"id", "n", "s", "created_at", "updated_at", "hlc"};
  std::mt19937_64 rng(0x5eed2026);
  std::vector<json> expected;
  m::RowUpsert upsert(db, "t", cols);
  // 450 rows: more than one statement's worth (200); values of every kind,
  // integers beyond 2^53 included.
  for (int i = 0; i < 450; ++i) {
    const auto n = static_cast<std::int64_t>(rng());
    json row = {"r" + std::to_string(i), i % 7 == 0 ? json(nullptr) : json(n),
                i % 5 == 0 ? json(nullptr) : json(std::string(i % 50, 'x') + "é"),
                "2024-01-0" + std::to_string(1 + i % 9) + "T00:00:00.000Z", "2025-02-03T04:05:06.789Z",
                "hlc-" + std::to_string(i)};
    expected.push_back(row);
    upsert.add(cells(row));
  }
  // What is not flushed is not written.
  CHECK(scalar(db, "SELECT count(*) FROM t") == 400);
  upsert.flush();
  REQUIRE(scalar(db, "SELECT count(*) FROM t") == 450);
  for (const json& row : expected) CHECK(row_of(db, "t", row[0], cols) == row);

  // The same ids again: updated in place, every column but the key replaced.
  for (std::size_t i = 0; i < expected.size(); i += 3) {
    expected[i][1] = static_cast<std::int64_t>(i) - 1000;
    expected[i][5] = "hlc-again";
    upsert.add(cells(expected[i]));
  }
  upsert.flush();
  CHECK(scalar(db, "SELECT count(*) FROM t") == 450);
  for (const json& row : expected) CHECK(row_of(db, "t", row[0], cols) == row);

  // put writes now, after what was added before it (the later value wins).
  upsert.add(cells({"r1", 1, "added", nullptr, nullptr, nullptr}));
  upsert.put({"r1", 2, "put", nullptr, nullptr, nullptr});
  CHECK(row_of(db, "t", "r1", {"n", "s"}) == json::array({2, "put"}));
}

TEST_CASE("a wide row stays within SQLite's parameter limit per statement") {
  Database db;
  std::string create = "CREATE TABLE wide(id TEXT PRIMARY KEY";
  std::vector<std::string> cols = {"id"};
  for (int c = 0; c < 300; ++c) {
    create += ", c" + std::to_string(c) + " INTEGER";
    cols.push_back("c" + std::to_string(c));
  }
  db.exec((create + ")").c_str());
  m::RowUpsert upsert(db, "wide", cols);
  for (int r = 0; r < 250; ++r) {
    std::vector<m::Value> row = {std::string("w") + std::to_string(r)};
    for (int c = 0; c < 300; ++c) row.emplace_back(std::int64_t{r * 1000 + c});
    upsert.add(std::move(row));
  }
  upsert.flush();
  CHECK(scalar(db, "SELECT count(*) FROM wide") == 250);
  CHECK(scalar(db, "SELECT sum(c299) FROM wide") == 250 * 299 + 1000 * (249 * 250 / 2));
}

TEST_CASE("stamps are columns like any other: written as given, changed only when listed") {
  Database db;
  db.exec("CREATE TABLE t(id TEXT PRIMARY KEY, n INTEGER, updated_at TEXT, hlc TEXT)");
  m::RowUpsert upsert(db, "t", {"id", "n", "updated_at", "hlc"});
  upsert.put({"a", 1, "2020-01-01T00:00:00.000Z", "remote-hlc"});
  upsert.put({"b", 2, nullptr, nullptr});  // an old app's item: no clock wrote it here
  CHECK(row_of(db, "t", "a", {"n", "updated_at", "hlc"}) == json::array({1, "2020-01-01T00:00:00.000Z", "remote-hlc"}));
  CHECK(row_of(db, "t", "b", {"n", "updated_at", "hlc"}) == json::array({2, nullptr, nullptr}));

  CHECK(m::update_columns(db, "t", "a", {"n"}, {std::int64_t{3}}));
  CHECK(row_of(db, "t", "a", {"n", "updated_at", "hlc"}) == json::array({3, "2020-01-01T00:00:00.000Z", "remote-hlc"}));
  CHECK(m::update_columns(db, "t", "a", {"updated_at", "n"}, {std::string("2021-01-01T00:00:00.000Z"), std::int64_t{4}}));
  CHECK(row_of(db, "t", "a", {"n", "updated_at", "hlc"}) == json::array({4, "2021-01-01T00:00:00.000Z", "remote-hlc"}));
  CHECK_FALSE(m::update_columns(db, "t", "nobody", {"n"}, {std::int64_t{5}}));
  CHECK_FALSE(m::update_columns(db, "t", "a", {}, {}));
  CHECK(scalar(db, "SELECT count(*) FROM t") == 2);
}

TEST_CASE("a composite conflict target updates the other columns, or nothing") {
  Database db;
  db.exec("CREATE TABLE map(entity TEXT, slot TEXT, row_id TEXT, PRIMARY KEY(entity, slot))");
  m::RowUpsert upsert(db, "map", {"entity", "slot", "row_id"}, {"entity", "slot"});
  upsert.put({"products", "p/1", "row-a"});
  upsert.put({"products", "p/1", "row-b"});
  upsert.put({"products", "p/2", "row-c"});
  CHECK(scalar(db, "SELECT count(*) FROM map") == 2);
  CHECK(scalar(db, "SELECT count(*) FROM map WHERE slot = 'p/1' AND row_id = 'row-b'") == 1);

  m::RowUpsert keys_only(db, "map", {"entity", "slot"}, {"entity", "slot"});
  keys_only.put({"products", "p/1"});  // DO NOTHING: the row keeps its row_id
  CHECK(scalar(db, "SELECT count(*) FROM map WHERE slot = 'p/1' AND row_id = 'row-b'") == 1);
}

TEST_CASE("a refused value or a wrong row shape writes nothing") {
  Database db;
  db.exec("CREATE TABLE t(id TEXT PRIMARY KEY, n)");
  m::RowUpsert upsert(db, "t", {"id", "n"});
  CHECK(code_of([&] { upsert.add({std::string("a")}); }) == Code::Internal);
  CHECK(code_of([&] { upsert.put({"a", 1, 2}); }) == Code::Internal);
  CHECK(code_of([&] { upsert.put({"a", std::nan("")}); }) == Code::InvalidArgument);
  CHECK(code_of([&] {
          m::update_columns(db, "t", "a", {"n"}, {std::int64_t{1}, std::int64_t{2}});
        }) == Code::Internal);
  upsert.put({"a", 1.5});  // a finite double is stored as one
  CHECK(scalar(db, "SELECT count(*) FROM t WHERE n = 1.5") == 1);
  CHECK(scalar(db, "SELECT count(*) FROM t") == 1);
}
