// Database images in and out: "download my data", backup and restore.
// The bytes never travel inside JSON. An op fills or drains a ByteSlot, one
// of the two each engine has (src/api/session.hpp), and the bindings
// (src/bindings/staged_bytes_bindings.cpp) show JS the slot as a Uint8Array
// view of the wasm heap:
//   export: storage.export op -> the export slot -> JS copies the view, releases
//   import: JS gets a view of the import slot (allocate(n)), fills it, then
//           the storage.import op consumes the slot.
#pragma once

#include <cstddef>
#include <cstdint>

struct sqlite3;

namespace cs::vfs {

class ByteSlot {
 public:
  ByteSlot() = default;
  ~ByteSlot() { reset(); }
  ByteSlot(const ByteSlot&) = delete;
  ByteSlot& operator=(const ByteSlot&) = delete;

  unsigned char* data() const { return data_; }
  std::size_t size() const { return size_; }
  // Frees the bytes (they come from sqlite3_malloc64).
  void reset();
  // Takes ownership of sqlite3_malloc64'd bytes.
  void adopt(unsigned char* data, std::size_t size);
  // Replaces the contents with n fresh bytes; nullptr when out of memory.
  unsigned char* allocate(std::size_t n);
  // Hands the bytes to the caller, who frees them with sqlite3_free.
  unsigned char* take(std::size_t* size);

 private:
  unsigned char* data_ = nullptr;
  std::size_t size_ = 0;
};


struct ImageInfo {
  std::int64_t bytes = 0;
  int page_size = 0;
  std::int64_t page_count = 0;
};

// Resets every statement of db that was stepped and left unfinished (a
// cached lookup that read one row). Such a statement keeps a read
// transaction open, which makes checkpoints report SQLITE_LOCKED and makes
// a backup into db fail. Only call it between ops, never while a caller
// iterates a statement.
void reset_idle_statements(sqlite3* db);

// Puts db's main database, as a standard SQLite file in rollback-journal
// mode (readable by any SQLite), into `out`. Throws cs::Error.
ImageInfo export_database(sqlite3* db, ByteSlot& out);

// Replaces db's main database with the image in `in` (consumed,
// even on failure). The image is checked first: SQLite header, whole pages,
// PRAGMA integrity_check, user_version <= max_user_version; then copied with
// the backup API in one write transaction, so a failure or crash half-way
// leaves the old database. Throws cs::Error (INVALID_ARGUMENT for a file
// that is not a SQLite database, CORRUPT when its integrity check fails).
ImageInfo import_database(sqlite3* db, ByteSlot& in, int max_user_version);

}  // namespace cs::vfs
