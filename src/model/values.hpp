// JSON <-> column values, driven by the table descriptors: a request's fields
// are checked (type, size, range, choices) and turned into what is stored;
// stored columns are turned back into the response's JSON (JSON columns
// parsed, money as exact decimal strings, booleans as booleans).
#pragma once

#include "table.hpp"

#include "db/database.hpp"

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace cs::model {

using json = nlohmann::json;

// A row as a request describes it. values[i] belongs to spec.fields[i];
// nullopt means "not given" (an update keeps the column as it is).
struct Row {
  std::string id;
  std::vector<std::optional<Value>> values;
  std::string created_at;  // canonical; empty = now
  std::string updated_at;

  Value& set(const TableSpec& spec, std::string_view api, Value v);
  const Value* get(const TableSpec& spec, std::string_view api) const;
  bool empty() const;  // no field given
};

struct ParseOptions {
  std::string prefix;                      // "images[0]" for nested items
  std::vector<std::string_view> extra;     // keys the caller reads itself
  std::vector<std::string_view> preset;    // fields the caller fills in (rejected in args)
};

// "prefix.field" (or "field"), the name errors carry in details.field.
std::string field_path(const std::string& prefix, std::string_view field);

[[noreturn]] void fail_field(const std::string& path, const std::string& problem, json extra = json::object());

// Refuses args that are not an object (null is no args), and any member not
// in `allowed`, naming it and the op.
void only_args(const json& args, std::initializer_list<const char*> allowed, const char* op);

// One field: the request's JSON value -> the stored value.
Value parse_value(const Field& f, const json& v, const std::string& path);

// A whole-number argument in [min, max] that is not a column (a limit, a
// TTL, an expected version): nullopt when absent or null.
std::optional<std::int64_t> integer_arg(const json& args, const char* name, std::int64_t min, std::int64_t max);

// Every field of a create: given, defaulted or an error. `id`, when given,
// must be a UUID; `createdAt`/`updatedAt` may carry original timestamps
// (legacy import).
Row parse_create(const TableSpec& spec, const json& args, const ParseOptions& options = {});
// `id` plus the fields to change.
Row parse_update(const TableSpec& spec, const json& args, const ParseOptions& options = {});

// An id given as an argument (of the row itself or a reference).
std::string parse_id(const json& args, const char* field, const std::string& prefix = "");

json format_value(const Field& f, const Value& v);
json format_column(const Field& f, const Statement& row, int column);
// A row selected with spec.select_list, starting at column `first`.
json read_row(const TableSpec& spec, const Statement& row, int first = 0);
// The response for a row just inserted, without reading it back.
json row_json(const TableSpec& spec, const Row& row);

// The same two answers as RawJson text written straight from the columns
// (row_text.cpp), for rows that go out unchanged or only gain members
// (json_text::extend). Code that looks inside a row uses the trees above.
json read_row_raw(const TableSpec& spec, const Statement& row, int first = 0);
json row_raw(const TableSpec& spec, const Row& row);

}  // namespace cs::model
