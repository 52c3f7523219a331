// Whole texts as UTF-8 and as JavaScript sees them. Both walk ASCII eight
// bytes at a time: localStorage dumps are megabytes of mostly ASCII JSON.
#include "json/json_text.hpp"
#include "json/string_bytes.hpp"

#include <cstring>

namespace cs::json_text {

namespace {

// The end of the ASCII run starting at i, eight bytes at a time.
std::size_t skip_ascii(const unsigned char* p, std::size_t i, std::size_t n) {
  while (i + 8 <= n) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    if (w & 0x8080808080808080ull) break;
    i += 8;
  }
  while (i < n && p[i] < 0x80) ++i;
  return i;
}

}  // namespace

bool valid_utf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  for (std::size_t i = skip_ascii(p, 0, n); i < n; i = skip_ascii(p, i, n)) {
    const int unit = utf8_unit(p + i, p + n);
    if (unit <= 0) return false;
    i += static_cast<std::size_t>(unit);
  }
  return true;
}

std::int64_t utf16_units(std::string_view utf8) {
  const auto* p = reinterpret_cast<const unsigned char*>(utf8.data());
  const std::size_t n = utf8.size();
  std::int64_t units = 0;
  for (std::size_t i = 0; i < n;) {
    const std::size_t ascii_end = skip_ascii(p, i, n);
    units += static_cast<std::int64_t>(ascii_end - i);  // one unit per ASCII byte
    i = ascii_end;
    if (i >= n) break;
    const unsigned char c = p[i++];
    if ((c & 0xC0) == 0x80) continue;  // a continuation byte
    units += c >= 0xF0 ? 2 : 1;         // astral characters are surrogate pairs in UTF-16
  }
  return units;
}

}  // namespace cs::json_text
