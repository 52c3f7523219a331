#include "db/encoding.hpp"

namespace cs {

namespace {
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// 0..63 for alphabet characters, 64 for skippable whitespace, 65 for '=',
// 255 for anything else.
struct DecodeTable {
  std::uint8_t v[256];
  constexpr DecodeTable() : v{} {
    for (int i = 0; i < 256; ++i) v[i] = 255;
    for (int i = 0; i < 64; ++i) v[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::uint8_t>(i);
    v[static_cast<unsigned char>(' ')] = v[static_cast<unsigned char>('\n')] =
        v[static_cast<unsigned char>('\r')] = v[static_cast<unsigned char>('\t')] = 64;
    v[static_cast<unsigned char>('=')] = 65;
  }
};
constexpr DecodeTable kDecode;
}  // namespace

std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text) {
  std::vector<std::uint8_t> out;
  out.reserve(text.size() / 4 * 3);
  std::uint32_t acc = 0;
  int bits = 0;
  bool padding = false;
  for (unsigned char c : text) {
    std::uint8_t v = kDecode.v[c];
    if (v == 64) continue;
    if (v == 65) { padding = true; continue; }
    if (v == 255 || padding) return std::nullopt;  // garbage, or data after '='
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>(acc >> bits));
    }
  }
  // Leftover bits must be zero padding of at most 4 bits (2 or 3 chars in the
  // last quantum); 6 leftover bits mean a lone trailing character.
  if (bits >= 6 || (acc & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

std::string base64_encode(const void* data, std::size_t size) {
  const auto* p = static_cast<const std::uint8_t*>(data);
  std::string out;
  out.reserve((size + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= size; i += 3) {
    std::uint32_t n = std::uint32_t(p[i]) << 16 | std::uint32_t(p[i + 1]) << 8 | p[i + 2];
    out += kAlphabet[n >> 18];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i < size) {
    std::uint32_t n = std::uint32_t(p[i]) << 16 | (i + 1 < size ? std::uint32_t(p[i + 1]) << 8 : 0);
    out += kAlphabet[n >> 18];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < size ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace cs
