// Content-addressed bytes: the `blobs` table (SHA-256 hex of the bytes, the
// bytes, their size and media type). Rows refer to a blob by reference text,
// "blob:sha256:<hex>" with an optional "#<label>" (a migrated data: URL keeps
// what stood between "data:" and its comma there). Migrated images, images
// the app stores and images another device uploaded all land here; bytes
// leave through the binary slot (src/vfs/transfer.hpp), never inside JSON.
#pragma once

#include "db/database.hpp"
#include "vfs/transfer.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cs::blobs {

inline constexpr std::string_view kRefPrefix = "blob:sha256:";

struct BlobInfo {
  std::string hash;
  std::int64_t size = 0;
  std::string mime;
};

// "blob:sha256:<hex>" and, when label is not empty, "#<label>".
std::string ref(std::string_view hash, std::string_view label = {});
// A reference ("blob:sha256:<hex>[#label]") or a bare hash -> the hash;
// nullopt when text is neither.
std::optional<std::string> hash_of_ref(std::string_view text);
// The media type the bytes show (PNG, JPEG, GIF, WebP, SVG), else the
// label's type ("image/png;base64" -> "image/png"), else "text/plain".
std::string sniff_mime(const std::uint8_t* data, std::size_t size, std::string_view label);

std::optional<BlobInfo> info(Database& db, std::string_view hash_or_ref);
// Copies the bytes of a blob into out.
std::optional<BlobInfo> read(Database& db, std::string_view hash_or_ref, std::vector<std::uint8_t>& out);
// Copies them straight from SQLite's row into `out` (an engine's export
// slot, where JS takes them); STORAGE_FULL when the slot cannot hold them.
std::optional<BlobInfo> stage(Database& db, std::string_view hash_or_ref, vfs::ByteSlot& out);
// Stores bytes under their hash; nothing when that hash is present already.
// label: the type the caller states (a MIME type or a data: URL's label),
// used when the bytes do not show theirs. *inserted says whether they were new.
BlobInfo put(Database& db, const std::uint8_t* data, std::size_t size, std::string_view label,
             bool* inserted = nullptr);

}  // namespace cs::blobs
