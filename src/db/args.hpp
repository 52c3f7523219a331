// Typed access to an op's JSON arguments. Every accessor names the field in
// its error, so a bad request says exactly what was wrong with it.
#pragma once

#include "db/error.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace cs {

using json = nlohmann::json;

class Args {
 public:
  explicit Args(const json& args, std::string prefix = "");

  bool has(const char* field) const;  // present and not null
  const json& raw(const char* field) const;  // null json when absent

  std::string string(const char* field) const;
  std::optional<std::string> opt_string(const char* field) const;
  std::int64_t integer(const char* field) const;
  std::optional<std::int64_t> opt_integer(const char* field) const;
  std::int64_t integer_or(const char* field, std::int64_t fallback, std::int64_t min,
                          std::int64_t max) const;
  bool boolean_or(const char* field, bool fallback) const;
  const json& object(const char* field) const;
  const json& array(const char* field) const;

  [[noreturn]] void fail(const char* field, const std::string& problem) const;

 private:
  const json& args_;
  std::string prefix_;
};

}  // namespace cs
