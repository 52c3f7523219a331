// Reference text and media types: what the bytes or the text say, no
// database.
#include "blobs/blob_store.hpp"

#include <cctype>
#include <cstring>

namespace cs::blobs {

namespace {

bool is_hex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace

std::string ref(std::string_view hash, std::string_view label) {
  std::string out(kRefPrefix);
  out.append(hash);
  if (!label.empty()) out.append("#").append(label);
  return out;
}

std::optional<std::string> hash_of_ref(std::string_view text) {
  if (is_hex64(text)) return std::string(text);
  if (text.size() < kRefPrefix.size() + 64 || text.compare(0, kRefPrefix.size(), kRefPrefix) != 0) return std::nullopt;
  const std::string_view hex = text.substr(kRefPrefix.size(), 64);
  if (!is_hex64(hex)) return std::nullopt;
  if (text.size() > kRefPrefix.size() + 64 && text[kRefPrefix.size() + 64] != '#') return std::nullopt;
  return std::string(hex);
}

std::string sniff_mime(const std::uint8_t* p, std::size_t n, std::string_view label) {
  auto has = [&](std::size_t at, const char* magic, std::size_t len) {
    return n >= at + len && std::memcmp(p + at, magic, len) == 0;
  };
  if (has(0, "\x89PNG\r\n\x1a\n", 8)) return "image/png";
  if (has(0, "\xFF\xD8\xFF", 3)) return "image/jpeg";
  if (has(0, "GIF87a", 6) || has(0, "GIF89a", 6)) return "image/gif";
  if (has(0, "RIFF", 4) && has(8, "WEBP", 4)) return "image/webp";
  std::size_t i = has(0, "\xEF\xBB\xBF", 3) ? 3 : 0;
  while (i < n && std::isspace(p[i])) ++i;
  if (has(i, "<svg", 4) || (has(i, "<?xml", 5) && std::string_view(reinterpret_cast<const char*>(p), n).find("<svg") != std::string_view::npos))
    return "image/svg+xml";
  std::string mime(label.substr(0, label.find(';')));
  while (!mime.empty() && mime.back() == ' ') mime.pop_back();
  while (!mime.empty() && mime.front() == ' ') mime.erase(0, 1);
  for (char& c : mime) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return mime.empty() ? "text/plain" : mime;
}

}  // namespace cs::blobs
