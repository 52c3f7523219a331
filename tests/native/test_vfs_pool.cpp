// The pool and the `open` op over it: headers, persistence across restarts,
// damage detection, BUSY for a second opener, growth and reuse.
#include "test_vfs_support.hpp"

#include "vfs/pool_header.hpp"

#include <algorithm>
#include <fstream>

using namespace cs::vfs;
using namespace cs::vfs::testing;
using cs::Dispatcher;
using cs::json;

namespace {
json open_args(int host, json extra = json::object()) {
  extra["storage"] = "pool";
  extra["host"] = host;
  return extra;
}
std::int64_t count(Dispatcher& d, const char* table = "t") {
  return ok(d, "sql.query", {{"sql", std::string("SELECT count(*) AS n FROM ") + table}})["rows"][0]["n"];
}
}  // namespace

TEST_CASE("header: round trip, free header, checksum catches a flipped bit") {
  PoolHeader h{0x100, "/campaign-store.db-journal"};
  auto block = encode_header(h);
  PoolHeader out;
  REQUIRE(decode_header(block.data(), block.size(), out) == HeaderState::Valid);
  CHECK(out.path == h.path);
  CHECK(out.flags == 0x100);

  auto free_block = encode_header(PoolHeader{});
  REQUIRE(decode_header(free_block.data(), free_block.size(), out) == HeaderState::Valid);
  CHECK(out.is_free());

  for (std::size_t byte : {0u, 9u, 13u, 17u, 25u, 531u, 535u}) {
    auto bad = block;
    bad[byte] ^= 0x04;
    INFO("flipped byte " << byte);
    CHECK(decode_header(bad.data(), bad.size(), out) == HeaderState::Damaged);
  }
  std::array<unsigned char, kHeaderSize> zero{};
  CHECK(decode_header(zero.data(), zero.size(), out) == HeaderState::Blank);
  CHECK(decode_header(block.data(), 100, out) == HeaderState::Damaged);  // torn
}

TEST_CASE("a pool database survives a restart of the host (memory volume and POSIX dir)") {
  auto volume = std::make_shared<MemoryVolume>();
  ScratchDir dir;
  auto make = [&](bool posix) -> std::shared_ptr<StorageHost> {
    if (posix) return std::make_shared<PosixHost>(dir.str());
    return std::make_shared<MemoryHost>(volume);
  };
  for (bool posix : {false, true}) {
    INFO((posix ? "posix" : "memory"));
    for (const char* mode : {"wal", "delete"}) {
      const std::string name = std::string("persist-") + mode + ".db";
      {
        Dispatcher d;
        HostId host(make(posix));
        json r = ok(d, "open", open_args(host, {{"name", name}, {"journalMode", mode}}));
        CHECK(r["storage"]["kind"] == "pool");
        CHECK(r["storage"]["journalMode"] == mode);
        ok(d, "sql.exec", {{"sql", "CREATE TABLE t(x)"}});
        ok(d, "sql.exec", {{"sql", "INSERT INTO t VALUES (1), (2), (3)"}});
        ok(d, "close");
      }
      Dispatcher d;
      HostId host(make(posix));
      ok(d, "open", open_args(host, {{"name", name}, {"journalMode", mode}}));
      CHECK(count(d) == 3);
      ok(d, "close");
    }
  }
}

TEST_CASE("closing the database releases the host: the pool's files are closed") {
  auto volume = std::make_shared<MemoryVolume>();
  auto host = std::make_shared<MemoryHost>(volume);
  HostId id(host);
  Dispatcher d;
  ok(d, "open", open_args(id));
  CHECK(volume->held);
  CHECK_FALSE(host->files().empty());
  ok(d, "close");
  CHECK(host->files().empty());
  CHECK_FALSE(volume->held);
  // A spent host cannot be opened again; a new one over the volume can.
  CHECK(error_code(call(d, "open", open_args(id))) == "IO");
  HostId again(std::make_shared<MemoryHost>(volume));
  ok(d, "open", open_args(again));
}

TEST_CASE("a second opener gets BUSY, never a shared file") {
  SECTION("the same volume or directory while held") {
    auto volume = std::make_shared<MemoryVolume>();
    MemoryHost first(volume);
    try {
      MemoryHost second(volume);
      FAIL("second host opened a held volume");
    } catch (const cs::Error& e) {
      CHECK(e.code() == cs::Code::Busy);
    }
    ScratchDir dir;
    PosixHost a(dir.str());
    try {
      PosixHost b(dir.str());
      FAIL("second host opened a locked directory");
    } catch (const cs::Error& e) {
      CHECK(e.code() == cs::Code::Busy);
      CHECK(std::string(e.what()).find("in use") != std::string::npos);
    }
  }
  SECTION("the same host id in a second engine") {
    HostId host(std::make_shared<MemoryHost>(std::make_shared<MemoryVolume>()));
    Dispatcher a, b;
    ok(a, "open", open_args(host));
    json e = call(b, "open", open_args(host));
    CHECK(error_code(e) == "BUSY");
    CHECK(e["error"]["message"].get<std::string>().find("already backs an open database") != std::string::npos);
    ok(a, "sql.query", {{"sql", "SELECT 1"}});  // the first is unharmed
  }
}

TEST_CASE("a damaged header with data behind it refuses the open; wipe recovers") {
  auto volume = std::make_shared<MemoryVolume>();
  {
    Dispatcher d;
    HostId host(std::make_shared<MemoryHost>(volume));
    ok(d, "open", open_args(host));
    ok(d, "sql.exec", {{"sql", "CREATE TABLE t(x)"}});
    ok(d, "close");
  }
  // Find the main database's pool file and damage its header's path.
  int damaged = -1;
  for (std::size_t i = 0; i < volume->files.size(); ++i) {
    PoolHeader h;
    auto& f = volume->files[i];
    if (f.size() > kHeaderSize && decode_header(f.data(), f.size(), h) == HeaderState::Valid &&
        h.path == "campaign-store.db") {
      f[22] ^= 0xff;
      damaged = static_cast<int>(i);
    }
  }
  REQUIRE(damaged >= 0);
  Dispatcher d;
  HostId host(std::make_shared<MemoryHost>(volume));
  json e = call(d, "open", open_args(host));
  CHECK(error_code(e) == "CORRUPT");
  CHECK(e["error"]["details"]["damagedFiles"] == json::array({damaged}));
  // The refused open released the host, so a new one does the wipe.
  HostId wiper(std::make_shared<MemoryHost>(volume));
  json w = ok(d, "storage.delete", {{"host", int(wiper)}, {"all", true}});
  CHECK(w["files"].get<int>() >= 1);
  HostId fresh(std::make_shared<MemoryHost>(volume));
  json r = ok(d, "open", open_args(fresh));
  CHECK(r["storage"]["pool"]["damaged"] == 0);
  CHECK(error_code(call(d, "sql.query", {{"sql", "SELECT * FROM t"}})) == "INVALID_ARGUMENT");  // gone
}

TEST_CASE("a torn header with no data behind it is reclaimed as a free file") {
  ScratchDir dir;
  { PosixHost h(dir.str(), 3); }
  {
    std::ofstream torn(dir.path / "0001.pool", std::ios::binary | std::ios::trunc);
    torn << "cs-po";  // a header write cut short
  }
  Dispatcher d;
  HostId host(std::make_shared<PosixHost>(dir.str(), 3));
  json r = ok(d, "open", open_args(host));
  CHECK(r["storage"]["pool"]["damaged"] == 0);
  CHECK(r["storage"]["pool"]["files"] == 3);
}

TEST_CASE("the pool grows when SQLite needs a file, at once or before the next call") {
  SECTION("a host that grows synchronously never fails") {
    auto volume = std::make_shared<MemoryVolume>();
    Dispatcher d;
    HostId host(std::make_shared<MemoryHost>(volume, 1));
    json r = ok(d, "open", open_args(host, {{"journalMode", "delete"}}));
    ok(d, "sql.exec", {{"sql", "CREATE TABLE t(x)"}});
    ok(d, "sql.exec", {{"sql", "INSERT INTO t VALUES (1)"}});
    CHECK(ok(d, "storage.info")["pool"]["files"].get<int>() >= 2);
  }
  SECTION("a host that cannot grow inside a call fails with a clear message") {
    auto volume = std::make_shared<MemoryVolume>();
    auto host = std::make_shared<MemoryHost>(volume, 1, /*can_grow=*/false);
    HostId id(host);
    Dispatcher d;
    // One file: the main database fits, its first journal does not.
    json e = call(d, "open", open_args(id, {{"journalMode", "delete"}}));
    if (e["ok"] == true) {
      e = call(d, "sql.exec", {{"sql", "CREATE TABLE t(x)"}});
    }
    CHECK(error_code(e) == "IO");
    CHECK(e["error"]["message"].get<std::string>().find("exhausted") != std::string::npos);
  }
}

TEST_CASE("journal files are reused across transactions, not leaked") {
  auto volume = std::make_shared<MemoryVolume>();
  Dispatcher d;
  HostId host(std::make_shared<MemoryHost>(volume, 4));
  ok(d, "open", open_args(host, {{"journalMode", "delete"}}));
  ok(d, "sql.exec", {{"sql", "CREATE TABLE t(x)"}});
  for (int i = 0; i < 50; ++i) ok(d, "sql.exec", {{"sql", "INSERT INTO t VALUES (?)"}, {"params", {i}}});
  json info = ok(d, "storage.info");
  CHECK(info["pool"]["used"] == 1);  // the journal was freed after each commit
  CHECK(info["pool"]["files"] == 4);
  CHECK(count(d) == 50);
}

TEST_CASE("a WAL frame reaches the host as one write, and reads back whole") {
  // SQLite writes each frame as its 24-byte header and then its 4 KiB page
  // (and the 32-byte WAL header before the first); the pool joins them
  // (Pool::write), so the host sees page-sized writes and larger only.
  auto volume = std::make_shared<MemoryVolume>();
  auto crashed = std::make_shared<MemoryVolume>();
  {
    auto counting = std::make_shared<FaultHost>(std::make_shared<MemoryHost>(volume));
    Dispatcher d;
    HostId host(counting);
    ok(d, "open", open_args(host, {{"name", "frames.db"}, {"journalMode", "wal"}}));
    counting->write_sizes.clear();
    ok(d, "sql.exec", {{"sql", "CREATE TABLE t(x)"}});
    // ~50 overflow pages in one commit, then one-row commits.
    ok(d, "sql.exec", {{"sql", "INSERT INTO t VALUES (randomblob(200008))"}});
    for (int i = 0; i < 40; ++i) ok(d, "sql.exec", {{"sql", "INSERT INTO t VALUES (?)"}, {"params", {i}}});
    std::size_t frames = 0, shorter = 0;
    for (std::size_t n : counting->write_sizes) {
      frames += n == 24 + 4096;
      shorter += n < 4096;
    }
    INFO(counting->write_sizes.size() << " host writes");
    CHECK(frames > 90);
    CHECK(shorter == 0);
    CHECK(count(d) == 41);
    // The files as a crash would leave them: every commit only in the WAL.
    *crashed = *volume;
    crashed->held = false;
    std::size_t largest = 0;  // the WAL: larger than the whole database would be
    for (const auto& file : crashed->files) largest = std::max(largest, file.size());
    CHECK(largest > 90 * (24 + 4096));
  }
  // Reopened after the crash (SQLite recovers the WAL, checking every
  // frame's checksum) and after the clean close (which checkpointed it).
  for (auto& files : {crashed, volume}) {
    INFO((files == crashed ? "after a crash" : "after a close"));
    Dispatcher d;
    HostId host(std::make_shared<MemoryHost>(files));
    ok(d, "open", open_args(host, {{"name", "frames.db"}, {"journalMode", "wal"}}));
    CHECK(count(d) == 41);
    CHECK(ok(d, "sql.query", {{"sql", "SELECT sum(x) AS s FROM t WHERE typeof(x) = 'integer'"}})["rows"][0]["s"] == 780);
    CHECK(ok(d, "sql.query", {{"sql", "SELECT length(x) AS n FROM t WHERE typeof(x) = 'blob'"}})["rows"][0]["n"] == 200008);
    CHECK(ok(d, "sql.query", {{"sql", "PRAGMA integrity_check"}})["rows"][0]["integrity_check"] == "ok");
  }
}
