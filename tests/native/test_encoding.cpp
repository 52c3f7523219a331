// SHA-256 against FIPS 180-4 vectors; base64 against RFC 4648 §10 vectors and
// the malformed inputs a truncated data: URL produces.
#include "db/encoding.hpp"

#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

using cs::Sha256;

TEST_CASE("SHA-256 matches the FIPS 180-4 test vectors") {
  CHECK(Sha256::hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(Sha256::hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(Sha256::hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  std::string million(1000000, 'a');
  CHECK(Sha256::hex(million) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("SHA-256 gives the same digest however the input is split") {
  std::string text(1000, '\0');
  for (std::size_t i = 0; i < text.size(); ++i) text[i] = static_cast<char>(i * 31 + 7);
  const std::string whole = Sha256::hex(text);
  for (std::size_t step : {1u, 3u, 63u, 64u, 65u, 200u}) {
    Sha256 s;
    for (std::size_t i = 0; i < text.size(); i += step)
      s.update(text.data() + i, std::min(step, text.size() - i));
    auto d = s.finish();
    CHECK(cs::to_hex(d.data(), d.size()) == whole);
  }
}

TEST_CASE("SHA-256 byte by byte and in one call agree at every length across the block boundaries") {
  std::string data;
  for (int n = 0; n < 300; ++n) {
    Sha256 s;
    for (char c : data) s.update(&c, 1);
    auto d = s.finish();
    INFO(n);
    CHECK(cs::to_hex(d.data(), d.size()) == Sha256::hex(data));
    data += static_cast<char>(n * 131 + 7);
  }
}

TEST_CASE("base64 round-trips the RFC 4648 vectors") {
  const char* plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
  const char* encoded[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
  for (int i = 0; i < 7; ++i) {
    std::string p = plain[i];
    CHECK(cs::base64_encode(p.data(), p.size()) == encoded[i]);
    auto back = cs::base64_decode(encoded[i]);
    REQUIRE(back);
    CHECK(std::string(back->begin(), back->end()) == p);
  }
}

TEST_CASE("base64 decoding tolerates wrapping and missing padding, rejects garbage") {
  auto wrapped = cs::base64_decode("Zm9v\nYmFy\r\n");
  REQUIRE(wrapped);
  CHECK(std::string(wrapped->begin(), wrapped->end()) == "foobar");
  auto unpadded = cs::base64_decode("Zm8");
  REQUIRE(unpadded);
  CHECK(std::string(unpadded->begin(), unpadded->end()) == "fo");
  CHECK_FALSE(cs::base64_decode("Zm9v!"));
  CHECK_FALSE(cs::base64_decode("Zg==Zg"));  // data after padding
  CHECK_FALSE(cs::base64_decode("Z"));       // a lone trailing character
  CHECK_FALSE(cs::base64_decode("Zh=="));    // non-zero padding bits
}

TEST_CASE("forgiving base64 decodes as browsers decode data: URLs (WHATWG), where the strict decoder refuses") {
  auto decode = [](std::string_view text) -> std::optional<std::string> {
    std::vector<std::uint8_t> out;
    if (!cs::base64_decode_forgiving(text, out)) return std::nullopt;
    return std::string(out.begin(), out.end());
  };
  CHECK(decode("") == std::string());
  CHECK(decode("abcd") == std::string("\x69\xb7\x1d"));
  CHECK(decode(" a\tb\nc\fd\r") == std::string("\x69\xb7\x1d"));  // ASCII whitespace anywhere, form feed too
  CHECK(decode("ab==") == std::string("\x69"));
  CHECK(decode("abc=") == std::string("\x69\xb7"));
  CHECK(decode("ab") == std::string("\x69"));   // padding optional
  CHECK(decode("Zh==") == std::string("f"));    // leftover bits dropped (the strict decoder refuses these)
  CHECK_FALSE(cs::base64_decode("Zh=="));
  CHECK_FALSE(decode("ab="));       // '=' only ends a whole quantum
  CHECK_FALSE(decode("abcd==="));
  CHECK_FALSE(decode("ab=c"));
  CHECK_FALSE(decode("abcde"));     // one character over a quantum
  CHECK_FALSE(decode("ab!d"));
  // Long input goes four characters at a time; whitespace between quanta too.
  std::string text, expected;
  for (int i = 0; i < 300; ++i) {
    const unsigned char bytes[3] = {static_cast<unsigned char>(i), static_cast<unsigned char>(i * 7),
                                    static_cast<unsigned char>(255 - i)};
    text += cs::base64_encode(bytes, 3) + (i % 17 == 0 ? "\n" : "");
    expected.append(reinterpret_cast<const char*>(bytes), 3);
  }
  CHECK(decode(text) == expected);
}

TEST_CASE("hex: bytes and 64-bit values in lower case, digits of either case read back") {
  const std::uint8_t bytes[] = {0x00, 0x0f, 0xa5, 0xff};
  CHECK(cs::to_hex(bytes, 4) == "000fa5ff");
  CHECK(cs::to_hex(std::uint64_t{0}) == "0000000000000000");
  CHECK(cs::to_hex(std::uint64_t{0xef46db3751d8e999}) == "ef46db3751d8e999");
  CHECK(cs::hex_digit('7') == 7);
  CHECK(cs::hex_digit('b') == 11);
  CHECK(cs::hex_digit('F') == 15);
  CHECK(cs::hex_digit('g') == -1);
  CHECK(cs::hex_digit('/') == -1);
}
