// The writer of json_text.hpp: nlohmann's dump(-1, ' ', false, replace),
// byte for byte, except that it appends spans instead of characters and
// splices RawJson in as it is.
#include "campaign_store/json_text.hpp"

#include "string_bytes.hpp"

#include <cstdint>
#include <cstdio>

namespace cs::json_text {

namespace {

void escaped(std::string& out, std::string_view s) {
  out.push_back('"');
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    const unsigned char* run = p;
    while (p < end && kPlain.plain[*p]) ++p;
    out.append(reinterpret_cast<const char*>(run), static_cast<std::size_t>(p - run));
    if (p >= end) break;
    const unsigned char c = *p;
    if (c >= 0x80) {
      const int n = utf8_unit(p, end);
      if (n > 0) {
        out.append(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n));
        p += n;
      } else {
        out.append("\xEF\xBF\xBD");  // U+FFFD
        p += -n;
      }
      continue;
    }
    ++p;
    switch (c) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\b': out.append("\\b"); break;
      case '\f': out.append("\\f"); break;
      case '\n': out.append("\\n"); break;
      case '\r': out.append("\\r"); break;
      case '\t': out.append("\\t"); break;
      default: {
        char u[8];
        std::snprintf(u, sizeof u, "\\u%04x", c);
        out.append(u, 6);
      }
    }
  }
  out.push_back('"');
}

template <class Int>
void integer(std::string& out, Int v) {
  char buf[24];
  char* e = buf + sizeof buf;
  char* p = e;
  using U = std::make_unsigned_t<Int>;
  U u = v < 0 ? static_cast<U>(0) - static_cast<U>(v) : static_cast<U>(v);
  do {
    *--p = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u != 0);
  if (v < 0) *--p = '-';
  out.append(p, static_cast<std::size_t>(e - p));
}

template <class Json>
void write(std::string& out, const Json& v) {
  switch (v.type()) {
    case nlohmann::detail::value_t::null:
    case nlohmann::detail::value_t::discarded: out.append("null"); return;
    case nlohmann::detail::value_t::boolean: out.append(v.template get<bool>() ? "true" : "false"); return;
    case nlohmann::detail::value_t::number_integer: integer(out, v.template get<std::int64_t>()); return;
    case nlohmann::detail::value_t::number_unsigned: integer(out, v.template get<std::uint64_t>()); return;
    case nlohmann::detail::value_t::number_float:
      // Shortest round-trip digits in nlohmann's format (and null for NaN
      // and infinities): rare in answers, so its serializer does it.
      out.append(v.dump());
      return;
    case nlohmann::detail::value_t::string: escaped(out, v.template get_ref<const std::string&>()); return;
    case nlohmann::detail::value_t::binary: {
      const auto& bytes = v.get_binary();
      if (bytes.has_subtype() && bytes.subtype() == kRawSubtype)
        out.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
      else
        out.append(v.dump());  // {"bytes":[...],"subtype":...}, as dump()
      return;
    }
    case nlohmann::detail::value_t::array: {
      out.push_back('[');
      bool first = true;
      for (const Json& item : v) {
        if (!first) out.push_back(',');
        first = false;
        write(out, item);
      }
      out.push_back(']');
      return;
    }
    case nlohmann::detail::value_t::object: {
      out.push_back('{');
      bool first = true;
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (!first) out.push_back(',');
        first = false;
        escaped(out, it.key());
        out.push_back(':');
        write(out, it.value());
      }
      out.push_back('}');
      return;
    }
  }
}

}  // namespace

void append(std::string& out, const json& value) { write(out, value); }
void append(std::string& out, const ordered_json& value) { write(out, value); }

void append_string(std::string& out, std::string_view text) { escaped(out, text); }

json extend(const json& raw_object, std::initializer_list<Member> members) {
  std::string text(raw_text(raw_object));
  bool first = text == "{}";
  text.pop_back();  // '}'
  for (const auto& [key, value] : members) {
    if (!first) text.push_back(',');
    first = false;
    escaped(text, key);
    text.push_back(':');
    write(text, value);
  }
  text.push_back('}');
  return raw(text);
}

std::string dump(const json& value) {
  std::string out;
  write(out, value);
  return out;
}

std::string dump(const ordered_json& value) {
  std::string out;
  write(out, value);
  return out;
}

}  // namespace cs::json_text
