// Images out of JSON (README rule 12): every data: URL in a migrated value is
// decoded once, stored once per distinct content in `blobs` (SHA-256 of the
// bytes), and replaced by a reference "blob:sha256:<hex>#<label>". The label
// (what stood between "data:" and the comma) is kept per reference, so the
// export can write the URL back the way the app labelled it, even where the
// label disagrees with the bytes.
//
// Decoding follows WHATWG forgiving-base64 (cs::base64_decode_forgiving);
// non-base64 payloads are percent-decoded.
#include "internal.hpp"

#include "blobs/blob_store.hpp"
#include "db/cold_code.hpp"
#include "db/encoding.hpp"

#include <cctype>
#include <cstring>

CS_COLD_CODE_BEGIN

namespace cs::legacy {

namespace {

void percent_decode(std::string_view s, std::vector<std::uint8_t>& out) {
  out.clear();
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      const int hi = hex_digit(s[i + 1]), lo = hex_digit(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<std::uint8_t>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(static_cast<std::uint8_t>(s[i]));  // already UTF-8
  }
}

bool is_base64_label(std::string_view meta) {
  if (meta.size() < 7) return false;
  const std::string_view tail = meta.substr(meta.size() - 7);
  const char* want = ";base64";
  for (std::size_t k = 0; k < 7; ++k)
    if (std::tolower(static_cast<unsigned char>(tail[k])) != want[k]) return false;
  return true;
}

// Calls f on every string in value, at any depth.
template <typename F>
void for_each_string(ojson& value, F& f) {
  if (value.is_string()) {
    f(value.get_ref<std::string&>());
  } else if (value.is_array()) {
    for (ojson& v : value) for_each_string(v, f);
  } else if (value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it) for_each_string(it.value(), f);
  }
}

}  // namespace

bool decode_data_url(std::string_view url, std::string_view* meta, std::vector<std::uint8_t>& out) {
  if (url.size() < 5 || url.compare(0, 5, "data:") != 0) return false;
  const std::size_t comma = url.find(',');
  if (comma == std::string_view::npos) return false;
  const std::string_view label = url.substr(5, comma - 5);
  const std::string_view payload = url.substr(comma + 1);
  if (meta) *meta = label;
  if (is_base64_label(label)) return base64_decode_forgiving(payload, out);
  percent_decode(payload, out);
  return true;
}

std::string encode_data_url(std::string_view meta, const std::uint8_t* data, std::size_t size) {
  std::string out = "data:";
  out.append(meta).push_back(',');
  if (is_base64_label(meta)) return out + base64_encode(data, size);
  static const char* hex = "0123456789ABCDEF";
  for (std::size_t i = 0; i < size; ++i) {
    const unsigned char c = data[i];
    if (std::isalnum(c) || std::strchr("-._~!$&'()*+,;=:@/?", c) != nullptr) {
      if (c != 0) { out += static_cast<char>(c); continue; }
    }
    out += '%';
    out += hex[c >> 4];
    out += hex[c & 15];
  }
  return out;
}

std::optional<std::string> BlobSink::intern(std::string& s) {
  if (s.size() < 5 || s.compare(0, 5, "data:") != 0) return std::nullopt;
  if (auto it = by_text_.find(s); it != by_text_.end()) {
    s = it->second.first;
    return it->second.second;
  }
  std::string_view meta;
  if (!decode_data_url(s, &meta, bytes_)) return std::nullopt;
  bool is_new = false;
  std::string hash = blobs::put(db_, bytes_.data(), bytes_.size(), meta, &is_new).hash;
  if (is_new) {
    ++inserted;
    inserted_bytes += static_cast<std::int64_t>(bytes_.size());
  }
  // The label is kept even when empty ("...#"): the export writes the URL
  // back from it.
  std::string ref = blobs::ref(hash) + "#" + std::string(meta);
  auto [it, _] = by_text_.emplace(std::move(s), std::make_pair(ref, hash));
  s = std::move(ref);
  return it->second.second;
}

void replace_data_urls(ojson& value, BlobSink& sink, ScanStats& stats) {
  auto intern = [&](std::string& s) {
    if (auto hash = sink.intern(s)) {
      ++stats.occurrences;
      ++stats.hashes[*hash];
    }
  };
  for_each_string(value, intern);
}

void inline_refs(ojson& value, Database& db, std::map<std::string, std::string>& cache) {
  auto inline_ref = [&](std::string& s) {
    auto hash = blobs::hash_of_ref(s);
    if (!hash || s.size() == 64) return;  // a bare hash is not a reference
    if (auto it = cache.find(s); it != cache.end()) {
      s = it->second;
      return;
    }
    std::vector<std::uint8_t> bytes;
    if (!blobs::read(db, *hash, bytes)) return;  // keep the reference rather than invent bytes
    const std::size_t hash_end = blobs::kRefPrefix.size() + 64;
    const std::string_view meta = s.size() > hash_end ? std::string_view(s).substr(hash_end + 1) : std::string_view();
    std::string url = encode_data_url(meta, bytes.data(), bytes.size());
    cache.emplace(s, url);
    s = std::move(url);
  };
  for_each_string(value, inline_ref);
}

}  // namespace cs::legacy

CS_COLD_CODE_END
