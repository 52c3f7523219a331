// A growable byte buffer behind SQLite's temporary files (temp tables,
// sorter spills, statement journals): they never need to survive the
// connection, so they never cost a pool file or a host round trip.
#pragma once

#include <sqlite3.h>

#include <cstring>
#include <vector>

namespace cs::vfs {

class TempFile {
 public:
  int read(void* dst, int amt, sqlite3_int64 off) const {
    const auto n = static_cast<sqlite3_int64>(bytes_.size());
    sqlite3_int64 avail = off >= n ? 0 : n - off;
    if (avail > amt) avail = amt;
    if (avail > 0) std::memcpy(dst, bytes_.data() + off, static_cast<std::size_t>(avail));
    if (avail < amt) {
      std::memset(static_cast<char*>(dst) + avail, 0, static_cast<std::size_t>(amt - avail));
      return SQLITE_IOERR_SHORT_READ;
    }
    return SQLITE_OK;
  }
  int write(const void* src, int amt, sqlite3_int64 off) {
    try {
      const auto end = static_cast<std::size_t>(off + amt);
      if (end > bytes_.size()) bytes_.resize(end);
    } catch (...) {
      return SQLITE_NOMEM;
    }
    std::memcpy(bytes_.data() + off, src, static_cast<std::size_t>(amt));
    return SQLITE_OK;
  }
  int truncate(sqlite3_int64 size) {
    if (static_cast<std::size_t>(size) < bytes_.size()) bytes_.resize(static_cast<std::size_t>(size));
    return SQLITE_OK;
  }
  sqlite3_int64 size() const { return static_cast<sqlite3_int64>(bytes_.size()); }

 private:
  std::vector<unsigned char> bytes_;
};

}  // namespace cs::vfs
