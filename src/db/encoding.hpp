// Byte encodings the legacy import and blob storage need: SHA-256 (content
// addresses of images) and base64 (the `data:` URLs the app stored, list cursors).
// Hand-written because the wasm build has no OpenSSL; checked against the
// FIPS 180-4 and RFC 4648 test vectors in tests/native/test_encoding.cpp.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cs {

class Sha256 {
 public:
  Sha256();
  void update(const void* data, std::size_t size);
  std::array<std::uint8_t, 32> finish();

  // Lower-case hex digest of data in one call.
  static std::string hex(const void* data, std::size_t size);
  static std::string hex(std::string_view data) { return hex(data.data(), data.size()); }

 private:
  void block(const std::uint8_t* p);
  std::uint32_t h_[8];
  std::uint8_t buffer_[64];
  std::size_t buffered_ = 0;
  std::uint64_t length_ = 0;
};

// Standard base64 (RFC 4648 §4), padding optional on input; whitespace is
// skipped (some data: URLs were wrapped). nullopt on any other bad character.
std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text);
// WHATWG forgiving-base64, as browsers decode a data: URL: ASCII whitespace
// ignored, one or two '=' only at the end of a whole quantum, leftover bits
// dropped. False (out unspecified) when the text is not base64.
bool base64_decode_forgiving(std::string_view text, std::vector<std::uint8_t>& out);
std::string base64_encode(const void* data, std::size_t size);

// Lower-case hex: of bytes, and of a 64-bit value as 16 digits.
std::string to_hex(const std::uint8_t* data, std::size_t size);
std::string to_hex(std::uint64_t value);
// 0..15 for a hex digit of either case, -1 otherwise.
int hex_digit(char c);

}  // namespace cs
