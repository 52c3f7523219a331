#include "pool_header.hpp"

#include "db/cold_code.hpp"

#include <cstring>

CS_COLD_CODE_BEGIN

namespace cs::vfs {

namespace {

constexpr unsigned char kMagic[8] = {'c', 's', '-', 'p', 'o', 'o', 'l', '\0'};
constexpr std::uint32_t kVersion = 1;
constexpr std::size_t kOffVersion = 8, kOffFlags = 12, kOffPathLen = 16, kOffPath = 20,
                      kOffDigest = kOffPath + kMaxPath;
static_assert(kOffDigest + 8 == kHeaderUsed);

std::uint64_t fnv1a(const unsigned char* p, std::size_t n) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (std::size_t i = 0; i < n; ++i) {
    h ^= p[i];
    h *= 0x100000001b3ull;
  }
  return h;
}

void put32(unsigned char* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<unsigned char>(v >> (8 * i));
}
void put64(unsigned char* p, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<unsigned char>(v >> (8 * i));
}
std::uint32_t get32(const unsigned char* p) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(p[i]) << (8 * i);
  return v;
}
std::uint64_t get64(const unsigned char* p) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(p[i]) << (8 * i);
  return v;
}

}  // namespace

std::array<unsigned char, kHeaderSize> encode_header(const PoolHeader& header) {
  std::array<unsigned char, kHeaderSize> block{};
  std::memcpy(block.data(), kMagic, sizeof kMagic);
  put32(block.data() + kOffVersion, kVersion);
  const std::size_t len = header.path.size() <= kMaxPath ? header.path.size() : kMaxPath;
  put32(block.data() + kOffFlags, len == 0 ? 0 : header.flags);
  put32(block.data() + kOffPathLen, static_cast<std::uint32_t>(len));
  std::memcpy(block.data() + kOffPath, header.path.data(), len);
  put64(block.data() + kOffDigest, fnv1a(block.data(), kOffDigest));
  return block;
}

HeaderState decode_header(const unsigned char* bytes, std::size_t n, PoolHeader& out) {
  out = PoolHeader{};
  bool all_zero = true;
  for (std::size_t i = 0; i < n && i < kHeaderUsed && all_zero; ++i) all_zero = bytes[i] == 0;
  // A file cut short inside its header is a header write that never
  // finished; with no data after it, nothing was lost.
  if (all_zero || n < kHeaderUsed) return all_zero ? HeaderState::Blank : HeaderState::Damaged;
  if (std::memcmp(bytes, kMagic, sizeof kMagic) != 0) return HeaderState::Damaged;
  if (get32(bytes + kOffVersion) != kVersion) return HeaderState::Damaged;
  if (get64(bytes + kOffDigest) != fnv1a(bytes, kOffDigest)) return HeaderState::Damaged;
  const std::uint32_t len = get32(bytes + kOffPathLen);
  if (len > kMaxPath) return HeaderState::Damaged;
  out.flags = get32(bytes + kOffFlags);
  out.path.assign(reinterpret_cast<const char*>(bytes + kOffPath), len);
  return HeaderState::Valid;
}

}  // namespace cs::vfs

CS_COLD_CODE_END
