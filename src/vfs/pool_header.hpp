// The header at the start of every pool file. It records which SQLite file
// the pool file currently holds (its path and open flags), so the mapping
// survives restarts, and carries a checksum, so a torn or damaged header is
// detected instead of silently mapping garbage. Data follows at kHeaderSize.
//
// Layout (little-endian), bytes [0, kHeaderUsed):
//   0   8   magic "cs-pool\0"
//   8   4   format version (1)
//   12  4   SQLite open flags of the file (0 when the pool file is free)
//   16  4   path length in bytes (0 when free)
//   20  512 path bytes, zero-padded
//   532 8   FNV-1a 64 of bytes [0, 532)
// The rest of the first 4096 bytes is zero: data starts on a 4 KiB boundary,
// so SQLite's page-sized writes stay block-aligned in the underlying file.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace cs::vfs {

inline constexpr std::int64_t kHeaderSize = 4096;
inline constexpr std::size_t kMaxPath = 512;
inline constexpr std::size_t kHeaderUsed = 540;

struct PoolHeader {
  std::uint32_t flags = 0;  // SQLite open flags; 0 = free
  std::string path;         // empty = free
  bool is_free() const { return path.empty(); }
};

enum class HeaderState {
  Blank,    // never formatted (all zero, or shorter than a header): free
  Valid,    // magic, version and checksum check out
  Damaged,  // anything else: torn write or outside damage
};

// The whole kHeaderSize block for header. path must be at most kMaxPath bytes.
std::array<unsigned char, kHeaderSize> encode_header(const PoolHeader& header);

// Parses the first n bytes of a pool file (n may be less than kHeaderUsed
// when the file is short).
HeaderState decode_header(const unsigned char* bytes, std::size_t n, PoolHeader& out);

}  // namespace cs::vfs
