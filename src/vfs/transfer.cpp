#include "vfs/transfer.hpp"

#include "db/cold_code.hpp"
#include "db/error.hpp"

#include <sqlite3.h>

#include <cstring>
#include <string>

CS_COLD_CODE_BEGIN

namespace cs::vfs {

void ByteSlot::reset() {
  sqlite3_free(data_);
  data_ = nullptr;
  size_ = 0;
}

void ByteSlot::adopt(unsigned char* data, std::size_t size) {
  reset();
  data_ = data;
  size_ = size;
}

unsigned char* ByteSlot::allocate(std::size_t n) {
  reset();
  data_ = static_cast<unsigned char*>(sqlite3_malloc64(n == 0 ? 1 : n));
  size_ = data_ ? n : 0;
  return data_;
}

unsigned char* ByteSlot::take(std::size_t* size) {
  unsigned char* out = data_;
  *size = size_;
  data_ = nullptr;
  size_ = 0;
  return out;
}

namespace {

constexpr char kMagic[16] = "SQLite format 3";  // 15 chars + NUL, as on disk

int page_size_of(const unsigned char* header) {
  const int raw = (header[16] << 8) | header[17];
  return raw == 1 ? 65536 : raw;
}

// Bytes 18/19 are the read/write format versions: 2 means WAL. A copy is a
// lone file without its WAL, so it must say rollback journal (1).
void mark_rollback_mode(unsigned char* header) {
  if (header[18] == 2) header[18] = 1;
  if (header[19] == 2) header[19] = 1;
}

[[noreturn]] void raise(sqlite3* db, int rc, const std::string& what) {
  const int ext = db ? sqlite3_extended_errcode(db) : rc;
  throw Error(code_from_sqlite(ext), what + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)),
              {{"sqlite_code", ext}});
}

std::string single_text(sqlite3* db, const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
  if (rc != SQLITE_OK) raise(db, rc, sql);
  std::string out;
  rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    const auto* t = sqlite3_column_text(stmt, 0);
    out = t ? reinterpret_cast<const char*>(t) : "";
  }
  sqlite3_finalize(stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) raise(db, rc, sql);
  return out;
}

// RAII for the in-memory connection holding an image being imported.
struct MemoryConnection {
  sqlite3* db = nullptr;
  ~MemoryConnection() { sqlite3_close_v2(db); }
};

}  // namespace

void reset_idle_statements(sqlite3* db) {
  for (sqlite3_stmt* s = sqlite3_next_stmt(db, nullptr); s != nullptr; s = sqlite3_next_stmt(db, s))
    if (sqlite3_stmt_busy(s)) sqlite3_reset(s);
}

ImageInfo export_database(sqlite3* db, ByteSlot& out) {
  reset_idle_statements(db);
  sqlite3_int64 size = 0;
  unsigned char* bytes = sqlite3_serialize(db, "main", &size, 0);
  ImageInfo info;
  if (bytes == nullptr) {
    // An empty database has no pages; anything else is a failure.
    if (std::stoll(single_text(db, "PRAGMA main.page_count")) != 0)
      throw Error(Code::StorageFull, "out of memory while exporting the database");
    // Zero bytes staged, which is not none staged (the binary path tells them apart).
    if (out.allocate(0) == nullptr) throw Error(Code::StorageFull, "out of memory while exporting the database");
    return info;
  }
  if (size >= 100) mark_rollback_mode(bytes);
  out.adopt(bytes, static_cast<std::size_t>(size));
  info.bytes = size;
  info.page_size = size >= 100 ? page_size_of(bytes) : 0;
  info.page_count = info.page_size ? size / info.page_size : 0;
  return info;
}

ImageInfo import_database(sqlite3* dest, ByteSlot& in, int max_user_version) {
  std::size_t n = 0;
  unsigned char* bytes = in.take(&n);
  ImageInfo info;
  info.bytes = static_cast<std::int64_t>(n);
  const int page_size = n >= 100 ? page_size_of(bytes) : 0;
  if (n < 512 || std::memcmp(bytes, kMagic, sizeof kMagic) != 0 || page_size < 512 ||
      page_size > 65536 || (page_size & (page_size - 1)) != 0 || n % static_cast<std::size_t>(page_size) != 0) {
    sqlite3_free(bytes);
    throw Error(Code::InvalidArgument, "the imported bytes are not a SQLite database file",
                {{"bytes", n}});
  }
  info.page_size = page_size;
  info.page_count = static_cast<std::int64_t>(n / static_cast<std::size_t>(page_size));
  mark_rollback_mode(bytes);

  MemoryConnection src;
  int rc = sqlite3_open_v2(":memory:", &src.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_free(bytes);
    raise(src.db, rc, "cannot open a scratch connection for the import");
  }
  // Zero copy: the connection takes the bytes and frees them on close (and
  // on failure).
  rc = sqlite3_deserialize(src.db, "main", bytes, static_cast<sqlite3_int64>(n), static_cast<sqlite3_int64>(n),
                           SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE);
  if (rc != SQLITE_OK) raise(src.db, rc, "cannot load the imported database");

  const std::string check = single_text(src.db, "PRAGMA integrity_check(1)");
  if (check != "ok")
    throw Error(Code::Corrupt, "the imported database fails its integrity check: " + check);
  const int version = std::stoi(single_text(src.db, "PRAGMA user_version"));
  if (version > max_user_version)
    throw Error(Code::InvalidArgument,
                "the imported database was written by a newer campaign-store (schema " +
                    std::to_string(version) + " > " + std::to_string(max_user_version) + ")",
                {{"schemaVersion", version}, {"supported", max_user_version}});

  // A WAL database cannot change its page size by backup; convert the
  // scratch copy instead.
  const int dest_page_size = std::stoi(single_text(dest, "PRAGMA main.page_size"));
  if (dest_page_size != page_size) {
    const std::string sql = "PRAGMA page_size=" + std::to_string(dest_page_size);
    rc = sqlite3_exec(src.db, sql.c_str(), nullptr, nullptr, nullptr);
    if (rc == SQLITE_OK) rc = sqlite3_exec(src.db, "VACUUM", nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) raise(src.db, rc, "cannot convert the imported database's page size");
  }

  reset_idle_statements(dest);
  sqlite3_backup* backup = sqlite3_backup_init(dest, "main", src.db, "main");
  if (backup == nullptr) raise(dest, sqlite3_errcode(dest), "cannot start the import");
  rc = sqlite3_backup_step(backup, -1);
  const int finish = sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) raise(dest, rc == SQLITE_OK ? finish : rc, "import failed; the database is unchanged");
  if (finish != SQLITE_OK) raise(dest, finish, "import failed");
  return info;
}

}  // namespace cs::vfs

CS_COLD_CODE_END
