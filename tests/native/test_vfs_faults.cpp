// Fault injection: the host fails the k-th write, flush or truncate, for
// every k a workload reaches, in every journal mode. Whatever fails, the
// error surfaces with a code, and a clean reopen finds a database that
// passes integrity_check, holds every transaction that reported success, and
// holds the failed one entirely or not at all. Quota exhaustion becomes
// STORAGE_FULL and leaves the database usable.
#include "test_vfs_support.hpp"

#include <cstdlib>
#include <map>
#include <set>

using namespace cs::vfs;
using namespace cs::vfs::testing;
using cs::Dispatcher;
using cs::json;

namespace {

constexpr int kTransactions = 4;
constexpr int kRowsPerTransaction = 3;

json open_args(int host, const std::string& mode, const std::string& sync) {
  return {{"storage", "pool"}, {"host", host}, {"journalMode", mode}, {"synchronous", sync}};
}

std::shared_ptr<MemoryVolume> seeded(const std::string& mode, const std::string& sync) {
  auto volume = std::make_shared<MemoryVolume>();
  Dispatcher d;
  HostId host(std::make_shared<MemoryHost>(volume));
  ok(d, "open", open_args(host, mode, sync));
  ok(d, "sql.exec", {{"sql", "CREATE TABLE t(txn INTEGER, k INTEGER, v BLOB, PRIMARY KEY(txn, k))"}});
  ok(d, "sql.exec", {{"sql", "CREATE INDEX t_v ON t(v)"}});
  ok(d, "close");
  return volume;
}

std::shared_ptr<MemoryVolume> copy(const MemoryVolume& v) {
  auto c = std::make_shared<MemoryVolume>();
  c->files = v.files;
  return c;
}

json insert_txn(int txn) {
  json ops = json::array();
  for (int k = 0; k < kRowsPerTransaction; ++k)
    ops.push_back({{"op", "sql.exec"},
                   {"args", {{"sql", "INSERT INTO t VALUES (?, ?, randomblob(1500))"}, {"params", {txn, k}}}}});
  return {{"ops", ops}};
}

struct Outcome {
  std::set<int> committed;
  int failed_txn = -1;  // -1: the fault struck while opening, or never
  std::string code;     // error code of the first failure ("" = none)
};

Outcome run_with_faults(const std::shared_ptr<MemoryVolume>& volume, const std::string& mode,
                        const std::string& sync, const std::function<void(FaultHost&)>& arm) {
  auto fault = std::make_shared<FaultHost>(std::make_shared<MemoryHost>(volume));
  arm(*fault);
  HostId host(fault);
  Outcome out;
  Dispatcher d;
  json r = call(d, "open", open_args(host, mode, sync));
  if (r["ok"] != true) {
    out.code = error_code(r);
    return out;
  }
  for (int txn = 1; txn <= kTransactions; ++txn) {
    json e = call(d, "batch", insert_txn(txn));
    if (e["ok"] == true) {
      out.committed.insert(txn);
      continue;
    }
    out.failed_txn = txn;
    out.code = error_code(e);
    break;
  }
  call(d, "close");  // may fail again; the reopen below is what counts
  if (out.code.empty() && fault->fired) out.code = "(fault absorbed)";
  return out;
}

void verify(const std::shared_ptr<MemoryVolume>& volume, const std::string& mode, const std::string& sync,
            const Outcome& out) {
  REQUIRE_FALSE(volume->held);  // the faulty run released the volume
  Dispatcher d;
  HostId host(std::make_shared<MemoryHost>(volume));
  json r = call(d, "open", open_args(host, mode, sync));
  INFO("reopen: " << r.dump());
  REQUIRE(r["ok"] == true);
  json check = ok(d, "sql.query", {{"sql", "SELECT integrity_check AS c FROM pragma_integrity_check"}});
  REQUIRE(check["rows"].size() == 1);
  CHECK(check["rows"][0]["c"] == "ok");
  json rows = ok(d, "sql.query", {{"sql", "SELECT txn, count(*) AS n FROM t GROUP BY txn"}})["rows"];
  std::map<int, int> present;
  for (const json& row : rows) present[row["txn"].get<int>()] = row["n"].get<int>();
  for (int txn : out.committed) {
    INFO("committed transaction " << txn);
    CHECK(present.count(txn) == 1);
  }
  for (const auto& [txn, n] : present) {
    INFO("transaction " << txn << " has " << n << " rows");
    CHECK(n == kRowsPerTransaction);  // all or nothing
    CHECK((out.committed.count(txn) == 1 || txn == out.failed_txn));
  }
  ok(d, "close");
}

using Modes = std::vector<std::pair<std::string, std::string>>;
const Modes kAllModes = {{"wal", "full"}, {"wal", "normal"}, {"delete", "full"}, {"truncate", "full"}, {"persist", "normal"}};
// The variations of the write fault run on one mode of each journal family,
// which keeps the sanitizer build quick; CS_VFS_FULL_SWEEP=1 runs them all.
const Modes& variation_modes() {
  static const Modes some = {{"wal", "full"}, {"delete", "full"}};
  return std::getenv("CS_VFS_FULL_SWEEP") ? kAllModes : some;
}

void sweep(const std::string& verb, std::int64_t status, bool torn, bool sticky, const Modes& modes) {
  int faults_hit = 0;
  for (const auto& [mode, sync] : modes) {
    auto base = seeded(mode, sync);
    for (int k = 1; k <= 400; ++k) {
      auto volume = copy(*base);
      bool fired = false;
      Outcome out = run_with_faults(volume, mode, sync, [&](FaultHost& f) {
        (verb == "write" ? f.fail_write_at : verb == "flush" ? f.fail_flush_at : f.fail_truncate_at) = k;
        f.status = status;
        f.torn = torn;
        f.sticky = sticky;
      });
      fired = !out.code.empty();
      INFO(mode << "/" << sync << " " << verb << " #" << k << (torn ? " torn" : "") << (sticky ? " sticky" : "")
                << " -> " << out.code);
      if (!fired) {
        CHECK(static_cast<int>(out.committed.size()) == kTransactions);
        verify(volume, mode, sync, out);
        break;  // k is past the workload's last such call
      }
      ++faults_hit;
      if (out.code != "(fault absorbed)") {
        // A failure reaches the caller with a code that says what happened.
        if (status == kHostFull) {
          CHECK((out.code == "STORAGE_FULL" || out.code == "IO"));
        } else {
          CHECK(out.code == "IO");
        }
      }
      verify(volume, mode, sync, out);
    }
  }
  CHECK(faults_hit > 0);  // the sweep did inject something
}

}  // namespace

TEST_CASE("fail the k-th write, for every k") { sweep("write", kHostIo, false, false, kAllModes); }
TEST_CASE("fail the k-th flush, for every k") { sweep("flush", kHostIo, false, false, kAllModes); }
TEST_CASE("fail the k-th truncate, for every k") { sweep("truncate", kHostIo, false, false, kAllModes); }
TEST_CASE("fail the k-th write after writing half of it (torn)") {
  sweep("write", kHostIo, true, false, variation_modes());
}
TEST_CASE("the device dies at the k-th write: every later write and flush fails") {
  sweep("write", kHostIo, false, true, variation_modes());
}
TEST_CASE("quota at the k-th write reports STORAGE_FULL") { sweep("write", kHostFull, false, false, variation_modes()); }

TEST_CASE("a full quota is STORAGE_FULL, rolls back, and the database stays usable") {
  for (const char* mode : {"wal", "delete"}) {
    INFO(mode);
    auto volume = std::make_shared<MemoryVolume>();
    Dispatcher d;
    HostId host(std::make_shared<MemoryHost>(volume));
    ok(d, "open", {{"storage", "pool"}, {"host", int(host)}, {"journalMode", mode}});
    ok(d, "sql.exec", {{"sql", "CREATE TABLE big(id INTEGER PRIMARY KEY, b BLOB)"}});
    std::int64_t used = 0;
    for (const auto& f : volume->files) used += static_cast<std::int64_t>(f.size());
    volume->quota = used + (600 << 10);
    int stored = 0;
    json failure;
    for (int i = 0; i < 100; ++i) {
      json e = call(d, "sql.exec", {{"sql", "INSERT INTO big(b) VALUES (randomblob(65536))"}});
      if (e["ok"] != true) {
        failure = e;
        break;
      }
      ++stored;
    }
    REQUIRE(failure.is_object());
    CHECK(error_code(failure) == "STORAGE_FULL");
    CHECK(stored > 0);
    CHECK(ok(d, "sql.query", {{"sql", "SELECT count(*) AS n FROM big"}})["rows"][0]["n"] == stored);
    CHECK(ok(d, "sql.query", {{"sql", "PRAGMA integrity_check"}})["rows"][0]["integrity_check"] == "ok");
    if (std::string(mode) == "delete") {
      // Space freed inside the database is reused without growing a file.
      // (WAL cannot promise this: new frames need room in the WAL until a
      // checkpoint, and the checkpoint may need the database to grow.)
      ok(d, "sql.exec", {{"sql", "DELETE FROM big WHERE id <= 3"}});
      ok(d, "sql.exec", {{"sql", "INSERT INTO big(b) VALUES (randomblob(65536))"}});
      stored -= 2;  // three deleted, one added
    }
    volume->quota = -1;  // the user freed space
    ok(d, "sql.exec", {{"sql", "INSERT INTO big(b) VALUES (randomblob(65536))"}});
    ok(d, "storage.checkpoint");
    CHECK(ok(d, "sql.query", {{"sql", "SELECT count(*) AS n FROM big"}})["rows"][0]["n"] == stored + 1);
    ok(d, "close");
  }
}
