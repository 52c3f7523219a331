// Table descriptors: for each Campaign Builder table, its API fields (camelCase)
// and columns (snake_case), how each value is checked and stored, its limits,
// defaults and references. Parsing, formatting, the write path, lists and the
// sync column mapping are all driven by these, so a column is described once.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace cs::model {

enum class Kind : std::uint8_t {
  Id,         // a reference to another row: 1..64 printable ASCII; existence checked
  Text,       // UTF-8 text, limit in code points
  Url,        // text, limit in bytes (legacy data: URLs are large)
  Integer,    // integer in [min, max]
  Boolean,    // stored 0/1
  Object,     // JSON object (or its text), stored as JSON text
  Array,      // JSON array (or its text)
  Json,       // any JSON object or array (or its text)
  Money2,     // decimal with 2 places, stored as INTEGER hundredths
  Money4,     // decimal with 4 places, stored as INTEGER ten-thousandths
  Timestamp,  // ISO-8601 text or epoch ms, stored canonical (cs::clock::iso)
  Enum,       // one of `choices`
};

// A column value as bound: NULL, an integer, or text. Text is either borrowed
// from the request JSON (alive for the whole op) or owned (serialized JSON,
// canonical timestamps).
using Value = std::variant<std::monostate, std::int64_t, std::string_view, std::string>;

inline bool is_null(const Value& v) { return std::holds_alternative<std::monostate>(v); }
inline std::string_view text_of(const Value& v) {
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  if (auto* s = std::get_if<std::string_view>(&v)) return *s;
  return {};
}

struct Field {
  std::string api;     // request/response name
  std::string column;  // SQLite column
  Kind kind;
  std::int64_t min = 0;  // Text: min code points; Integer/Money: min value (units)
  std::int64_t max = 0;  // Text: code points; Url/JSON: bytes; Integer/Money: max (units)
  bool required = false;  // create fails without it
  bool nullable = true;   // may be set to null explicitly
  bool creatable = true;  // a create request may set it
  bool updatable = true;  // an update request may change it
  bool unique = false;    // taken values are a CONFLICT naming the field
  std::string ref;        // Id: the table referenced (checked before writing)
  std::vector<std::string> choices;  // Enum
  Value def;              // stored when a create leaves the field out

  // Builder-style setters keep the table definitions readable.
  Field& req() { required = true; nullable = false; return *this; }
  Field& not_null() { nullable = false; return *this; }
  Field& create_only() { updatable = false; return *this; }
  Field& managed() { creatable = false; updatable = false; return *this; }
  Field& range(std::int64_t lo, std::int64_t hi) { min = lo; max = hi; return *this; }
  Field& unique_value() { unique = true; return *this; }
  Field& default_to(Value v) { def = std::move(v); return *this; }
};

struct TableSpec {
  std::string name;
  bool has_seq = false;  // products, campaigns: INTEGER PRIMARY KEY seq for FTS
  std::vector<Field> fields;  // everything but id, created_at, updated_at, hlc

  // SQL made once from the fields (tables.cpp). Row reads always select
  // `select_list` so that read_row() knows the column positions:
  // id, fields..., created_at, updated_at.
  std::string select_list;
  std::string select_by_id;   // ... WHERE id = ?1
  std::string exists_by_id;   // SELECT 1 ... WHERE id = ?1
  // [0] writes hlc NULL, [1] stamps it from the sync engine's clock.
  std::string insert_sql[2];  // id, fields..., created_at, updated_at, hlc
  std::string update_sql[2];  // SET col = CASE WHEN ?flag THEN ?value ELSE col END ...
  std::string delete_sql;     // WHERE id = ?1

  // The members of a row's JSON answer in the order a std::map-backed
  // json object writes them (sorted): `"key":` and its slot (-1 id,
  // 0..n-1 fields[i], n createdAt, n+1 updatedAt). See row_text.cpp.
  struct AnswerMember {
    std::string quoted_key;
    int slot;
  };
  std::vector<AnswerMember> answer_members;

  int index_of(std::string_view api) const;        // -1 when absent
  const Field& field(std::string_view api) const;  // throws INTERNAL when absent
  std::string columns_with(const char* alias) const;  // select_list with "alias." prefixes
};

// The tables, in dependency order (parents first).
namespace spec {
const TableSpec& users();
const TableSpec& products();
const TableSpec& product_images();
const TableSpec& background_versions();
const TableSpec& campaigns();
const TableSpec& campaign_drafts();
const TableSpec& creatives();
const TableSpec& creative_assets();
const TableSpec& platform_integrations();
const TableSpec& campaign_publications();
const TableSpec& ai_generations();
}  // namespace spec

const std::vector<const TableSpec*>& all_tables();

}  // namespace cs::model
