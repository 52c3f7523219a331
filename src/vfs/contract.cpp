// The contract cases. Each drives the registered sqlite3_vfs directly, the
// way SQLite does, and states one property of one method.
#include "vfs/contract.hpp"

#include "db/cold_code.hpp"
#include "vfs/vfs.hpp"
#include "pool.hpp"

#include <sqlite3.h>

#include <cstring>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

CS_COLD_CODE_BEGIN

namespace cs::vfs {

namespace {

struct CaseFailed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

void expect(bool ok, const std::string& what) {
  if (!ok) throw CaseFailed(what);
}
void expect_rc(int got, int want, const std::string& what) {
  if (got != want)
    throw CaseFailed(what + ": expected rc " + std::to_string(want) + ", got " + std::to_string(got));
}

constexpr int kMain = SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;

// One sqlite3_file, closed on scope exit like SQLite would.
class File {
 public:
  explicit File(sqlite3_vfs* vfs) : vfs_(vfs), mem_(static_cast<std::size_t>(vfs->szOsFile), 0) {}
  ~File() { close(); }
  int open(const char* name, int flags) {
    close();
    int out = 0;
    int rc = vfs_->xOpen(vfs_, name, f(), flags, &out);
    open_ = rc == SQLITE_OK;
    return rc;
  }
  void close() {
    if (open_ && f()->pMethods) f()->pMethods->xClose(f());
    open_ = false;
  }
  sqlite3_file* f() { return reinterpret_cast<sqlite3_file*>(mem_.data()); }
  const sqlite3_io_methods& m() { return *f()->pMethods; }
  int write(const void* p, int n, sqlite3_int64 off) { return m().xWrite(f(), p, n, off); }
  int read(void* p, int n, sqlite3_int64 off) { return m().xRead(f(), p, n, off); }
  sqlite3_int64 size() {
    sqlite3_int64 s = -1;
    expect_rc(m().xFileSize(f(), &s), SQLITE_OK, "xFileSize");
    return s;
  }
  void put(const std::vector<unsigned char>& bytes, sqlite3_int64 off, const std::string& what = "xWrite") {
    expect_rc(write(bytes.data(), static_cast<int>(bytes.size()), off), SQLITE_OK, what);
  }
  // n bytes read at off into a buffer that held 0xee, the read answering rc.
  std::vector<unsigned char> get(int n, sqlite3_int64 off, const std::string& what = "xRead", int rc = SQLITE_OK) {
    std::vector<unsigned char> out(static_cast<std::size_t>(n), 0xee);
    expect_rc(read(out.data(), n, off), rc, what);
    return out;
  }
  sqlite3_vfs* vfs() const { return vfs_; }

 private:
  sqlite3_vfs* vfs_;
  std::vector<char> mem_;
  bool open_ = false;
};

std::vector<unsigned char> pattern(std::size_t n, unsigned seed) {
  std::vector<unsigned char> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<unsigned char>((i * 31 + seed * 7 + 1) & 0xff);
  return v;
}

int exists(sqlite3_vfs* vfs, const char* name) {
  int out = -1;
  expect_rc(vfs->xAccess(vfs, name, SQLITE_ACCESS_EXISTS, &out), SQLITE_OK, "xAccess");
  return out;
}

void remove(sqlite3_vfs* vfs, const char* name) { vfs->xDelete(vfs, name, 0); }

// A main database file opened (with CREATE) for one case, and deleted when
// the case ends, passed or failed.
class Scratch : public File {
 public:
  Scratch(sqlite3_vfs* vfs, const char* name) : File(vfs), name_(name) {
    expect_rc(open(name, kMain), SQLITE_OK, "xOpen");
  }
  ~Scratch() {
    close();
    remove(vfs(), name_);
  }

 private:
  const char* name_;
};

std::vector<unsigned char> zeros(std::size_t n) { return std::vector<unsigned char>(n, 0); }

struct Ctx {
  PoolStorage& storage;
  sqlite3_vfs* vfs;
  ContractOptions options;
};

using Case = std::function<void(Ctx&)>;

// ------------------------------------------------------------------ cases

void open_creates_and_finds(Ctx& c) {
  const char* name = "/contract-open";
  {
    File f(c.vfs);
    expect_rc(f.open(name, kMain), SQLITE_OK, "xOpen with CREATE");
    auto data = pattern(10, 1);
    f.put(data, 0);
  }
  expect(exists(c.vfs, name) == 1, "xAccess finds the created file");
  File again(c.vfs);
  expect_rc(again.open(name, SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_READWRITE), SQLITE_OK, "xOpen without CREATE");
  expect(again.size() == 10, "reopened file keeps its size");
  again.close();
  remove(c.vfs, name);
}

void open_missing_fails(Ctx& c) {
  File f(c.vfs);
  expect_rc(f.open("/contract-missing", SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_READWRITE), SQLITE_CANTOPEN,
            "xOpen of a missing file without CREATE");
  expect(exists(c.vfs, "/contract-missing") == 0, "nothing was created");
}

void open_exclusive_refuses_existing(Ctx& c) {
  const char* name = "/contract-excl";
  File a(c.vfs);
  expect_rc(a.open(name, kMain), SQLITE_OK, "first xOpen");
  a.close();
  File b(c.vfs);
  expect_rc(b.open(name, kMain | SQLITE_OPEN_EXCLUSIVE), SQLITE_CANTOPEN, "xOpen EXCLUSIVE of an existing file");
  remove(c.vfs, name);
}

void open_twice_refused(Ctx& c) {
  const char* name = "/contract-twice";
  File a(c.vfs), b(c.vfs);
  expect_rc(a.open(name, kMain), SQLITE_OK, "first xOpen");
  expect_rc(b.open(name, kMain), SQLITE_CANTOPEN, "second xOpen of an open main database");
  a.close();
  expect_rc(b.open(name, kMain), SQLITE_OK, "xOpen after the first one closed");
  b.close();
  remove(c.vfs, name);
}

void write_read_roundtrip(Ctx& c) {
  Scratch f(c.vfs, "/contract-rw");
  auto a = pattern(10000, 2);
  f.put(a, 4097, "xWrite at an unaligned offset");
  auto b = pattern(300, 3);
  f.put(b, 5000, "overlapping xWrite");
  std::memcpy(a.data() + (5000 - 4097), b.data(), 300);
  expect(f.get(10000, 4097) == a, "xRead returns what xWrite wrote");
  expect(f.size() == 4097 + 10000, "xFileSize is the end of the last write");
  expect(f.get(4097, 0, "xRead of the hole before the first write") == zeros(4097), "a hole reads as zeros");
}

void short_read_zero_fills(Ctx& c) {
  Scratch f(c.vfs, "/contract-short");
  auto a = pattern(100, 4);
  f.put(a, 0);
  const auto got = f.get(200, 50, "xRead across the end", SQLITE_IOERR_SHORT_READ);
  expect(std::memcmp(got.data(), a.data() + 50, 50) == 0, "the bytes before the end are data");
  expect(std::vector<unsigned char>(got.begin() + 50, got.end()) == zeros(150),
         "the bytes after the end are zero-filled");
  expect(f.get(64, 1 << 20, "xRead wholly past the end", SQLITE_IOERR_SHORT_READ) == zeros(64),
         "a read past the end is all zeros");
}

void truncate_and_size(Ctx& c) {
  Scratch f(c.vfs, "/contract-trunc");
  expect(f.size() == 0, "a new file is empty");
  auto a = pattern(8192, 5);
  f.put(a, 0);
  expect_rc(f.m().xTruncate(f.f(), 100), SQLITE_OK, "xTruncate down");
  expect(f.size() == 100, "xFileSize after shrinking");
  expect(std::memcmp(f.get(100, 0, "xRead after shrinking").data(), a.data(), 100) == 0,
         "data before the cut survives");
  expect_rc(f.m().xTruncate(f.f(), 5000), SQLITE_OK, "xTruncate up");
  expect(f.size() == 5000, "xFileSize after extending");
  expect(f.get(4900, 100, "xRead of the extension") == zeros(4900),
         "the extension (and the old cut-off data) reads as zeros");
}

void sync_succeeds(Ctx& c) {
  Scratch f(c.vfs, "/contract-sync");
  f.put(pattern(4096, 6), 0);
  expect_rc(f.m().xSync(f.f(), SQLITE_SYNC_NORMAL), SQLITE_OK, "xSync NORMAL");
  expect_rc(f.m().xSync(f.f(), SQLITE_SYNC_FULL), SQLITE_OK, "xSync FULL");
}

void delete_frees_for_reuse(Ctx& c) {
  const char* name = "/contract-delete";
  const int free_before = c.storage.stats().free;
  {
    File f(c.vfs);
    expect_rc(f.open(name, kMain), SQLITE_OK, "xOpen");
    auto a = pattern(4096, 7);
    f.put(a, 0);
  }
  expect_rc(c.vfs->xDelete(c.vfs, name, 0), SQLITE_OK, "xDelete");
  expect(exists(c.vfs, name) == 0, "xAccess no longer finds a deleted file");
  expect(c.storage.stats().free >= free_before, "the deleted file's pool file is free again");
  File f(c.vfs);
  expect_rc(f.open(name, kMain), SQLITE_OK, "xOpen again");
  expect(f.size() == 0, "a recreated file starts empty (no stale data)");
  f.close();
  expect_rc(c.vfs->xDelete(c.vfs, name, 1), SQLITE_OK, "xDelete with a directory sync");
  expect_rc(c.vfs->xDelete(c.vfs, name, 0), SQLITE_IOERR_DELETE_NOENT, "xDelete of a missing file");
}

void locks_are_recorded(Ctx& c) {
  Scratch f(c.vfs, "/contract-lock");
  int reserved = -1;
  expect_rc(f.m().xCheckReservedLock(f.f(), &reserved), SQLITE_OK, "xCheckReservedLock");
  expect(reserved == 0, "no reserved lock after open");
  expect_rc(f.m().xLock(f.f(), SQLITE_LOCK_SHARED), SQLITE_OK, "xLock SHARED");
  expect_rc(f.m().xLock(f.f(), SQLITE_LOCK_RESERVED), SQLITE_OK, "xLock RESERVED");
  f.m().xCheckReservedLock(f.f(), &reserved);
  expect(reserved == 1, "reserved lock reported while held");
  expect_rc(f.m().xLock(f.f(), SQLITE_LOCK_EXCLUSIVE), SQLITE_OK, "xLock EXCLUSIVE");
  expect_rc(f.m().xUnlock(f.f(), SQLITE_LOCK_SHARED), SQLITE_OK, "xUnlock to SHARED");
  f.m().xCheckReservedLock(f.f(), &reserved);
  expect(reserved == 0, "no reserved lock after dropping to SHARED");
  expect_rc(f.m().xUnlock(f.f(), SQLITE_LOCK_NONE), SQLITE_OK, "xUnlock to NONE");
}

void temp_files_stay_in_memory(Ctx& c) {
  const auto before = c.storage.stats();
  File f(c.vfs);
  expect_rc(f.open(nullptr, SQLITE_OPEN_TEMP_JOURNAL | SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                SQLITE_OPEN_DELETEONCLOSE),
            SQLITE_OK, "xOpen of a nameless temp file");
  auto a = pattern(1 << 20, 8);
  f.put(a, 0, "xWrite to the temp file");
  expect(f.get(1 << 20, 0, "xRead from the temp file") == a, "temp file round trip");
  const auto during = c.storage.stats();
  expect(during.used == before.used && during.bytes == before.bytes, "the temp file used no pool file");
  f.close();
}

void journal_and_wal_get_their_own_files(Ctx& c) {
  const int used_before = c.storage.stats().used;
  File db(c.vfs), journal(c.vfs), wal(c.vfs);
  expect_rc(db.open("/contract-kinds", kMain), SQLITE_OK, "xOpen main db");
  expect_rc(journal.open("/contract-kinds-journal",
                         SQLITE_OPEN_MAIN_JOURNAL | SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE),
            SQLITE_OK, "xOpen journal");
  expect_rc(wal.open("/contract-kinds-wal", SQLITE_OPEN_WAL | SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE),
            SQLITE_OK, "xOpen WAL");
  const auto st = c.storage.stats();
  expect(st.used == used_before + 3, "three SQLite files, three pool files");
  int kinds = 0;
  for (const auto& f : st.used_files) {
    if (f.path == "/contract-kinds") kinds += (f.flags & SQLITE_OPEN_MAIN_DB) ? 1 : 100;
    if (f.path == "/contract-kinds-journal") kinds += (f.flags & SQLITE_OPEN_MAIN_JOURNAL) ? 1 : 100;
    if (f.path == "/contract-kinds-wal") kinds += (f.flags & SQLITE_OPEN_WAL) ? 1 : 100;
  }
  expect(kinds == 3, "each pool header records its file's path and type");
  db.close();
  journal.close();
  wal.close();
  for (const char* n : {"/contract-kinds", "/contract-kinds-journal", "/contract-kinds-wal"}) remove(c.vfs, n);
}

void header_is_on_the_host(Ctx& c) {
  const char* name = "/contract-header";
  Scratch f(c.vfs, name);
  int id = -1;
  if (Slot* s = c.storage.pool().find(name)) id = s->id;
  expect(id >= 0, "the pool knows the file");
  unsigned char raw[kHeaderUsed] = {};
  expect(c.storage.pool().host().read(id, raw, kHeaderUsed, 0) == static_cast<std::int64_t>(kHeaderUsed),
         "host read of the header");
  PoolHeader h;
  expect(decode_header(raw, kHeaderUsed, h) == HeaderState::Valid, "the stored header is valid");
  expect(h.path == name && (h.flags & SQLITE_OPEN_MAIN_DB), "the stored header names the file");
  auto a = pattern(512, 9);
  f.put(a, 0, "xWrite at offset 0");
  std::vector<unsigned char> raw_data(512);
  expect(c.storage.pool().host().read(id, raw_data.data(), 512, kHeaderSize) == 512, "host read of the data");
  expect(raw_data == a, "data starts right after the header");
}

void pool_grows_or_says_exhausted(Ctx& c) {
  const int files_before = c.storage.stats().files;
  std::vector<std::unique_ptr<File>> open;
  std::vector<std::string> names;
  int refused = 0;
  for (int i = 0; i < files_before + 2; ++i) {
    names.push_back("/contract-grow-" + std::to_string(i));
    open.push_back(std::make_unique<File>(c.vfs));
    int rc = open.back()->open(names.back().c_str(), kMain);
    if (rc != SQLITE_OK) {
      expect_rc(rc, SQLITE_CANTOPEN, "xOpen on an exhausted pool");
      expect(c.storage.last_error().find("exhausted") != std::string::npos,
             "the failure says the pool is exhausted");
      ++refused;
    }
  }
  const auto st = c.storage.stats();
  expect(refused > 0 || st.files > files_before, "the pool either grew or reported exhaustion");
  open.clear();
  for (const auto& n : names) remove(c.vfs, n.c_str());
  expect(c.storage.stats().used == st.used - (files_before + 2 - refused), "every file was freed again");
}

void device_characteristics(Ctx& c) {
  Scratch f(c.vfs, "/contract-dev");
  expect(f.m().xSectorSize(f.f()) == 4096, "xSectorSize is the 4 KiB block");
  const int dc = f.m().xDeviceCharacteristics(f.f());
  expect((dc & (SQLITE_IOCAP_ATOMIC | SQLITE_IOCAP_BATCH_ATOMIC | SQLITE_IOCAP_SAFE_APPEND)) == 0,
         "no atomic-write or safe-append claims");
  expect((dc & SQLITE_IOCAP_UNDELETABLE_WHEN_OPEN) != 0, "files are undeletable while open");
}

void large_offsets(Ctx& c) {
  if (!c.options.large_offsets) return;
  Scratch f(c.vfs, "/contract-large");
  const sqlite3_int64 off = (5ll << 30) + 12345;
  auto a = pattern(4096, 10);
  f.put(a, off, "xWrite past 4 GiB");
  expect(f.size() == off + 4096, "xFileSize past 4 GiB");
  expect(f.get(4096, off, "xRead past 4 GiB") == a, "round trip past 4 GiB");
  expect_rc(f.m().xTruncate(f.f(), 0), SQLITE_OK, "xTruncate back to 0");
}

// SQLite itself through the VFS, in both journal families.
void sql_roundtrip(Ctx& c) {
  for (const char* mode : {"DELETE", "WAL"}) {
    const std::string name = std::string("/contract-sql-") + mode;
    for (int pass = 0; pass < 2; ++pass) {
      sqlite3* db = nullptr;
      int rc = sqlite3_open_v2(name.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                               c.storage.vfs_name().c_str());
      std::unique_ptr<sqlite3, int (*)(sqlite3*)> guard(db, sqlite3_close_v2);
      expect_rc(rc, SQLITE_OK, std::string("sqlite3_open_v2 ") + mode);
      const std::string setup = std::string("PRAGMA locking_mode=EXCLUSIVE; PRAGMA journal_mode=") + mode +
                                "; CREATE TABLE IF NOT EXISTS t(x INTEGER PRIMARY KEY, y BLOB);";
      expect_rc(sqlite3_exec(db, setup.c_str(), nullptr, nullptr, nullptr), SQLITE_OK,
                std::string("schema ") + mode + ": " + sqlite3_errmsg(db));
      expect_rc(sqlite3_exec(db,
                             "BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<500)"
                             " INSERT INTO t(y) SELECT randomblob(300) FROM n; COMMIT;",
                             nullptr, nullptr, nullptr),
                SQLITE_OK, std::string("insert ") + mode + ": " + sqlite3_errmsg(db));
      sqlite3_stmt* stmt = nullptr;
      sqlite3_prepare_v2(db, "SELECT count(*), (SELECT integrity_check FROM pragma_integrity_check) FROM t", -1,
                         &stmt, nullptr);
      expect(stmt && sqlite3_step(stmt) == SQLITE_ROW, "count query");
      const int count = sqlite3_column_int(stmt, 0);
      const std::string check = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 1));
      sqlite3_finalize(stmt);
      expect(count == 500 * (pass + 1), std::string("rows survive reopening in ") + mode);
      expect(check == "ok", std::string("integrity_check in ") + mode + ": " + check);
    }
    c.storage.delete_database(name);
    expect(exists(c.vfs, name.c_str()) == 0, "the database is deleted");
  }
}

struct NamedCase {
  const char* name;
  Case run;
};

const std::vector<NamedCase>& cases() {
  static const std::vector<NamedCase> all = {
      {"xOpen creates a file and finds it again", open_creates_and_finds},
      {"xOpen without CREATE fails for a missing file", open_missing_fails},
      {"xOpen with EXCLUSIVE refuses an existing file", open_exclusive_refuses_existing},
      {"xOpen refuses a second open of an open main database", open_twice_refused},
      {"xWrite and xRead round-trip at unaligned offsets", write_read_roundtrip},
      {"xRead past the end zero-fills and returns SHORT_READ", short_read_zero_fills},
      {"xTruncate shrinks and extends, xFileSize follows", truncate_and_size},
      {"xSync succeeds", sync_succeeds},
      {"xDelete frees the pool file for reuse", delete_frees_for_reuse},
      {"xLock and xUnlock record the level", locks_are_recorded},
      {"temp files stay in memory", temp_files_stay_in_memory},
      {"journal and WAL get pool files of their own", journal_and_wal_get_their_own_files},
      {"the pool header on the host names the file", header_is_on_the_host},
      {"the pool grows or reports exhaustion", pool_grows_or_says_exhausted},
      {"xSectorSize and xDeviceCharacteristics", device_characteristics},
      {"offsets past 4 GiB", large_offsets},
      {"SQL through the VFS in DELETE and WAL mode", sql_roundtrip},
  };
  return all;
}

}  // namespace

std::vector<ContractResult> run_contract(int host_id, const ContractOptions& options) {
  std::shared_ptr<PoolStorage> storage = PoolStorage::open(host_id);
  Ctx ctx{*storage, storage->vfs(), options};
  std::vector<ContractResult> results;
  for (const NamedCase& c : cases()) {
    ContractResult r{c.name, true, ""};
    try {
      c.run(ctx);
    } catch (const std::exception& e) {
      r.ok = false;
      r.message = e.what();
    }
    results.push_back(std::move(r));
  }
  return results;
}

}  // namespace cs::vfs

CS_COLD_CODE_END
