// The blob store: references, media types, and content stored once.
#include "blobs/blob_store.hpp"
#include "data_api_support.hpp"

#include <string>
#include <vector>

namespace {

const std::string kHash(64, 'a');

std::vector<std::uint8_t> bytes_of(const std::string& s) { return {s.begin(), s.end()}; }

}  // namespace

TEST_CASE("a reference and its hash convert both ways, and nothing else is a reference") {
  CHECK(cs::blobs::ref(kHash) == "blob:sha256:" + kHash);
  CHECK(cs::blobs::ref(kHash, "image/png;base64") == "blob:sha256:" + kHash + "#image/png;base64");
  CHECK(cs::blobs::hash_of_ref(cs::blobs::ref(kHash)) == kHash);
  CHECK(cs::blobs::hash_of_ref(cs::blobs::ref(kHash, "x")) == kHash);
  CHECK(cs::blobs::hash_of_ref(cs::blobs::ref(kHash) + "#") == kHash);
  CHECK(cs::blobs::hash_of_ref(kHash) == kHash);  // a bare hash

  CHECK_FALSE(cs::blobs::hash_of_ref(std::string(64, 'A')));                // upper-case hex
  CHECK_FALSE(cs::blobs::hash_of_ref(std::string(63, 'a')));                // too short
  CHECK_FALSE(cs::blobs::hash_of_ref("blob:sha256:" + std::string(63, 'a')));
  CHECK_FALSE(cs::blobs::hash_of_ref("blob:sha256:" + kHash + "x"));        // no '#' before the label
  CHECK_FALSE(cs::blobs::hash_of_ref("blob:sha1:" + kHash));
  CHECK_FALSE(cs::blobs::hash_of_ref("blob:sha256:" + std::string(63, 'a') + "g"));
  CHECK_FALSE(cs::blobs::hash_of_ref(""));
}

TEST_CASE("the media type is what the bytes show, else the label's, else text/plain") {
  auto sniff = [](const std::string& bytes, std::string_view label) {
    return cs::blobs::sniff_mime(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), label);
  };
  CHECK(sniff(std::string("\x89PNG\r\n\x1a\n", 8) + "rest", "image/jpeg") == "image/png");
  CHECK(sniff("\xFF\xD8\xFF\xE0", "") == "image/jpeg");
  CHECK(sniff("GIF89a...", "") == "image/gif");
  CHECK(sniff(std::string("RIFF\x10\x00\x00\x00WEBPVP8 ", 16), "") == "image/webp");
  CHECK(sniff("\xEF\xBB\xBF  <svg xmlns='x'/>", "") == "image/svg+xml");
  CHECK(sniff("<?xml version='1.0'?><svg/>", "") == "image/svg+xml");
  CHECK(sniff("<?xml version='1.0'?><note/>", "application/xml") == "application/xml");
  CHECK(sniff("hello", " Image/PNG ;base64") == "image/png");
  CHECK(sniff("hello", "") == "text/plain");
}

TEST_CASE("put stores a content once under its hash; read, stage and info find it by hash or reference") {
  test_api::Api api;
  cs::Database& db = api.d.session().db();
  const auto bytes = bytes_of("not an image");

  bool inserted = false;
  const cs::blobs::BlobInfo first = cs::blobs::put(db, bytes.data(), bytes.size(), "text/markdown", &inserted);
  CHECK(inserted);
  CHECK(first.hash == "5464533c9647b67eb320c40ccc5959537c09102ae75388f6a7675b433e745c9d");  // sha256sum
  CHECK(first.size == static_cast<std::int64_t>(bytes.size()));
  CHECK(first.mime == "text/markdown");

  const cs::blobs::BlobInfo again = cs::blobs::put(db, bytes.data(), bytes.size(), "image/png", &inserted);
  CHECK_FALSE(inserted);
  CHECK(again.hash == first.hash);
  const auto stored = cs::blobs::info(db, cs::blobs::ref(first.hash, "label"));
  REQUIRE(stored);
  CHECK(stored->mime == "text/markdown");  // the first put's row stands

  std::vector<std::uint8_t> out;
  REQUIRE(cs::blobs::read(db, first.hash, out));
  CHECK(out == bytes);
  CHECK_FALSE(cs::blobs::read(db, std::string(64, '0'), out));
  CHECK_FALSE(cs::blobs::info(db, "not a reference"));
  CHECK(api.ok("blobs.info", {{"hash", cs::blobs::ref(first.hash)}})["size"] == bytes.size());
}
