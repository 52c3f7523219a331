// The storage ops through the dispatcher: open arguments, info, export and
// import (bytes through the ByteSlots, as the binary binding does), delete.
#include "api/session.hpp"
#include "vfs/transfer.hpp"
#include "test_vfs_support.hpp"

#include <sqlite3.h>

#include <cstring>

using namespace cs::vfs;
using namespace cs::vfs::testing;
using cs::Dispatcher;
using cs::json;

namespace {
json pool(int host, json extra = json::object()) {
  extra["storage"] = "pool";
  extra["host"] = host;
  return extra;
}
std::vector<unsigned char> take_export(Dispatcher& d) {
  ByteSlot& s = d.session().export_slot();
  std::vector<unsigned char> out(s.data(), s.data() + s.size());
  s.reset();
  return out;
}
void stage_import(Dispatcher& d, const std::vector<unsigned char>& bytes) {
  unsigned char* p = d.session().import_slot().allocate(bytes.size());
  REQUIRE(p != nullptr);
  std::memcpy(p, bytes.data(), bytes.size());
}
}  // namespace

TEST_CASE("open: {} stays in memory, durability arguments are validated and applied") {
  Dispatcher d;
  CHECK(ok(d, "open")["storage"]["kind"] == "memory");
  CHECK(ok(d, "storage.info")["kind"] == "memory");
  ok(d, "close");
  CHECK(ok(d, "storage.info") == json{{"open", false}});

  HostId host(std::make_shared<MemoryHost>(std::make_shared<MemoryVolume>()));
  CHECK(error_code(call(d, "open", {{"storage", "disk"}})) == "INVALID_ARGUMENT");
  CHECK(error_code(call(d, "open", {{"storage", "pool"}})) == "INVALID_ARGUMENT");  // no host
  CHECK(error_code(call(d, "open", pool(host, {{"journalMode", "off"}}))) == "INVALID_ARGUMENT");
  CHECK(error_code(call(d, "open", pool(host, {{"synchronous", "sometimes"}}))) == "INVALID_ARGUMENT");
  json bad = call(d, "open", pool(host, {{"journalMode", "wal"}, {"lockingMode", "normal"}}));
  CHECK(error_code(bad) == "INVALID_ARGUMENT");
  CHECK(bad["error"]["details"]["field"] == "lockingMode");
  CHECK(error_code(call(d, "open", pool(host, {{"name", ""}}))) == "INVALID_ARGUMENT");
  CHECK(error_code(call(d, "open", pool(999))) == "NOT_FOUND");

  json r = ok(d, "open", pool(host, {{"journalMode", "truncate"}, {"synchronous", "normal"}}));
  CHECK(r["storage"]["journalMode"] == "truncate");
  CHECK(r["storage"]["synchronous"] == "normal");
  CHECK(r["storage"]["lockingMode"] == "normal");
  CHECK(r["storage"]["pool"]["used"].get<int>() >= 1);
  ok(d, "close");

  HostId host2(std::make_shared<MemoryHost>(std::make_shared<MemoryVolume>()));
  r = ok(d, "open", pool(host2));
  CHECK(r["storage"]["journalMode"] == "wal");  // the defaults
  CHECK(r["storage"]["synchronous"] == "full");
  CHECK(r["storage"]["lockingMode"] == "exclusive");
  CHECK(r["path"] == "campaign-store.db");
  CHECK(error_code(call(d, "open", pool(host2))) == "CONFLICT");  // already open
}

TEST_CASE("export gives a standard SQLite file; import restores it into another pool") {
  Dispatcher a;
  HostId host_a(std::make_shared<MemoryHost>(std::make_shared<MemoryVolume>()));
  ok(a, "open", pool(host_a));  // WAL: the export must still say rollback mode
  ok(a, "sql.exec", {{"sql", "CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT)"}});
  ok(a, "sql.exec", {{"sql", "WITH RECURSIVE n(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM n WHERE value < 2000) "
                            "INSERT INTO notes(body) SELECT 'note ' || value FROM n"}});
  json info = ok(a, "storage.export");
  auto bytes = take_export(a);
  REQUIRE(bytes.size() == info["bytes"].get<std::size_t>());
  CHECK(std::memcmp(bytes.data(), "SQLite format 3", 16) == 0);
  CHECK(bytes[18] == 1);
  CHECK(bytes[19] == 1);

  // Any SQLite opens the exported file on its own.
  {
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(":memory:", &raw) == SQLITE_OK);
    auto* copy = static_cast<unsigned char*>(sqlite3_malloc64(bytes.size()));
    std::memcpy(copy, bytes.data(), bytes.size());
    REQUIRE(sqlite3_deserialize(raw, "main", copy, bytes.size(), bytes.size(),
                                SQLITE_DESERIALIZE_FREEONCLOSE) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(raw, "SELECT count(*) FROM notes", -1, &st, nullptr);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    CHECK(sqlite3_column_int(st, 0) == 2000);
    sqlite3_finalize(st);
    sqlite3_close(raw);
  }

  Dispatcher b;
  auto volume_b = std::make_shared<MemoryVolume>();
  {
    HostId host_b(std::make_shared<MemoryHost>(volume_b));
    ok(b, "open", pool(host_b, {{"journalMode", "delete"}}));
    ok(b, "sql.exec", {{"sql", "CREATE TABLE old(x)"}});
    stage_import(b, bytes);
    json imported = ok(b, "storage.import");
    CHECK(imported["bytes"] == bytes.size());
    CHECK(ok(b, "sql.query", {{"sql", "SELECT count(*) AS n FROM notes"}})["rows"][0]["n"] == 2000);
    CHECK(error_code(call(b, "sql.query", {{"sql", "SELECT * FROM old"}})) == "INVALID_ARGUMENT");
    ok(b, "close");
  }
  HostId again(std::make_shared<MemoryHost>(volume_b));
  ok(b, "open", pool(again, {{"journalMode", "delete"}}));
  CHECK(ok(b, "sql.query", {{"sql", "SELECT count(*) AS n FROM notes"}})["rows"][0]["n"] == 2000);
}

TEST_CASE("import refuses bad bytes and leaves the database as it was") {
  Dispatcher d;
  HostId host(std::make_shared<MemoryHost>(std::make_shared<MemoryVolume>()));
  ok(d, "open", pool(host));
  ok(d, "sql.exec", {{"sql", "CREATE TABLE keep(x)"}});
  ok(d, "sql.exec", {{"sql", "INSERT INTO keep VALUES (42)"}});

  CHECK(error_code(call(d, "storage.import")) == "INVALID_ARGUMENT");  // nothing staged
  stage_import(d, std::vector<unsigned char>(8192, 'x'));
  CHECK(error_code(call(d, "storage.import")) == "INVALID_ARGUMENT");  // not SQLite

  // A real image with a damaged b-tree page fails the integrity check.
  ok(d, "storage.export");
  auto bytes = take_export(d);
  ok(d, "sql.exec", {{"sql", "WITH RECURSIVE n(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM n WHERE value < 3000) "
                            "INSERT INTO keep SELECT value FROM n"}});
  ok(d, "storage.export");
  auto big = take_export(d);
  const auto root = ok(d, "sql.query", {{"sql", "SELECT rootpage AS p FROM sqlite_schema WHERE name = 'keep'"}})
                        ["rows"][0]["p"].get<std::size_t>();
  REQUIRE(big.size() >= root * 4096);
  for (std::size_t i = (root - 1) * 4096; i < (root - 1) * 4096 + 12; ++i) big[i] = 0xff;  // b-tree page header
  stage_import(d, big);
  CHECK(error_code(call(d, "storage.import")) == "CORRUPT");
  // A newer schema than this build is refused.
  bytes[60] = 0x7f;  // user_version, big-endian at offset 60
  stage_import(d, bytes);
  json newer = call(d, "storage.import");
  CHECK(error_code(newer) == "INVALID_ARGUMENT");
  CHECK(newer["error"]["message"].get<std::string>().find("newer") != std::string::npos);
  CHECK(ok(d, "sql.query", {{"sql", "SELECT count(*) AS n FROM keep"}})["rows"][0]["n"] == 3001);
  // Not inside a batch.
  ok(d, "storage.export");
  stage_import(d, take_export(d));
  json in_batch = call(d, "batch", {{"ops", {{{"op", "storage.import"}}}}});
  CHECK(error_code(in_batch) == "CONFLICT");
}

TEST_CASE("delete: the open database, or a named one through a host") {
  auto volume = std::make_shared<MemoryVolume>();
  Dispatcher d;
  {
    HostId host(std::make_shared<MemoryHost>(volume));
    ok(d, "open", pool(host, {{"name", "a.db"}, {"journalMode", "wal"}}));
    ok(d, "sql.exec", {{"sql", "CREATE TABLE t(x)"}});
    json in_batch = call(d, "batch", {{"ops", {{{"op", "storage.delete"}}}}});
    CHECK(error_code(in_batch) == "CONFLICT");
    json other = call(d, "storage.delete", {{"host", int(host)}, {"name", "b.db"}});
    CHECK(error_code(other) == "INVALID_ARGUMENT");  // ambiguous while a.db is open
    CHECK(ok(d, "sql.query", {{"sql", "SELECT count(*) AS n FROM t"}})["rows"][0]["n"] == 0);
    json r = ok(d, "storage.delete");
    CHECK(r["name"] == "a.db");
    CHECK(r["closed"] == true);
  }
  CHECK_FALSE(volume->held);
  {
    HostId host(std::make_shared<MemoryHost>(volume));
    json r = ok(d, "open", pool(host, {{"name", "b.db"}}));
    CHECK(r["storage"]["pool"]["usedFiles"].size() == 2);  // b.db and its WAL only: a.db is gone
    ok(d, "sql.exec", {{"sql", "CREATE TABLE t(x)"}});
    ok(d, "close");
  }
  HostId host(std::make_shared<MemoryHost>(volume));
  json r = ok(d, "storage.delete", {{"host", int(host)}, {"name", "b.db"}});
  CHECK(r["deleted"] == true);
  CHECK(r["files"].get<int>() >= 1);
  HostId check(std::make_shared<MemoryHost>(volume));
  CHECK(ok(d, "open", pool(check, {{"name", "b.db"}}))["schemaVersion"].is_number());
  CHECK(error_code(call(d, "sql.query", {{"sql", "SELECT * FROM t"}})) == "INVALID_ARGUMENT");
}

TEST_CASE("checkpoint empties the WAL") {
  auto volume = std::make_shared<MemoryVolume>();
  Dispatcher d;
  HostId host(std::make_shared<MemoryHost>(volume));
  ok(d, "open", pool(host));
  ok(d, "sql.exec", {{"sql", "CREATE TABLE t(x)"}});
  ok(d, "sql.exec", {{"sql", "WITH RECURSIVE n(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM n WHERE value < 500) "
                            "INSERT INTO t SELECT randomblob(100) FROM n"}});
  json c = ok(d, "storage.checkpoint");
  CHECK(c["busy"] == false);
  json info = ok(d, "storage.info");
  for (const json& f : info["pool"]["usedFiles"])
    if (f["path"] == "campaign-store.db-wal") CHECK(f["bytes"] == 0);
}
