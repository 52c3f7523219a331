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

#include <cstdint>
#include <exception>
#include <initializer_list>
#include <optional>
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
// The value of a text this store wrote itself (a column, a cursor), or null
// when it is not JSON after all.
json parse_or_null(std::string_view text);
// parse() of a text from elsewhere that may nest deeper than this device
// keeps: an object or array nested deeper than max_depth is checked without
// recursion and left out (the member or element is dropped, not nulled; a
// repeated key's earlier value goes with it), and
// the next object to close at depth `mark_depth` (the top-level value is
// depth 1) gets the member `mark` = true. TooDeep is never the answer.
Parsed parse_pruned(std::string_view text, json& out, int max_depth, int mark_depth, std::string_view mark);

// ---- reading JSON text without a tree (scan.cpp) ------------------------
// For megabytes of text a caller needs only in part, or that may not be
// JSON. No nesting limit: both follow nesting without recursion.

// Why a text is or is not JSON by the grammar above: Valid, Empty (nothing
// but whitespace), Truncated (a proper prefix of some document: the text was
// cut), or Invalid. Strings are not checked for UTF-8 or lone surrogate
// escapes, which parse() refuses: a text read from a JavaScript string holds
// neither problem as JSON.parse sees it.
struct Diagnosis {
  enum Kind { Valid, Empty, Truncated, Invalid } kind;
  std::int64_t items;  // a Truncated top-level array's complete elements; else -1
};
Diagnosis diagnose(std::string_view text);

// Where the one JSON value that starts at text[at] ends (one past its last
// byte), checked by the grammar above as diagnose() checks; npos when it is
// not a whole, valid value.
std::size_t value_end(std::string_view text, std::size_t at);

// The byte ranges [begin, end) of a top-level array's elements, found by
// following strings and nesting; false when the text is not an array of that
// form (parse it whole instead). Elements are not checked: parse the ones
// you use.
bool split_array(std::string_view text, std::vector<std::pair<std::size_t, std::size_t>>& items);

// Well-formed UTF-8 (Unicode table 3-7, as string_bytes.hpp reads it): what
// TextEncoder writes.
bool valid_utf8(std::string_view text);
// What JavaScript's .length says of the text (UTF-16 code units), for
// UTF-8 text; a malformed sequence counts one unit per lead byte.
std::int64_t utf16_units(std::string_view utf8);

// Compact text; invalid UTF-8 inside strings becomes U+FFFD; RawJson values
// are written as they are.
void append(std::string& out, const json& value);
void append(std::string& out, const ordered_json& value);
std::string dump(const json& value);
std::string dump(const ordered_json& value);
// One string value, quoted and escaped as append() would write it.
void append_string(std::string& out, std::string_view text);

// ---- JavaScript's spelling ---------------------------------------------
// For text the app's JavaScript must find as it wrote it (the legacy
// rollback export, keys the app reads with JSON.parse).

// Number.prototype.toString (ECMA-262 Number::toString): 1 for 1.0, 1e+21,
// 0.000001, "0" for -0, "NaN", "Infinity".
std::string js_number(double value);
// What JSON.stringify writes for the value: compact, members in the tree's
// order, strings escaped as append() does, fractional numbers as js_number()
// and the non-finite ones as null. Integers keep every digit they were
// parsed with (JSON.parse would round beyond 2^53: the text stays exact).
std::string stringify(const ordered_json& value);

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

// ---- exact values ------------------------------------------------------
// The door promises that a value crosses it exactly or not at all (README
// "Values"). These are the pieces of that promise the JSON layer keeps.

// A JSON number as an int64, when it is a whole number int64 holds: an
// integer in range, or a double such as 5.0. nullopt otherwise (fractions,
// 1e300, NaN, 2^63 and beyond, anything not a number). Every conversion of
// a request's number to an integer goes through here: casting a double out
// of range is undefined behaviour in C++.
std::optional<std::int64_t> to_int64(const json& value);
std::optional<std::int64_t> to_int64(double value);

// Integers JavaScript numbers hold exactly: |n| <= 2^53 - 1.
inline constexpr std::int64_t kMaxSafeInteger = 9007199254740991;

// A JSON document is stored as text and read back by JSON.parse, so it can
// hold only what that gives back exactly. The first value that breaks this,
// with its path inside the document ("a.b[2]", "" for the document itself):
// bytes (a binary value), a number that is not finite, or an integer beyond
// 2^53 that a double cannot represent exactly. RawJson inside is trusted.
struct DocumentProblem {
  std::string path;
  std::string problem;
};
std::optional<DocumentProblem> document_problem(const json& document);
// "field" + "a[1]" -> "field.a[1]"; "field" + "[1]" -> "field[1]".
std::string join_path(std::string_view field, std::string_view inner);

// The values of an answer that its JSON text cannot carry exactly, found by
// append_answer while it writes the text. Each becomes an entry of the
// envelope's "values" array naming where it goes (a path from the result,
// keys and indices):
//   {"at":[...],"int":"9007199254740993"}   an integer beyond 2^53 - 1 (the
//       text holds the number too, which JSON.parse can only approximate)
//   {"at":[...],"blob":k}                   the k-th blob (the text holds null)
// Blob bytes are collected in `bytes`, blob k at spans[2k] with length
// spans[2k+1], for the door to hand out without JSON.
struct AnswerValues {
  std::string entries;  // the entries, comma-separated
  std::string bytes;
  std::vector<std::size_t> spans;
  bool empty() const { return entries.empty(); }
  std::size_t blob_count() const { return spans.size() / 2; }
  void clear() {
    entries.clear();
    bytes.clear();
    spans.clear();
  }
};

// A string of the answer that is not UTF-8 (a TEXT value SQLite holds as
// bytes that do not decode): answers refuse it rather than change it.
struct InvalidText : std::exception {
  explicit InvalidText(std::string at) : path(std::move(at)) {}
  const char* what() const noexcept override { return "text is not valid UTF-8"; }
  std::string path;  // "rows[0].c"; "" for the result itself
};

// Writes `value` as an answer's text: as append() does, except that strings
// must be UTF-8 (InvalidText otherwise), infinities are written as 1e999 and
// -1e999 (JSON.parse reads them back as +-Infinity), and integers beyond
// 2^53 - 1 and bytes are recorded in `values` as above.
void append_answer(std::string& out, const json& value, AnswerValues& values);
// One string value as append_string() writes it; false (and nothing
// written) when it is not UTF-8.
bool append_string_checked(std::string& out, std::string_view text);

}  // namespace cs::json_text
