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

#include "db/cold_code.hpp"
#include "db/encoding.hpp"
#include "json/json_text.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>

CS_COLD_CODE_BEGIN

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

// Why a value is not JSON, as the report names it; for a cut top-level
// array, *items = its complete elements (they may be salvaged).
std::string why_not_json(std::string_view t, std::int64_t* items) {
  const json_text::Diagnosis d = json_text::diagnose(t);
  switch (d.kind) {
    case json_text::Diagnosis::Empty: return "empty";
    case json_text::Diagnosis::Truncated:
      *items = d.items;
      return "truncated";
    default: return "invalid-json";  // Valid: the grammar holds, but not as UTF-8 or a surrogate pair
  }
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
      const std::string why = why_not_json(raw, &p.salvageable);
      p.reason = why == "truncated" || why == "empty" ? why : "too-deep";
      return p;
    }
    if (auto fixed = replace_lone_surrogate_escapes(raw); fixed && parse_internal(*fixed, p.value, nullptr)) {
      p.reason = "lone-surrogate";  // ok, but lossy: the caller reports it
    } else {
      p.reason = why_not_json(raw, &p.salvageable);
      return p;
    }
  }
  p.unwrapped = unwrap_json_string(p.value);
  p.ok = true;
  return p;
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

CS_COLD_CODE_END
