// The blobs table: reading, staging and storing content-addressed bytes.
#include "blobs/blob_store.hpp"

#include "db/encoding.hpp"
#include "db/error.hpp"
#include "model/clock.hpp"
#include "vfs/transfer.hpp"

#include <sqlite3.h>

#include <cstring>

namespace cs::blobs {


std::optional<BlobInfo> info(Database& db, std::string_view hash_or_ref) {
  auto hash = hash_of_ref(hash_or_ref);
  if (!hash) return std::nullopt;
  Statement& st = db.cached("SELECT size, mime FROM blobs WHERE hash = ?1");
  st.bind(1, std::string_view(*hash));
  std::optional<BlobInfo> out;
  if (st.step()) out = BlobInfo{*hash, st.column_int(0), st.column_is_null(1) ? "" : st.column_text(1)};
  st.reset();
  return out;
}

namespace {

// The blob's row, its bytes handed to `copy` while SQLite holds them; the
// statement is reset even when `copy` throws.
template <class Copy>
std::optional<BlobInfo> with_blob(Database& db, std::string_view hash_or_ref, Copy copy) {
  auto hash = hash_of_ref(hash_or_ref);
  if (!hash) return std::nullopt;
  Statement& st = db.cached("SELECT data, size, mime FROM blobs WHERE hash = ?1");
  st.bind(1, std::string_view(*hash));
  struct Reset {
    Statement& st;
    ~Reset() { st.reset(); }
  } reset{st};
  if (!st.step()) return std::nullopt;
  copy(static_cast<const std::uint8_t*>(sqlite3_column_blob(st.handle(), 0)),
       static_cast<std::size_t>(sqlite3_column_bytes(st.handle(), 0)));
  return BlobInfo{*hash, st.column_int(1), st.column_is_null(2) ? "" : st.column_text(2)};
}

}  // namespace

std::optional<BlobInfo> read(Database& db, std::string_view hash_or_ref, std::vector<std::uint8_t>& out) {
  return with_blob(db, hash_or_ref, [&](const std::uint8_t* p, std::size_t n) { out.assign(p, p + n); });
}

std::optional<BlobInfo> stage(Database& db, std::string_view hash_or_ref, vfs::ByteSlot& out) {
  return with_blob(db, hash_or_ref, [&out](const std::uint8_t* p, std::size_t n) {
    unsigned char* slot = out.allocate(n);
    if (slot == nullptr) throw Error(Code::StorageFull, "out of memory staging a blob", {{"bytes", n}});
    if (n > 0) std::memcpy(slot, p, n);
  });
}

BlobInfo put(Database& db, const std::uint8_t* data, std::size_t size, std::string_view label, bool* inserted) {
  BlobInfo info{Sha256::hex(data, size), static_cast<std::int64_t>(size), sniff_mime(data, size, label)};
  Statement& st = db.cached(
      "INSERT INTO blobs(hash, data, size, mime, created_at) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(hash) DO NOTHING");
  st.bind(1, std::string_view(info.hash)).bind_blob(2, data, size).bind(3, info.size);
  st.bind(4, std::string_view(info.mime)).bind(5, std::string_view(clock::now_iso()));
  st.run();
  if (inserted != nullptr) *inserted = db.changes() > 0;
  return info;
}

}  // namespace cs::blobs
