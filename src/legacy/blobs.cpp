// The blobs table: content-addressed bytes (SHA-256 hex). Migrated images
// live here instead of inside JSON; rows refer to them as
// "blob:sha256:<hex>#<label>". Bytes leave the engine through the binary
// slot (src/api/ops_legacy.cpp), never as base64 inside JSON.
#include "internal.hpp"

#include "campaign_store/clock.hpp"
#include "campaign_store/encoding.hpp"

#include <sqlite3.h>

#include <cstring>

namespace cs::legacy {

std::optional<BlobInfo> blob_info(Database& db, std::string_view hash_or_ref) {
  auto hash = hash_of_ref(hash_or_ref);
  if (!hash) return std::nullopt;
  Statement& st = db.cached("SELECT size, mime FROM blobs WHERE hash = ?1");
  st.bind(1, std::string_view(*hash));
  std::optional<BlobInfo> out;
  if (st.step()) out = BlobInfo{*hash, st.column_int(0), st.column_is_null(1) ? "" : st.column_text(1)};
  st.reset();
  return out;
}

std::optional<BlobInfo> blob_read(Database& db, std::string_view hash_or_ref, std::vector<std::uint8_t>& out) {
  auto hash = hash_of_ref(hash_or_ref);
  if (!hash) return std::nullopt;
  Statement& st = db.cached("SELECT data, size, mime FROM blobs WHERE hash = ?1");
  st.bind(1, std::string_view(*hash));
  std::optional<BlobInfo> info;
  if (st.step()) {
    const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(st.handle(), 0));
    out.assign(p, p + sqlite3_column_bytes(st.handle(), 0));
    info = BlobInfo{*hash, st.column_int(1), st.column_is_null(2) ? "" : st.column_text(2)};
  }
  st.reset();
  return info;
}

BlobInfo blob_put(Database& db, const std::uint8_t* data, std::size_t size, std::string_view mime) {
  BlobInfo info{Sha256::hex(data, size), static_cast<std::int64_t>(size), sniff_mime(data, size, mime)};
  Statement& st = db.cached(
      "INSERT INTO blobs(hash, data, size, mime, created_at) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(hash) DO NOTHING");
  st.bind(1, std::string_view(info.hash)).bind_blob(2, data, size).bind(3, info.size);
  st.bind(4, std::string_view(info.mime)).bind(5, std::string_view(clock::now_iso()));
  st.run();
  return info;
}

}  // namespace cs::legacy
