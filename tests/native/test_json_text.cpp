// json_text against nlohmann, its reference: the parser must accept exactly
// what nlohmann accepts (JSON.parse's grammar) and build the same tree; the
// writer must produce exactly what dump(-1, ' ', false, replace) produces,
// on fixed cases and on thousands of random trees, strings and mutated
// documents (seeded, so a failure repeats).
#include "json/json_text.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

namespace jt = cs::json_text;
using json = nlohmann::json;
using ordered_json = nlohmann::ordered_json;

namespace {

std::string reference_dump(const json& v) { return v.dump(-1, ' ', false, json::error_handler_t::replace); }
std::string reference_dump(const ordered_json& v) {
  return v.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

// nlohmann skips a leading UTF-8 byte order mark; JSON.parse (and we) do not.
bool starts_with_bom(const std::string& s) { return s.rfind("\xEF\xBB\xBF", 0) == 0; }

// nlohmann refuses a number beyond the range of a double; JSON.parse (and
// we) read it as an infinity, which is written back as null.
bool has_infinity(const json& v) {
  if (v.is_number_float()) return std::isinf(v.get<double>());
  for (const json& item : v)
    if ((v.is_array() || v.is_object()) && has_infinity(item)) return true;
  return false;
}

void check_same_parse(const std::string& text) {
  if (starts_with_bom(text)) return;
  if (text.find('\0') != std::string::npos) {
    // nlohmann stops at a NUL byte as if the text ended there. A NUL is
    // never valid JSON (raw in a string it is a control character).
    json got;
    CHECK(jt::parse(text, got) == jt::Parsed::Invalid);
    return;
  }
  INFO("text: " << json(text).dump(-1, ' ', true, json::error_handler_t::replace));
  json expected = json::parse(text, nullptr, false);
  json got;
  const jt::Parsed result = jt::parse(text, got);
  if (result == jt::Parsed::Ok && expected.is_discarded() && has_infinity(got)) return;
  REQUIRE((result == jt::Parsed::Ok) == !expected.is_discarded());
  CHECK(jt::valid(text) == !expected.is_discarded());
  if (result == jt::Parsed::Ok) {
    CHECK(got == expected);
    CHECK(got.dump() == expected.dump());  // same number types too (5 is unsigned, -5 signed)
  }
}

class Random {
 public:
  explicit Random(unsigned seed) : rng_(seed) {}
  int below(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool chance(int percent) { return below(100) < percent; }

  // Mostly readable text, with escapes, controls, multi-byte UTF-8 and, when
  // allowed, malformed bytes.
  std::string text(bool malformed) {
    static const char* pieces[] = {"a",  "Z",      "7",        " ",        "\"",           "\\",     "/",
                                   "\n", "\t",     "\x01",     "\x1f",     "\x7f",         "é",      "€",
                                   "😀", "\xC3",  "\xA9",     "\xE2\x82", "\xF0\x9F\x98", "\xFF",   "\xC0\xAF",
                                   "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE0\x80\x80", "key", "0"};
    const int n = below(12);
    const int choices = malformed ? 25 : 15;
    std::string s;
    for (int i = 0; i < n; ++i) s += pieces[below(choices)];
    return s;
  }

  template <class Json>
  Json tree(int depth, bool malformed) {
    const int kind = depth > 4 ? below(6) : below(8);
    switch (kind) {
      case 0: return nullptr;
      case 1: return chance(50);
      case 2: return static_cast<std::int64_t>(below(2000000)) - 1000000;
      case 3: return static_cast<std::uint64_t>(below(1000000)) * 1000003ULL;
      case 4: return (below(2000000) - 1000000) / 64.0;
      case 5: return text(malformed);
      case 6: {
        Json a = Json::array();
        for (int i = below(5); i > 0; --i) a.push_back(tree<Json>(depth + 1, malformed));
        return a;
      }
      default: {
        Json o = Json::object();
        for (int i = below(5); i > 0; --i) o[text(malformed)] = tree<Json>(depth + 1, malformed);
        return o;
      }
    }
  }

  // A valid document with a few bytes flipped, inserted or removed.
  std::string mutate(std::string s) {
    for (int m = 1 + below(3); m > 0 && !s.empty(); --m) {
      const auto at = static_cast<std::size_t>(below(static_cast<int>(s.size())));
      static const char bytes[] = {'{', '}', '[', ']', '"', '\\', ',', ':', '0', '-', '.', 'e', 'u', 't', ' ', '\x80', '\xC3', '\0'};
      switch (below(3)) {
        case 0: s[at] = bytes[below(sizeof bytes)]; break;
        case 1: s.insert(at, 1, bytes[below(sizeof bytes)]); break;
        default: s.erase(at, 1);
      }
    }
    return s;
  }

 private:
  std::mt19937 rng_;
};

}  // namespace

TEST_CASE("json_text::parse accepts what nlohmann accepts and builds the same tree") {
  const char* cases[] = {
      "null", "true", "false", "0", "-0", "1", "-1", "18446744073709551615", "18446744073709551616",
      "-9223372036854775808", "-9223372036854775809", "1.5", "-1.5e3", "1E+2", "1e-2", "0.0",
      "01", "1.", ".5", "-", "+1", "1e", "1e+", "--1", "0x10", "NaN", "Infinity",
      "\"\"", "\"a\"", "\"\\u00e9\"", "\"\\ud83d\\ude00\"", "\"\\ud83d\"", "\"\\ude00\"", "\"\\ud83dx\"",
      "\"\\u12\"", "\"\\x\"", "\"\\/\\b\\f\\n\\r\\t\\\"\\\\\"", "\"tab\there\"", "\"é€😀\"",
      "\"\xC3\"", "\"\xED\xA0\x80\"", "\"\xF4\x90\x80\x80\"", "\"\xC0\xAF\"", "\"unterminated",
      "[]", "[1,2,3]", "[1,]", "[,1]", "[1 2]", "{}", "{\"a\":1}", "{\"a\":1,}", "{\"a\"}", "{a:1}",
      "{\"a\":1,\"a\":2}", "{\"b\":1,\"a\":2}", " \t\n\r[ 1 , { \"k\" : [ ] } ] \n", "[1] x", "",
      " ", "nul", "truex", "[\"a\",{\"b\":[null,true,false,{\"c\":\"d\"}]}]", "\"\x7f\"", "\"\x01\"",
      "1.7976931348623157e308", "1e400", "-1e400", "123456789012345678901234567890",
  };
  for (const char* text : cases) check_same_parse(text);
}

TEST_CASE("json_text::parse matches nlohmann on random and mutated documents") {
  Random r(20261203);
  for (int i = 0; i < 3000; ++i) {
    const json tree = r.tree<json>(0, false);
    const std::string text = reference_dump(tree);
    check_same_parse(text);
    check_same_parse(r.mutate(text));
  }
}

TEST_CASE("json_text::parse reads numbers beyond a double as JSON.parse does") {
  json out;
  REQUIRE(jt::parse("[1e400,-1e400]", out) == jt::Parsed::Ok);
  CHECK(std::isinf(out[0].get<double>()));
  CHECK(out[1].get<double>() < 0);
  CHECK(jt::dump(out) == "[null,null]");  // as JSON.stringify(JSON.parse(...))
}

TEST_CASE("json_text::parse keeps key order and the last of repeated keys in ordered_json") {
  ordered_json got;
  REQUIRE(jt::parse(R"({"b":1,"a":2,"b":3})", got) == jt::Parsed::Ok);
  CHECK(jt::dump(got) == R"({"b":3,"a":2})");
}

TEST_CASE("json_text::parse refuses nesting deeper than the limit, and says so") {
  const std::string ok = std::string(jt::kMaxDepth, '[') + std::string(jt::kMaxDepth, ']');
  const std::string deep = "[" + ok + "]";
  json out;
  CHECK(jt::parse(ok, out) == jt::Parsed::Ok);
  CHECK(jt::parse(deep, out) == jt::Parsed::TooDeep);
  CHECK(out.is_null());
  CHECK_FALSE(jt::valid(deep));
  CHECK(jt::parse("[[1]]", out, 1) == jt::Parsed::TooDeep);
  CHECK(jt::parse("[1]", out, 1) == jt::Parsed::Ok);
}

TEST_CASE("json_text::dump writes exactly what nlohmann's dump writes") {
  SECTION("fixed values") {
    const json cases[] = {nullptr, true, false, 0, -1, std::int64_t{-9223372036854775807LL - 1},
                          std::uint64_t{18446744073709551615ULL}, 1.5, -0.0, 1e300, 0.1,
                          std::nan(""), "", "a\"b\\c", "\x01\x1f\x7f\n\r\t\b\f", "é€😀",
                          json::array(), json::object(), json::binary({1, 2, 3}), json::binary({4}, 7),
                          {{"z", 1}, {"a", {1, "two", nullptr}}}};
    for (const json& v : cases) CHECK(jt::dump(v) == reference_dump(v));
  }
  SECTION("random trees with malformed UTF-8 in strings and keys") {
    Random r(42);
    for (int i = 0; i < 3000; ++i) {
      const json tree = r.tree<json>(0, true);
      REQUIRE(jt::dump(tree) == reference_dump(tree));
      const ordered_json otree = r.tree<ordered_json>(0, true);
      REQUIRE(jt::dump(otree) == reference_dump(otree));
    }
  }
  SECTION("every one- and two-byte string") {
    for (int a = 0; a < 256; ++a) {
      const json one = std::string(1, static_cast<char>(a));
      REQUIRE(jt::dump(one) == reference_dump(one));
      for (int b = 0; b < 256; ++b) {
        const json two = std::string{static_cast<char>(a), static_cast<char>(b), 'x'};
        REQUIRE(jt::dump(two) == reference_dump(two));
      }
    }
  }
  SECTION("append adds to what is there") {
    std::string out = "x=";
    jt::append(out, json{{"k", "v"}});
    CHECK(out == R"(x={"k":"v"})");
  }
}

TEST_CASE("RawJson travels inside a tree and is written as it is") {
  const std::string text = R"({"steps":[1,2,{"a":"é"}],"n":null})";
  REQUIRE(jt::valid(text));
  json row = {{"id", "d1"}, {"stepData", jt::raw(text)}};
  CHECK(jt::is_raw(row["stepData"]));
  CHECK_FALSE(jt::is_raw(json::binary({1, 2})));
  CHECK(jt::raw_text(row["stepData"]) == text);
  CHECK(jt::dump(row) == R"({"id":"d1","stepData":)" + text + "}");
  CHECK(json::parse(jt::dump(json::array({jt::raw("[1]"), 2}))) == json::array({json::array({1}), 2}));
}

TEST_CASE("extend adds members to a RawJson object in the order given") {
  const json children = json::array({jt::raw(R"({"id":"c1"})")});
  CHECK(jt::raw_text(jt::extend(jt::raw(R"({"id":"p1"})"), {{"kids", children}, {"n", json(2)}})) ==
        R"({"id":"p1","kids":[{"id":"c1"}],"n":2})");
  CHECK(jt::raw_text(jt::extend(jt::raw("{}"), {{"a", json(nullptr)}})) == R"({"a":null})");
  CHECK(jt::raw_text(jt::extend(jt::raw(R"({"q":1})"), {})) == R"({"q":1})");
}

// ---------------------------------------------------------- raw members
namespace {

const std::vector<std::string_view> kRawA = {"a"};

// A tree with every RawJson member parsed: what the text means.
json materialized(const json& v) {
  if (jt::is_raw(v)) return json::parse(jt::raw_text(v));
  json out = v;
  if (v.is_object())
    for (auto it = out.begin(); it != out.end(); ++it) *it = materialized(*it);
  return out;
}

// parse() with raw members means what parse() without them does; returns
// the member "a" as parsed.
json check_raw_parse(const std::string& text) {
  INFO("text: " << json(text).dump(-1, ' ', true, json::error_handler_t::replace));
  json plain, with_raw;
  const jt::Parsed expected = jt::parse(text, plain);
  REQUIRE(jt::parse(text, with_raw, kRawA) == expected);
  if (expected != jt::Parsed::Ok) {
    CHECK(with_raw.is_null());
    return nullptr;
  }
  CHECK(materialized(with_raw) == plain);
  if (!with_raw.is_object() || !with_raw.contains("a")) return nullptr;
  return with_raw["a"];
}

}  // namespace

TEST_CASE("parse with raw members keeps a compact object or array member as the text it came in") {
  json out;
  REQUIRE(jt::parse(R"({"x":{"y":1},"a":{"z":1,"b":[1,2.5,"s\"\n",true,null,{}],"c":-3}})", out, kRawA) == jt::Parsed::Ok);
  REQUIRE(jt::is_raw(out["a"]));
  CHECK(jt::raw_text(out["a"]) == R"({"z":1,"b":[1,2.5,"s\"\n",true,null,{}],"c":-3})");  // key order as sent
  CHECK(out["x"] == json{{"y", 1}});  // not named: a tree
  CHECK(jt::dump(out) == R"({"a":{"z":1,"b":[1,2.5,"s\"\n",true,null,{}],"c":-3},"x":{"y":1}})");

  CHECK(jt::is_raw(check_raw_parse(R"({"a" : [{"k":1},{"k":2}]})")));  // same key in two objects; space outside
  CHECK(jt::is_raw(check_raw_parse(R"({"a":[-0.5,2.50,-7,0,-0.0,184467440737095]})")));  // values the tree holds too
  CHECK(jt::is_raw(check_raw_parse(R"({"a":"{\"k\":1}"})")) == false);  // a string stays a string
  CHECK(check_raw_parse(R"({"a":5})") == 5);
  CHECK(check_raw_parse(R"({"x":{"a":{"b":1}}})").is_null());  // only top-level members
  json nested;
  REQUIRE(jt::parse(R"({"x":{"a":{"b":1}}})", nested, kRawA) == jt::Parsed::Ok);
  CHECK(nested["x"]["a"].is_object());
}

TEST_CASE("parse with raw members builds a tree where the text would not mean the same") {
  // Whitespace inside, a repeated or escaped key, numbers the tree rewrites.
  const char* cases[] = {
      R"({"a":{ "b":1}})", R"({"a":[1, 2]})", "{\"a\":[1,\n2]}", R"({"a":{"b":1,"b":2}})",
      R"({"a":[{"k":1,"k":2}]})", R"({"a":{"\u0062":1}})", R"({"a":[1e3]})", R"({"a":[1.5E-7]})",
      R"({"a":[0.12345678901234567891]})",
      R"({"a":[-0]})", R"({"a":[12345678901234567890123]})", R"({"a":[1],"a":{"b":1,"b":2}})",
      // 16 digits and more: a double may not hold it; the tree is checked (document_problem).
      R"({"a":[9007199254740993]})", R"({"a":[-18446744073709551]})",
  };
  for (const char* text : cases) {
    const json a = check_raw_parse(text);
    CHECK_FALSE(jt::is_raw(a));
  }
  std::string many = R"({"a":{)";
  for (int i = 0; i < 70; ++i) many += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":" + std::to_string(i);
  many += "}}";
  CHECK_FALSE(jt::is_raw(check_raw_parse(many)));  // too many keys to check for repeats
}

TEST_CASE("parse with raw members refuses what parse refuses, inside them too") {
  for (const char* text : {R"({"a":{"b":}})", R"({"a":[1,]})", R"({"a":["\ud800"]})", "{\"a\":[\"\xC3\"]}",
                           R"({"a":{"b":1})", R"({"a":{"b":1}} x)"}) {
    json out;
    CHECK(jt::parse(text, out, kRawA) == jt::Parsed::Invalid);
    CHECK(out.is_null());
  }
  json out;
  std::string deep = "{\"a\":" + std::string(jt::kMaxDepth, '[') + std::string(jt::kMaxDepth, ']') + "}";
  CHECK(jt::parse(deep, out, kRawA) == jt::Parsed::TooDeep);
}

TEST_CASE("parse with raw members means what parse means, on random and mutated documents") {
  Random r(20261204);
  int kept_raw = 0;
  for (int i = 0; i < 3000; ++i) {
    const json tree = json{{"a", r.tree<json>(1, false)}, {"b", r.tree<json>(1, false)}};
    const std::string text = reference_dump(tree);
    const json a = check_raw_parse(text);
    if (jt::is_raw(a)) {
      ++kept_raw;
      // Compact text from a tree: kept as it is, so written back the same.
      CHECK(jt::dump(json{{"a", a}, {"b", tree["b"]}}) == text);
    }
    check_raw_parse(r.mutate(text));
  }
  CHECK(kept_raw > 300);  // the random trees do reach the raw path
}

namespace {

// UTF-8 of one code point, the textbook way.
std::string encode_utf8(std::uint32_t cp) {
  std::string out;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

}  // namespace

TEST_CASE("json_text::valid_utf8 refuses overlong forms, surrogates, cut and stray bytes; utf16_units counts as JavaScript") {
  CHECK(jt::valid_utf8(""));
  CHECK(jt::valid_utf8("plain ASCII, longer than eight bytes"));
  CHECK(jt::valid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));
  for (const char* bad : {"\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\x80",
                          "abc\xC3", "abcdefgh\xE2\x82", "\xFF"}) {
    INFO(bad);
    CHECK_FALSE(jt::valid_utf8(bad));
  }
  CHECK(jt::utf16_units("") == 0);
  CHECK(jt::utf16_units("abcdefghij") == 10);
  CHECK(jt::utf16_units("caf\xC3\xA9") == 4);
  CHECK(jt::utf16_units("\xF0\x9F\x98\x80") == 2);  // one emoji is a surrogate pair

  // Random strings of code points around every boundary: valid, and as long
  // as JavaScript says; a byte flipped into a continuation byte or cut off
  // at the end makes them invalid.
  std::mt19937 rng(20261205);
  const std::uint32_t edges[] = {0x00, 0x41, 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x10FFFF};
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    std::int64_t units = 0;
    const int count = static_cast<int>(rng() % 24);
    for (int k = 0; k < count; ++k) {
      std::uint32_t cp = rng() % 4 == 0 ? edges[rng() % 12] : rng() % 0x110000;
      if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
      text += encode_utf8(cp);
      units += cp >= 0x10000 ? 2 : 1;
    }
    INFO(round);
    REQUIRE(jt::valid_utf8(text));
    CHECK(jt::utf16_units(text) == units);
    const std::size_t lead = text.find_first_of("\xC2\xC3\xC4\xD0\xE0\xE1\xE2\xEF\xF0\xF1\xF4");
    if (lead != std::string::npos) {
      CHECK_FALSE(jt::valid_utf8(text.substr(0, lead + 1)));
      std::string stray = text;
      stray.insert(lead, 1, '\x80');
      CHECK_FALSE(jt::valid_utf8(stray));
    }
  }
}

TEST_CASE("js_number writes what Number.prototype.toString writes") {
  // Cases checked against V8 (node -p "String(x)").
  const std::pair<double, const char*> cases[] = {
      {0.0, "0"},
      {-0.0, "0"},
      {1.0, "1"},
      {-1.5, "-1.5"},
      {0.1, "0.1"},
      {0.1 + 0.2, "0.30000000000000004"},
      {29.99, "29.99"},
      {100.0, "100"},
      {1e20, "100000000000000000000"},
      {1.2345678901234568e20, "123456789012345680000"},
      {1e21, "1e+21"},
      {-1.5e300, "-1.5e+300"},
      {1e-6, "0.000001"},
      {1.5e-6, "0.0000015"},
      {1e-7, "1e-7"},
      {1.23e-18, "1.23e-18"},
      {5e-324, "5e-324"},
      {1.7976931348623157e308, "1.7976931348623157e+308"},
      {9007199254740992.0, "9007199254740992"},
      {9007199254740994.0, "9007199254740994"},
      {std::nan(""), "NaN"},
      {HUGE_VAL, "Infinity"},
      {-HUGE_VAL, "-Infinity"},
  };
  for (const auto& [value, text] : cases) {
    INFO(text);
    CHECK(jt::js_number(value) == text);
  }
}

TEST_CASE("js_number gives the shortest text that reads back as the same double, on random doubles") {
  std::mt19937_64 rng(20261206);
  for (int round = 0; round < 20000; ++round) {
    double v;
    const std::uint64_t bits = rng();
    std::memcpy(&v, &bits, sizeof v);
    if (!std::isfinite(v)) continue;
    if (round % 2 == 0) v = std::ldexp(std::fmod(v, 1.0), static_cast<int>(rng() % 140) - 70);  // ordinary magnitudes
    const std::string text = jt::js_number(v);
    INFO(round << ": " << text);
    REQUIRE(std::strtod(text.c_str(), nullptr) == (v == 0 ? 0.0 : v));
    // Plain digits between 1e-6 and 1e21, exponent form outside (ECMA-262).
    const double magnitude = std::fabs(v);
    CHECK((text.find('e') == std::string::npos) == (magnitude == 0 || (magnitude >= 1e-6 && magnitude < 1e21)));
    // No fewer significant digits would read back as v.
    std::string digits;
    for (char c : text.substr(0, text.find('e')))
      if (c >= '0' && c <= '9') digits += c;
    digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size()));
    while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
    if (digits.size() > 1) {
      char shorter[40];
      std::snprintf(shorter, sizeof shorter, "%.*e", static_cast<int>(digits.size()) - 2, v);
      CHECK(std::strtod(shorter, nullptr) != v);
    }
  }
}

TEST_CASE("stringify writes what JSON.stringify writes") {
  ordered_json value = ordered_json::parse(R"({"z":1,"a":[1.0,-0.0,0.5,1e21,1e-7],"big":12345678901234567890,"s":"\u0001\b\"\\/é"})");
  value["a"].push_back(std::nan(""));
  value["a"].push_back(HUGE_VAL);
  // Member order kept; numbers as JavaScript prints them, non-finite ones as
  // null; integers with every digit; strings escaped as JSON.stringify does.
  CHECK(jt::stringify(value) ==
        R"({"z":1,"a":[1,0,0.5,1e+21,1e-7,null,null],"big":12345678901234567890,"s":"\u0001\b\"\\/é"})");
}

TEST_CASE("stringify differs from dump only in how fractional numbers are spelled, on random trees") {
  Random r(20261206);
  for (int i = 0; i < 3000; ++i) {
    const ordered_json tree = r.tree<ordered_json>(0, false);
    const std::string text = jt::stringify(tree);
    INFO(text);
    ordered_json back;
    REQUIRE(jt::parse(text, back) == jt::Parsed::Ok);
    CHECK(back == tree);  // numbers compare by value: 3 == 3.0
    if (text.find('.') == std::string::npos && jt::dump(tree).find('.') == std::string::npos)
      CHECK(text == jt::dump(tree));
  }
}

namespace {

// "\ud800".."\udfff" in any case: parse() refuses them alone or paired
// (UTF-8 cannot hold a lone one); diagnose() does not look at them.
bool has_surrogate_escape(const std::string& s) {
  for (std::size_t i = 0; i + 3 < s.size(); ++i)
    if (s[i] == '\\' && s[i + 1] == 'u' && (s[i + 2] == 'd' || s[i + 2] == 'D') &&
        std::strchr("89abcdefABCDEF", s[i + 3]) != nullptr && s[i + 3] != '\0')
      return true;
  return false;
}

}  // namespace

TEST_CASE("diagnose tells a cut text from an invalid one") {
  using D = jt::Diagnosis;
  const struct {
    const char* text;
    D::Kind kind;
    std::int64_t items;
  } cases[] = {
      {"", D::Empty, -1},          {" \n\t", D::Empty, -1},      {"[1]", D::Valid, -1},
      {" {\"a\":[]} ", D::Valid, -1}, {"12", D::Valid, -1},      {"[1,2", D::Truncated, 1},
      {"[1,2,", D::Truncated, 2},  {"[[],{}", D::Truncated, 2},  {"[\"a\",tr", D::Truncated, 1},
      {"{\"a\":", D::Truncated, -1}, {"tru", D::Truncated, -1},  {"\"abc", D::Truncated, -1},
      {"\"\\u12", D::Truncated, -1}, {"-", D::Truncated, -1},    {"1.", D::Truncated, -1},
      {"[1e", D::Truncated, 0},    {"[trux", D::Invalid, -1},    {"1 2", D::Invalid, -1},
      {"[1]x", D::Invalid, -1},    {"01", D::Invalid, -1},       {"\"\\x\"", D::Invalid, -1},
      {"[1,]", D::Invalid, -1},    {"{\"a\" 1}", D::Invalid, -1}, {"\"a\tb\"", D::Invalid, -1},
      {"\xEF\xBB\xBF[]", D::Invalid, -1},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    const D d = jt::diagnose(c.text);
    CHECK(d.kind == c.kind);
    CHECK(d.items == c.items);
  }
  // Nesting costs no stack: far deeper than parse() reads.
  const std::string open(200000, '['), close(200000, ']');
  CHECK(jt::diagnose(open).kind == D::Truncated);
  CHECK(jt::diagnose(open + "x").kind == D::Invalid);
  CHECK(jt::diagnose(open + close).kind == D::Valid);
  CHECK(jt::diagnose(open + close + "]").kind == D::Invalid);
}

TEST_CASE("diagnose and split_array read documents as parse does, on random, cut and mutated documents") {
  using D = jt::Diagnosis;
  Random r(20261207);
  std::mt19937 cuts(7);
  for (int i = 0; i < 3000; ++i) {
    const json tree = r.tree<json>(0, false);
    const std::string text = jt::dump(tree);
    INFO(text);
    REQUIRE(jt::diagnose(text).kind == D::Valid);

    // Every cut of a document is Truncated; a bare number's cut may be a
    // whole number itself.
    std::vector<std::pair<std::size_t, std::size_t>> ranges;
    const bool array = jt::split_array(text, ranges);
    CHECK(array == tree.is_array());
    if (array) {
      REQUIRE(ranges.size() == tree.size());
      for (std::size_t k = 0; k < ranges.size(); ++k) {
        json item;
        REQUIRE(jt::parse(std::string_view(text).substr(ranges[k].first, ranges[k].second - ranges[k].first), item) ==
                jt::Parsed::Ok);
        CHECK(item == tree[k]);
      }
    }
    for (int k = 0; k < 6 && text.size() > 1; ++k) {
      const std::size_t cut = 1 + cuts() % (text.size() - 1);
      const D d = jt::diagnose(text.substr(0, cut));
      INFO("cut at " << cut);
      if (tree.is_number()) {
        CHECK(d.kind != D::Invalid);
        continue;
      }
      CHECK(d.kind == D::Truncated);
      if (!array) continue;
      // The elements complete before the cut: a number only once something
      // follows it (its next digit could still come).
      std::int64_t complete = 0;
      for (std::size_t e = 0; e < ranges.size(); ++e)
        if (tree[e].is_number() ? cut > ranges[e].second : cut >= ranges[e].second) ++complete;
      CHECK(d.items == complete);
    }

    // A mutated document: Valid exactly when parse() reads it, but for what
    // only parse() checks.
    const std::string mutated = r.mutate(text);
    if (mutated.find('\0') != std::string::npos) continue;
    json out;
    const bool parsed = jt::parse(mutated, out) == jt::Parsed::Ok;
    const D d = jt::diagnose(mutated);
    INFO("mutated: " << mutated);
    if (parsed) CHECK(d.kind == D::Valid);
    else if (jt::valid_utf8(mutated) && !has_surrogate_escape(mutated)) CHECK(d.kind != D::Valid);
  }
}

namespace {

// nlohmann's callback parser, as sync read a too-deep answer before
// parse_pruned: what nests deeper than `limit` (nlohmann counts the
// top-level value as depth 0) is discarded, and the next object to close at
// depth `mark_at` is marked.
json reference_pruned(const std::string& text, int limit, int mark_at) {
  bool dropped = false;
  json::parser_callback_t keep = [&](int depth, json::parse_event_t event, json& parsed) {
    const bool start = event == json::parse_event_t::object_start || event == json::parse_event_t::array_start;
    if (start && depth > limit) {
      dropped = true;
      return false;
    }
    if (event == json::parse_event_t::object_end && depth == mark_at && dropped) {
      parsed["__too_deep"] = true;
      dropped = false;
    }
    return true;
  };
  json out = json::parse(text, keep, false);
  // nlohmann leaves a dropped member's key behind with a discarded value
  // unless a later sibling object closes (it then erases the first such
  // member): sync treated both alike, as a change marked too deep. Without
  // those leftovers, this is what parse_pruned answers.
  std::function<void(json&)> strip = [&](json& v) {
    if (v.is_object()) {
      for (auto it = v.begin(); it != v.end();) it = it->is_discarded() ? v.erase(it) : (strip(*it), std::next(it));
    } else if (v.is_array()) {
      for (json& item : v) strip(item);
    }
  };
  strip(out);
  return out;
}

// A random tree with chains of nesting here and there, some deeper than 8.
json deep_tree(Random& r, std::mt19937& rng, int depth) {
  if (depth < 3 || rng() % 4 != 0) {
    if (depth > 14 || rng() % 3 == 0) return r.tree<json>(4, false);
    json o = json::object();
    for (int i = 1 + static_cast<int>(rng() % 3); i > 0; --i) o["k" + std::to_string(rng() % 5)] = deep_tree(r, rng, depth + 1);
    return o;
  }
  json a = json::array();
  for (int i = 1 + static_cast<int>(rng() % 3); i > 0; --i) a.push_back(deep_tree(r, rng, depth + 1));
  return a;
}

}  // namespace

TEST_CASE("parse_pruned leaves out what is too deep and marks its holder, as nlohmann's callback parser did") {
  Random r(20261208);
  std::mt19937 rng(8);
  int pruned = 0;
  for (int i = 0; i < 2000; ++i) {
    const std::string text = jt::dump(deep_tree(r, rng, 0));
    INFO(text);
    json got;
    REQUIRE(jt::parse_pruned(text, got, 9, 3, "__too_deep") == jt::Parsed::Ok);
    const json expected = reference_pruned(text, 8, 2);
    CHECK(got == expected);
    json whole;
    if (jt::parse(text, whole, 9) == jt::Parsed::TooDeep) ++pruned;
    else CHECK(got == whole);  // nothing too deep: what parse() reads
  }
  CHECK(pruned > 200);  // the trees do go too deep
  // What parse() refuses, parse_pruned refuses, deep or not.
  json out;
  CHECK(jt::parse_pruned(std::string(50, '[') + "1," + std::string(50, ']'), out, 9, 3, "m") == jt::Parsed::Invalid);
  REQUIRE(jt::parse_pruned(R"([{"a":[[[[[[[[[[1]]]]]]]]]],"b":2}])", out, 4, 2, "m") == jt::Parsed::Ok);
  CHECK(out == json::parse(R"([{"a":[[]],"b":2,"m":true}])"));  // depth 5 and below left out
}
