#include "db/encoding.hpp"

namespace cs {

namespace {
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// 0..63 for alphabet characters, 64 for skippable (ASCII) whitespace, 65
// for '=', 255 for anything else.
struct DecodeTable {
  std::uint8_t v[256];
  constexpr DecodeTable() : v{} {
    for (int i = 0; i < 256; ++i) v[i] = 255;
    for (int i = 0; i < 64; ++i) v[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::uint8_t>(i);
    for (char c : {' ', '\t', '\n', '\f', '\r'}) v[static_cast<unsigned char>(c)] = 64;
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

bool base64_decode_forgiving(std::string_view s, std::vector<std::uint8_t>& out) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  // Pass 1: length without whitespace and the '=' run at its end.
  std::size_t len = 0, trailing_eq = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint8_t v = kDecode.v[p[i]];
    if (v == 64) continue;
    ++len;
    trailing_eq = v == 65 ? trailing_eq + 1 : 0;
  }
  std::size_t keep = len;
  if (len % 4 == 0) keep -= trailing_eq < 2 ? trailing_eq : 2;  // one or two '=' of padding
  if (keep % 4 == 1) return false;
  // Pass 2: whole quanta four characters at a time while no whitespace
  // intervenes (the common case), one at a time otherwise.
  out.resize(keep / 4 * 3 + (keep % 4 ? keep % 4 - 1 : 0));
  std::uint8_t* o = out.data();
  std::uint32_t acc = 0;
  int bits = 0;
  std::size_t taken = 0, i = 0;
  while (taken < keep) {
    if (bits == 0 && keep - taken >= 4 && i + 4 <= n) {
      const std::uint8_t a = kDecode.v[p[i]], b = kDecode.v[p[i + 1]], c = kDecode.v[p[i + 2]], d = kDecode.v[p[i + 3]];
      if ((a | b | c | d) < 64) {
        const std::uint32_t q = std::uint32_t(a) << 18 | std::uint32_t(b) << 12 | std::uint32_t(c) << 6 | d;
        o[0] = static_cast<std::uint8_t>(q >> 16);
        o[1] = static_cast<std::uint8_t>(q >> 8);
        o[2] = static_cast<std::uint8_t>(q);
        o += 3;
        i += 4;
        taken += 4;
        continue;
      }
    }
    const std::uint8_t v = kDecode.v[p[i++]];
    if (v == 64) continue;
    if (v > 63) return false;  // '=' inside, or not base64 at all
    ++taken;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      *o++ = static_cast<std::uint8_t>(acc >> bits);
    }
  }
  out.resize(static_cast<std::size_t>(o - out.data()));
  return true;  // leftover bits are discarded, as the spec says
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
