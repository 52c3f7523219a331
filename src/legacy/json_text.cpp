// Reading legacy values as JSON.parse would, saying why one is not JSON, and
// the JSON-in-a-string levels the app wrote.
//
// The parser is the core's (json/json_text.hpp), building
// nlohmann::ordered_json trees so keys keep their order for the rollback
// export. It copies strings in runs; nlohmann's lexer appends them one
// character at a time (measured before the switch: the 4.9 MB near-quota
// dump parsed in ~130 ms in Node against ~20 ms natively). Nesting deeper than
// kMaxDepth is refused ("too-deep"): every walker in src/legacy/ recurses per
// level, and a fuzzer's "[[[[..." must not blow the stack. Lone surrogate
// escapes fail, as in nlohmann (UTF-8 cannot hold them); parse_value()
// retries those with U+FFFD.
#include "internal.hpp"

#include "db/encoding.hpp"
#include "json/json_text.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace cs::legacy {

namespace {

bool has_bom(std::string_view t) { return t.size() >= 3 && t.compare(0, 3, "\xEF\xBB\xBF") == 0; }

bool parse_internal(std::string_view text, ojson& out, bool* too_deep) {
  // A leading byte order mark is not JSON whitespace for JSON.parse.
  if (has_bom(text)) {
    out = nullptr;
    return false;
  }
  const json_text::Parsed result = json_text::parse(text, out, kMaxDepth);
  if (too_deep) *too_deep = result == json_text::Parsed::TooDeep;
  return result == json_text::Parsed::Ok;
}

// JSON.parse accepts "\ud800" without its pair; nlohmann does not (UTF-8
// cannot hold it). Such escapes become U+FFFD so the rest of the value still
// migrates; the value is then marked lossy. nullopt when there are none.
std::optional<std::string> replace_lone_surrogate_escapes(std::string_view t) {
  auto escape_at = [&](std::size_t i) -> int {  // code unit of "\uXXXX" at i, or -1
    if (i + 6 > t.size() || t[i] != '\\' || t[i + 1] != 'u') return -1;
    int v = 0;
    for (std::size_t k = 2; k < 6; ++k) {
      const int h = hex_digit(t[i + k]);
      if (h < 0) return -1;
      v = v * 16 + h;
    }
    return v;
  };
  std::string out;
  bool changed = false;
  std::size_t copied = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] != '\\') continue;
    const int u = escape_at(i);
    if (u < 0) {
      ++i;  // some other escape: skip its character (it may be a backslash)
      continue;
    }
    bool lone = false;
    if (u >= 0xD800 && u <= 0xDBFF) {
      const int low = escape_at(i + 6);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        i += 11;  // a proper pair
        continue;
      }
      lone = true;
    } else if (u >= 0xDC00 && u <= 0xDFFF) {
      lone = true;
    }
    if (lone) {
      out.append(t.substr(copied, i - copied)).append("\\ufffd");
      copied = i + 6;
      changed = true;
    }
    i += 5;
  }
  if (!changed) return std::nullopt;
  out.append(t.substr(copied));
  return out;
}

}  // namespace

bool parse_json(std::string_view text, ojson& out) { return parse_internal(text, out, nullptr); }

int unwrap_json_string(ojson& value) {
  int levels = 0;
  while (levels < 3 && value.is_string()) {
    ojson inner;
    if (!parse_json(value.get_ref<const std::string&>(), inner)) break;
    value = std::move(inner);
    ++levels;
  }
  return levels;
}

Parsed parse_value(std::string_view raw) {
  Parsed p;
  bool too_deep = false;
  if (!parse_internal(raw, p.value, &too_deep)) {
    if (too_deep) {
      // A value cut short is "truncated" however deep it got; otherwise the
      // nesting is what stopped us (JSON.parse might have read it).
      const std::string why = diagnose_json(raw, &p.salvageable);
      p.reason = why == "truncated" || why == "empty" ? why : "too-deep";
      return p;
    }
    if (auto fixed = replace_lone_surrogate_escapes(raw); fixed && parse_internal(*fixed, p.value, nullptr)) {
      p.reason = "lone-surrogate";  // ok, but lossy: the caller reports it
    } else {
      p.reason = diagnose_json(raw, &p.salvageable);
      return p;
    }
  }
  p.unwrapped = unwrap_json_string(p.value);
  p.ok = true;
  return p;
}

bool split_array(std::string_view t, std::vector<std::pair<std::size_t, std::size_t>>& items) {
  items.clear();
  const std::size_t n = t.size();
  auto is_ws = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  std::size_t i = 0;
  while (i < n && is_ws(t[i])) ++i;
  if (i >= n || t[i] != '[') return false;
  ++i;
  while (i < n && is_ws(t[i])) ++i;
  if (i < n && t[i] == ']') {
    for (++i; i < n; ++i)
      if (!is_ws(t[i])) return false;
    return true;
  }
  for (;;) {
    const std::size_t start = i;
    int depth = 0;
    bool in_string = false;
    for (; i < n; ++i) {
      const char c = t[i];
      if (in_string) {
        // Most of a dump is string bytes (base64 above all): jump to the next quote.
        const void* q = std::memchr(t.data() + i, '"', n - i);
        if (q == nullptr) return false;
        const std::size_t at = static_cast<std::size_t>(static_cast<const char*>(q) - t.data());
        std::size_t backslashes = 0;
        while (at - backslashes > i && t[at - backslashes - 1] == '\\') ++backslashes;
        i = at;
        in_string = backslashes % 2 == 1;  // an escaped quote does not end the string
        continue;
      }
      if (c == '"') in_string = true;
      else if (c == '[' || c == '{') ++depth;
      else if (c == ']' || c == '}') {
        if (depth == 0) break;
        --depth;
      } else if (c == ',' && depth == 0) {
        break;
      }
    }
    if (i >= n) return false;
    std::size_t end = i;
    while (end > start && is_ws(t[end - 1])) --end;
    if (end == start) return false;
    items.emplace_back(start, end);
    if (t[i] == ',') {
      ++i;
      while (i < n && is_ws(t[i])) ++i;
      continue;
    }
    if (t[i] != ']') return false;
    for (++i; i < n; ++i)
      if (!is_ws(t[i])) return false;
    return true;
  }
}

// tests/fixtures/reference.mjs diagnoseJson, as an explicit-stack machine so
// that deep nesting costs heap, not stack.
std::string diagnose_json(std::string_view t, std::int64_t* items) {
  enum class Fail { None, Eof, Bad };
  const std::size_t n = t.size();
  std::size_t i = 0;
  std::int64_t top_items = 0;
  auto is_ws = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  // skip whitespace; Eof if nothing follows
  auto ws = [&]() -> Fail {
    while (i < n && is_ws(t[i])) ++i;
    return i >= n ? Fail::Eof : Fail::None;
  };
  auto string = [&]() -> Fail {
    ++i;  // opening quote
    for (;;) {
      if (i >= n) return Fail::Eof;
      const char c = t[i];
      if (c == '"') { ++i; return Fail::None; }
      if (c == '\\') {
        if (++i >= n) return Fail::Eof;
        if (std::strchr("\"\\/bfnrt", t[i]) != nullptr && t[i] != '\0') { ++i; continue; }
        if (t[i] != 'u') return Fail::Bad;
        for (std::size_t k = 1; k <= 4; ++k) {
          if (i + k >= n) return Fail::Eof;
          if (hex_digit(t[i + k]) < 0) return Fail::Bad;
        }
        i += 5;
        continue;
      }
      if (static_cast<unsigned char>(c) < 0x20) return Fail::Bad;
      ++i;
    }
  };
  auto number = [&]() -> Fail {
    std::size_t j = i;
    if (j < n && t[j] == '-') ++j;
    const std::size_t int_start = j;
    if (j < n && t[j] == '0') ++j;
    else while (j < n && digit(t[j])) ++j;
    const bool int_ok = j > int_start;
    bool frac_ok = true, exp_ok = true;
    if (j < n && t[j] == '.') {
      const std::size_t s = ++j;
      while (j < n && digit(t[j])) ++j;
      frac_ok = j > s;
    }
    if (j < n && (t[j] == 'e' || t[j] == 'E')) {
      ++j;
      if (j < n && (t[j] == '+' || t[j] == '-')) ++j;
      const std::size_t s = j;
      while (j < n && digit(t[j])) ++j;
      exp_ok = j > s;
    }
    if (j >= n) { i = j; return Fail::Eof; }  // the cut may be inside the number
    if (!int_ok || !frac_ok || !exp_ok) return Fail::Bad;
    i = j;
    return Fail::None;
  };
  auto literal = [&]() -> Fail {
    for (const char* lit : {"true", "false", "null"}) {
      if (t[i] != lit[0]) continue;
      const std::size_t len = std::strlen(lit);
      const std::string_view have = t.substr(i, len);
      if (have == lit) { i += len; return Fail::None; }
      if (std::string_view(lit).substr(0, have.size()) == have && i + have.size() == n) return Fail::Eof;
      return Fail::Bad;
    }
    return Fail::Bad;
  };

  // After '{' or ',' in an object: a member's key and its ':'.
  auto member_key = [&]() -> Fail {
    Fail f;
    if ((f = ws()) != Fail::None) return f;
    if (t[i] != '"') return Fail::Bad;
    if ((f = string()) != Fail::None) return f;
    if ((f = ws()) != Fail::None) return f;
    if (t[i] != ':') return Fail::Bad;
    ++i;
    return Fail::None;
  };

  // frames: 'A' array, 'O' object. A value completes -> after_value().
  std::vector<char> stack;
  Fail fail = Fail::None;
  bool need_value = true;
  for (;;) {
    if (need_value) {
      if ((fail = ws()) != Fail::None) break;
      const char c = t[i];
      if (c == '{') {
        ++i;
        if ((fail = ws()) != Fail::None) break;
        stack.push_back('O');
        if (t[i] == '}') { ++i; stack.pop_back(); need_value = false; continue; }
        if ((fail = member_key()) != Fail::None) break;
        continue;  // the member's value
      }
      if (c == '[') {
        ++i;
        if ((fail = ws()) != Fail::None) break;
        stack.push_back('A');
        if (t[i] == ']') { ++i; stack.pop_back(); need_value = false; continue; }
        continue;
      }
      if (c == '"') fail = string();
      else if (c == '-' || digit(c)) fail = number();
      else fail = literal();
      if (fail != Fail::None) break;
      need_value = false;
      continue;
    }
    // A value just completed.
    if (stack.empty()) break;  // the whole value parsed: what follows is garbage
    if (stack.size() == 1 && stack.back() == 'A') ++top_items;
    if ((fail = ws()) != Fail::None) break;
    if (stack.back() == 'A') {
      if (t[i] == ',') { ++i; need_value = true; continue; }
      if (t[i] == ']') { ++i; stack.pop_back(); continue; }
      fail = Fail::Bad;
      break;
    }
    if (t[i] == ',') {
      ++i;
      if ((fail = member_key()) != Fail::None) break;
      need_value = true;
      continue;
    }
    if (t[i] == '}') { ++i; stack.pop_back(); continue; }
    fail = Fail::Bad;
    break;
  }
  if (fail != Fail::Eof) return "invalid-json";
  std::size_t first = 0;
  while (first < n && is_ws(t[first])) ++first;
  if (first >= n) return "empty";
  if (t[first] == '[' && items) *items = top_items;
  return "truncated";
}

ojson restringify(ojson value, int levels) {
  for (int i = 0; i < levels; ++i) value = json_text::stringify(value);
  return value;
}

namespace {

// The same value in the other of nlohmann's two object kinds (sorted keys,
// or insertion order).
template <class To, class From>
To convert(const From& value) {
  switch (value.type()) {
    case From::value_t::object: {
      To out = To::object();
      for (auto it = value.begin(); it != value.end(); ++it) out[it.key()] = convert<To>(it.value());
      return out;
    }
    case From::value_t::array: {
      To out = To::array();
      for (const From& v : value) out.push_back(convert<To>(v));
      return out;
    }
    case From::value_t::string: return value.template get_ref<const std::string&>();
    case From::value_t::boolean: return value.template get<bool>();
    case From::value_t::number_integer: return value.template get<std::int64_t>();
    case From::value_t::number_unsigned: return value.template get<std::uint64_t>();
    case From::value_t::number_float: return value.template get<double>();
    default: return nullptr;
  }
}

}  // namespace

json to_json(const ojson& value) { return convert<json>(value); }
ojson to_ojson(const json& value) { return convert<ojson>(value); }

}  // namespace cs::legacy
