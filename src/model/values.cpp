#include "values.hpp"

#include "model/clock.hpp"
#include "json/json_text.hpp"
#include "model/limits.hpp"
#include "model/money.hpp"
#include "model/uuid.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace cs::model {

namespace {

// Code points: UTF-8 lead bytes (the parser already rejected invalid UTF-8).
std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

const char* type_of(const json& v) { return v.type_name(); }

int scale_of(Kind k) { return k == Kind::Money4 ? 4 : 2; }

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

const std::string& string_arg(const json& v, const std::string& path) {
  if (!v.is_string()) fail_field(path, std::string("must be a string, got ") + type_of(v));
  return v.get_ref<const std::string&>();
}

void check_no_nul(std::string_view s, const std::string& path) {
  // SQLite stores it, but many string functions stop at the first NUL.
  if (std::memchr(s.data(), '\0', s.size()) != nullptr) fail_field(path, "must not contain NUL characters");
}

Value parse_json_column(const Field& f, const json& v, const std::string& path) {
  // The value as text, and what it is: '{' object, '[' array, 0 anything else.
  std::string text;
  char kind = 0;
  const char* got = nullptr;
  json parsed;
  const json* value = &v;
  const bool as_text = json_text::is_raw(v);
  if (as_text) {
    // The door kept this member as the text it came in (json_text::parse
    // with raw members): already checked, compact, an object or an array.
    text = json_text::raw_text(v);
    kind = text.front();
    got = kind == '{' ? "object" : "array";
  } else {
    if (v.is_string()) {
      // JSON columns accept the value or its serialized text (what the old
      // app kept in localStorage); the text must parse.
      if (json_text::parse(v.get_ref<const std::string&>(), parsed) != json_text::Parsed::Ok)
        fail_field(path, "is not valid JSON", {{"reason", "invalid_json"}});
      value = &parsed;
    }
    kind = value->is_object() ? '{' : value->is_array() ? '[' : 0;
    got = type_of(*value);
  }
  const bool ok = f.kind == Kind::Object ? kind == '{' : f.kind == Kind::Array ? kind == '[' : kind != 0;
  if (!ok) {
    const char* want = f.kind == Kind::Object ? "a JSON object" : f.kind == Kind::Array ? "a JSON array" : "a JSON object or array";
    fail_field(path, std::string("must be ") + want + ", got " + got);
  }
  if (!as_text) {
    // Read back with JSON.parse, the document must give back what came in.
    if (auto problem = json_text::document_problem(*value))
      fail_field(json_text::join_path(path, problem->path), problem->problem);
    text = json_text::dump(*value);
  }
  if (static_cast<std::int64_t>(text.size()) > f.max)
    fail_field(path, "is too large: " + std::to_string(text.size()) + " bytes serialized, limit " + std::to_string(f.max),
               {{"limit", f.max}, {"size", text.size()}});
  return text;
}

Value parse_money(const Field& f, const json& v, const std::string& path) {
  const int scale = scale_of(f.kind);
  std::int64_t units = 0;
  if (v.is_number_integer()) {
    if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(f.max))
      fail_field(path, "is too large", {{"limit", money::format(f.max, scale)}});
    std::int64_t whole = v.get<std::int64_t>();
    std::int64_t p = scale == 4 ? 10000 : 100;
    if (whole > f.max / p || whole < std::numeric_limits<std::int64_t>::min() / p)
      fail_field(path, "is too large", {{"limit", money::format(f.max, scale)}});
    units = whole * p;
  } else if (v.is_number_float() || v.is_string()) {
    // A JSON number arrives as a double; its shortest text ("29.99") is what
    // the caller wrote, and that text is parsed exactly.
    std::string text = v.is_string() ? v.get<std::string>() : json_text::dump(v);
    std::string problem;
    auto parsed = money::parse(text, scale, &problem);
    if (!parsed) fail_field(path, problem);
    units = *parsed;
  } else {
    fail_field(path, std::string("must be a decimal number or string, got ") + type_of(v));
  }
  if (units < f.min || units > f.max)
    fail_field(path, "must be between " + money::format(f.min, scale) + " and " + money::format(f.max, scale),
               {{"limit", money::format(f.max, scale)}});
  return units;
}

std::int64_t parse_integer(const json& v, const std::string& path) {
  if (v.is_number()) {
    if (auto n = json_text::to_int64(v)) return *n;
    if (!v.is_number_float() || std::trunc(v.get<double>()) == v.get<double>()) fail_field(path, "is out of range");
  }
  fail_field(path, std::string("must be an integer, got ") + type_of(v));
}

}  // namespace

std::string field_path(const std::string& prefix, std::string_view field) {
  return prefix.empty() ? std::string(field) : prefix + "." + std::string(field);
}

void fail_field(const std::string& path, const std::string& problem, json extra) {
  json details = extra.is_object() ? std::move(extra) : json::object();
  details["field"] = path;
  throw Error(Code::InvalidArgument, path + ": " + problem, std::move(details));
}

void only_args(const json& args, std::initializer_list<const char*> allowed, const char* op) {
  if (!args.is_null() && !args.is_object()) fail_field("args", "must be a JSON object");
  if (!args.is_object()) return;
  for (auto it = args.begin(); it != args.end(); ++it) {
    bool ok = false;
    for (const char* a : allowed) ok = ok || it.key() == a;
    if (!ok) fail_field(it.key(), std::string("is not an argument of ") + op);
  }
}

std::optional<std::int64_t> integer_arg(const json& args, const char* name, std::int64_t min, std::int64_t max) {
  auto it = args.find(name);
  if (it == args.end() || it->is_null()) return std::nullopt;
  Field f;
  f.kind = Kind::Integer;
  f.range(min, max);
  return std::get<std::int64_t>(parse_value(f, *it, name));
}

Value& Row::set(const TableSpec& spec, std::string_view api, Value v) {
  auto& slot = values.at(static_cast<std::size_t>(spec.index_of(api)));
  slot = std::move(v);
  return *slot;
}

const Value* Row::get(const TableSpec& spec, std::string_view api) const {
  int i = spec.index_of(api);
  if (i < 0) return nullptr;
  const auto& slot = values[static_cast<std::size_t>(i)];
  return slot ? &*slot : nullptr;
}

bool Row::empty() const {
  return std::none_of(values.begin(), values.end(), [](const auto& v) { return v.has_value(); });
}

Value parse_value(const Field& f, const json& v, const std::string& path) {
  switch (f.kind) {
    case Kind::Id: {
      const std::string& s = string_arg(v, path);
      if (s.empty() || s.size() > limits::kMaxIdBytes)
        fail_field(path, "must be 1 to " + std::to_string(limits::kMaxIdBytes) + " characters",
                   {{"limit", limits::kMaxIdBytes}});
      for (char c : s)
        if (c < '!' || c > '~') fail_field(path, "must be printable ASCII without spaces");
      return std::string_view(s);
    }
    case Kind::Text: {
      const std::string& s = string_arg(v, path);
      check_no_nul(s, path);
      const auto n = static_cast<std::int64_t>(code_points(s));
      if (n > f.max)
        fail_field(path, "is too long: " + std::to_string(n) + " characters, limit " + std::to_string(f.max),
                   {{"limit", f.max}, {"size", n}});
      if (n < f.min)
        fail_field(path, f.min == 1 ? "must not be empty" : "must be at least " + std::to_string(f.min) + " characters");
      return std::string_view(s);
    }
    case Kind::Url: {
      const std::string& s = string_arg(v, path);
      check_no_nul(s, path);
      if (static_cast<std::int64_t>(s.size()) > f.max)
        fail_field(path, "is too long: " + std::to_string(s.size()) + " bytes, limit " + std::to_string(f.max),
                   {{"limit", f.max}, {"size", s.size()}});
      if (static_cast<std::int64_t>(s.size()) < f.min) fail_field(path, "must not be empty");
      return std::string_view(s);
    }
    case Kind::Integer: {
      std::int64_t n = parse_integer(v, path);
      if (n < f.min || n > f.max)
        fail_field(path, "must be between " + std::to_string(f.min) + " and " + std::to_string(f.max),
                   {{"limit", f.max}});
      return n;
    }
    case Kind::Boolean:
      if (!v.is_boolean()) fail_field(path, std::string("must be a boolean, got ") + type_of(v));
      return std::int64_t{v.get<bool>() ? 1 : 0};
    case Kind::Object:
    case Kind::Array:
    case Kind::Json:
      return parse_json_column(f, v, path);
    case Kind::Money2:
    case Kind::Money4:
      return parse_money(f, v, path);
    case Kind::Timestamp: {
      std::optional<std::int64_t> ms;
      if (v.is_string()) {
        ms = clock::parse_iso(v.get_ref<const std::string&>());
      } else if (v.is_number_integer() && !(v.is_number_unsigned() && v.get<std::uint64_t>() > 1ULL << 62)) {
        std::int64_t n = v.get<std::int64_t>();
        if (n >= clock::kMinMs && n <= clock::kMaxMs) ms = n;
      }
      if (!ms) fail_field(path, "must be an ISO-8601 timestamp (e.g. 2024-05-01T12:00:00Z) or epoch milliseconds");
      return clock::iso(*ms);
    }
    case Kind::Enum: {
      const std::string& s = string_arg(v, path);
      if (std::find(f.choices.begin(), f.choices.end(), s) == f.choices.end())
        fail_field(path, "must be one of " + join(f.choices) + ", got '" + s.substr(0, 40) + "'",
                   {{"allowed", f.choices}});
      return std::string_view(s);
    }
  }
  throw Error(Code::Internal, "unknown field kind");
}

std::string parse_id(const json& args, const char* field, const std::string& prefix) {
  const std::string path = field_path(prefix, field);
  if (!args.is_object()) fail_field(prefix.empty() ? "args" : prefix, "must be a JSON object");
  auto it = args.find(field);
  if (it == args.end() || it->is_null()) fail_field(path, "is required");
  Field f;
  f.kind = Kind::Id;
  return std::string(text_of(parse_value(f, *it, path)));
}

namespace {

bool listed(const std::vector<std::string_view>& list, std::string_view key) {
  return std::find(list.begin(), list.end(), key) != list.end();
}

void check_object(const json& args, const ParseOptions& o) {
  if (!args.is_object())
    fail_field(o.prefix.empty() ? "args" : o.prefix, std::string("must be a JSON object, got ") + type_of(args));
}

std::string parse_time_arg(const json& v, const std::string& path) {
  Field f;
  f.kind = Kind::Timestamp;
  return std::string(text_of(parse_value(f, v, path)));
}

}  // namespace

Row parse_create(const TableSpec& spec, const json& args, const ParseOptions& o) {
  check_object(args, o);
  Row row;
  row.values.resize(spec.fields.size());
  for (auto it = args.begin(); it != args.end(); ++it) {
    const std::string& key = it.key();
    const std::string path = field_path(o.prefix, key);
    if (key == "id") {
      if (it->is_null()) continue;
      const std::string& s = string_arg(*it, path);
      if (!is_uuid(s)) fail_field(path, "must be a UUID (8-4-4-4-12 hex digits) when given");
      row.id = s;
      std::transform(row.id.begin(), row.id.end(), row.id.begin(),
                     [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
      continue;
    }
    if (key == "createdAt" || key == "updatedAt") {
      if (it->is_null()) continue;
      (key == "createdAt" ? row.created_at : row.updated_at) = parse_time_arg(*it, path);
      continue;
    }
    if (listed(o.extra, key)) continue;
    const int i = spec.index_of(key);
    if (i < 0) fail_field(path, "is not a field of " + spec.name);
    const Field& f = spec.fields[static_cast<std::size_t>(i)];
    if (listed(o.preset, key)) fail_field(path, "is set by the enclosing request; leave it out");
    if (!f.creatable) fail_field(path, "is managed by the store and cannot be set");
    if (it->is_null()) continue;  // null on create = not given: the default applies
    row.values[static_cast<std::size_t>(i)] = parse_value(f, *it, path);
  }
  for (std::size_t i = 0; i < spec.fields.size(); ++i) {
    const Field& f = spec.fields[i];
    if (row.values[i]) continue;
    if (f.required && !listed(o.preset, f.api)) fail_field(field_path(o.prefix, f.api), "is required");
    row.values[i] = f.def;
  }
  if (row.id.empty()) row.id = new_uuid();
  return row;
}

Row parse_update(const TableSpec& spec, const json& args, const ParseOptions& o) {
  check_object(args, o);
  Row row;
  row.values.resize(spec.fields.size());
  row.id = parse_id(args, "id", o.prefix);
  for (auto it = args.begin(); it != args.end(); ++it) {
    const std::string& key = it.key();
    if (key == "id" || listed(o.extra, key)) continue;
    const std::string path = field_path(o.prefix, key);
    if (key == "createdAt" || key == "updatedAt") fail_field(path, "is managed by the store and cannot be changed");
    const int i = spec.index_of(key);
    if (i < 0) fail_field(path, "is not a field of " + spec.name);
    const Field& f = spec.fields[static_cast<std::size_t>(i)];
    if (!f.creatable) fail_field(path, "is managed by the store and cannot be changed");
    if (!f.updatable) fail_field(path, "cannot be changed after create" +
                                           std::string(key == "status" ? " (use setStatus)"
                                                       : key == "isPrimary" ? " (use images.setPrimary)"
                                                       : key == "isActive" ? " (use backgrounds.activate)"
                                                                           : ""));
    if (it->is_null()) {
      if (!f.nullable) fail_field(path, "must not be null");
      row.values[static_cast<std::size_t>(i)].emplace();  // an explicit NULL
      continue;
    }
    row.values[static_cast<std::size_t>(i)] = parse_value(f, *it, path);
  }
  return row;
}

json format_value(const Field& f, const Value& v) {
  if (is_null(v)) return nullptr;
  if (auto* n = std::get_if<std::int64_t>(&v)) {
    switch (f.kind) {
      case Kind::Boolean: return *n != 0;
      case Kind::Money2:
      case Kind::Money4: return money::format(*n, scale_of(f.kind));
      default:
        // As row_text writes it: beyond 2^53 (only raw SQL stores that in an
        // integer field), the exact decimal string.
        if (*n > json_text::kMaxSafeInteger || *n < -json_text::kMaxSafeInteger) return std::to_string(*n);
        return *n;
    }
  }
  std::string_view text = text_of(v);
  switch (f.kind) {
    case Kind::Object:
    case Kind::Array:
    case Kind::Json:
      // Stored JSON goes back out as the text it is (the json_valid CHECK
      // keeps it valid; raw SQL could still have stored anything else, which
      // is answered as the string it is).
      return json_text::valid(text) ? json_text::raw(text) : json(std::string(text));
    default: return std::string(text);
  }
}

json format_column(const Field& f, const Statement& row, int column) {
  if (row.column_is_null(column)) return nullptr;
  switch (f.kind) {
    case Kind::Integer:
    case Kind::Boolean:
    case Kind::Money2:
    case Kind::Money4: {
      json raw = row.column_json(column);
      // Raw SQL may have stored something else; show it as it is.
      if (!raw.is_number_integer()) return raw;
      return format_value(f, Value{raw.get<std::int64_t>()});
    }
    default: return format_value(f, Value{row.column_text_view(column)});
  }
}

json read_row(const TableSpec& spec, const Statement& row, int first) {
  json out = json::object();
  out["id"] = row.column_text(first);
  int c = first + 1;
  for (const Field& f : spec.fields) out[f.api] = format_column(f, row, c++);
  out["createdAt"] = row.column_text(c++);
  out["updatedAt"] = row.column_text(c);
  return out;
}

json row_json(const TableSpec& spec, const Row& row) {
  json out = json::object();
  out["id"] = row.id;
  for (std::size_t i = 0; i < spec.fields.size(); ++i)
    out[spec.fields[i].api] = row.values[i] ? format_value(spec.fields[i], *row.values[i]) : json(nullptr);
  out["createdAt"] = row.created_at;
  out["updatedAt"] = row.updated_at;
  return out;
}

}  // namespace cs::model
