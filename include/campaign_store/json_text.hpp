// JSON text in and out, for the door (every request and answer) and the
// legacy import (megabytes of localStorage values).
//
// Why not nlohmann's own parse()/dump(): in the wasm build they move text one
// character at a time through std::string::push_back and virtual output
// adapters, and a campaign draft's step data went through parse -> tree ->
// text -> SQLite -> text -> tree -> text on every autosave. Here strings are
// copied in runs, the writer appends spans, and JSON that SQLite already
// holds as valid text travels as RawJson: spliced into the answer verbatim,
// never rebuilt as a tree.
//
// The grammar is RFC 8259, as JSON.parse reads it, with nlohmann's results:
// non-negative integers become number_unsigned, negative ones number_integer,
// others (fractions, exponents, beyond 64 bits) doubles; a repeated key keeps
// its last value (in ordered_json at its first position); strings must be
// UTF-8; a lone surrogate escape ("\ud800") is refused, as UTF-8 cannot hold
// it. Nesting is limited (kMaxDepth): the parser and every walker recurse.
// The writer produces exactly what dump(-1, ' ', false, replace) does
// (tests/native/test_json_text.cpp compares the two on random trees and
// random bytes), so answers did not change shape when it replaced dump().
#pragma once

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cs::json_text {

using json = nlohmann::json;
using ordered_json = nlohmann::ordered_json;

// SQLite's own JSON nesting limit: anything deeper could not be stored.
inline constexpr int kMaxDepth = 1000;

enum class Parsed { Ok, Invalid, TooDeep };

// The whole of `text` as one JSON value (surrounding whitespace allowed).
// On failure `out` is null.
Parsed parse(std::string_view text, json& out, int max_depth = kMaxDepth);
Parsed parse(std::string_view text, ordered_json& out, int max_depth = kMaxDepth);
// The same, but members of the top-level object named in `raw_members` whose
// value is an object or array arrive as RawJson, the text as it came, when
// that text means what a tree of it would (compact, no repeated keys: what
// JSON.stringify sends); otherwise as a tree, as by parse(). For
// the door: a draft's step data goes into SQLite as the text it came in,
// never through a tree (src/api/op_table.cpp names such members per op).
Parsed parse(std::string_view text, json& out, const std::vector<std::string_view>& raw_members,
             int max_depth = kMaxDepth);
// The same grammar without building anything.
bool valid(std::string_view text, int max_depth = kMaxDepth);

// Compact text; invalid UTF-8 inside strings becomes U+FFFD; RawJson values
// are written as they are.
void append(std::string& out, const json& value);
void append(std::string& out, const ordered_json& value);
std::string dump(const json& value);
std::string dump(const ordered_json& value);
// One string value, quoted and escaped as append() would write it.
void append_string(std::string& out, std::string_view text);

// RawJson: text already known to be valid JSON (valid() said so, or SQLite's
// json_valid CHECK did), carried inside a tree as a binary value with this
// subtype. Only append()/dump() understand it: it is for answers on their
// way out and for members the door kept as text (parse() with raw_members,
// read by model::parse_value for JSON columns); code that needs to look
// inside reads it as a tree.
inline constexpr std::uint8_t kRawSubtype = 0x4A;  // 'J'
json raw(std::string_view valid_text);
bool is_raw(const json& value);
std::string_view raw_text(const json& value);
// A RawJson object with members added at its end, in the order given
// (values may hold RawJson): a row answered with its children.
using Member = std::pair<std::string_view, const json&>;
json extend(const json& raw_object, std::initializer_list<Member> members);

}  // namespace cs::json_text
