#include "model/uuid.hpp"

#include "db/random.hpp"

#include <cstdint>

namespace cs {

namespace {

// Random bytes are drawn 4 KiB at a time: one getrandom() (or one
// crypto.getRandomValues() crossing into JS, in wasm) per 256 ids instead of
// one per id. The pool is consumed once and never reused.
class RandomPool {
 public:
  void take(std::uint8_t* out, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
      if (used_ == sizeof bytes_) {
        secure_random(bytes_, sizeof bytes_);
        used_ = 0;
      }
      out[i] = bytes_[used_];
      bytes_[used_++] = 0;
    }
  }

 private:
  std::uint8_t bytes_[4096] = {};
  std::size_t used_ = sizeof bytes_;
};

RandomPool& pool() {
  static RandomPool p;
  return p;
}

bool hex_digit(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

}  // namespace

std::string new_uuid() {
  std::uint8_t b[16];
  pool().take(b, sizeof b);
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  static const char* hex = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(hex[b[i] >> 4]);
    out.push_back(hex[b[i] & 15]);
  }
  return out;
}

bool is_uuid(std::string_view s) noexcept {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < 36; ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !hex_digit(s[i])) return false;
  }
  return true;
}

}  // namespace cs
