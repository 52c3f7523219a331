#include "db/args.hpp"

#include "json/json_text.hpp"

#include <cmath>

namespace cs {

namespace {
const json kNull = nullptr;

const char* type_name(const json& v) {
  return v.type_name();  // "null", "string", "number", ...
}
}  // namespace

Args::Args(const json& args, std::string prefix) : args_(args), prefix_(std::move(prefix)) {
  if (!args_.is_object() && !args_.is_null())
    throw Error(Code::InvalidArgument, "arguments must be a JSON object",
                {{"field", prefix_.empty() ? "args" : prefix_}, {"got", args_.type_name()}});
}

void Args::fail(const char* field, const std::string& problem) const {
  std::string path = prefix_.empty() ? field : prefix_ + "." + field;
  throw Error(Code::InvalidArgument, path + ": " + problem, {{"field", path}});
}

bool Args::has(const char* field) const {
  if (!args_.is_object()) return false;
  auto it = args_.find(field);
  return it != args_.end() && !it->is_null();
}

const json& Args::raw(const char* field) const {
  if (!args_.is_object()) return kNull;
  auto it = args_.find(field);
  return it == args_.end() ? kNull : *it;
}

std::string Args::string(const char* field) const {
  const json& v = raw(field);
  if (v.is_null()) fail(field, "is required");
  if (!v.is_string()) fail(field, std::string("must be a string, got ") + type_name(v));
  return v.get<std::string>();
}

std::optional<std::string> Args::opt_string(const char* field) const {
  if (!has(field)) return std::nullopt;
  return string(field);
}

std::int64_t Args::integer(const char* field) const {
  const json& v = raw(field);
  if (v.is_null()) fail(field, "is required");
  if (!v.is_number()) fail(field, std::string("must be an integer, got ") + type_name(v));
  // Never a cast of the double: 1e300 would be undefined behaviour.
  const auto n = json_text::to_int64(v);
  if (!n) {
    const bool whole = !v.is_number_float() || std::trunc(v.get<double>()) == v.get<double>();
    fail(field, whole ? "is out of the 64-bit integer range" : "must be an integer, got " + json_text::dump(v));
  }
  return *n;
}

std::optional<std::int64_t> Args::opt_integer(const char* field) const {
  if (!has(field)) return std::nullopt;
  return integer(field);
}

std::int64_t Args::integer_or(const char* field, std::int64_t fallback, std::int64_t min,
                              std::int64_t max) const {
  if (!has(field)) return fallback;
  std::int64_t v = integer(field);
  if (v < min || v > max)
    fail(field, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  return v;
}

bool Args::boolean_or(const char* field, bool fallback) const {
  const json& v = raw(field);
  if (v.is_null()) return fallback;
  if (!v.is_boolean()) fail(field, std::string("must be a boolean, got ") + type_name(v));
  return v.get<bool>();
}

const json& Args::object(const char* field) const {
  const json& v = raw(field);
  if (v.is_null()) fail(field, "is required");
  if (!v.is_object()) fail(field, std::string("must be an object, got ") + type_name(v));
  return v;
}

const json& Args::array(const char* field) const {
  const json& v = raw(field);
  if (v.is_null()) fail(field, "is required");
  if (!v.is_array()) fail(field, std::string("must be an array, got ") + type_name(v));
  return v;
}

}  // namespace cs
