// Numbers converted without undefined behaviour, and what a JSON document
// can hold exactly (json_text.hpp, "exact values").
#include "json/json_text.hpp"

#include <cmath>
#include <limits>

namespace cs::json_text {

std::optional<std::int64_t> to_int64(double value) {
  // [-2^63, 2^63): both bounds are exact doubles, and a NaN fails both tests.
  constexpr double kTwo63 = 9223372036854775808.0;
  if (!(value >= -kTwo63 && value < kTwo63) || value != std::trunc(value)) return std::nullopt;
  return static_cast<std::int64_t>(value);
}

std::optional<std::int64_t> to_int64(const json& value) {
  switch (value.type()) {
    case json::value_t::number_integer: return value.get<std::int64_t>();
    case json::value_t::number_unsigned: {
      const auto u = value.get<std::uint64_t>();
      if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
      return static_cast<std::int64_t>(u);
    }
    case json::value_t::number_float: return to_int64(value.get<double>());
    default: return std::nullopt;
  }
}

namespace {

// True when JSON.parse reads the integer back as the same number.
bool double_holds(std::int64_t n) {
  if (n >= -kMaxSafeInteger && n <= kMaxSafeInteger) return true;
  const auto d = static_cast<double>(n);  // rounds; |d| <= 2^63, so the way back is defined when < 2^63
  const auto back = to_int64(d);
  return back && *back == n;
}

bool double_holds(std::uint64_t n) {
  if (n <= static_cast<std::uint64_t>(kMaxSafeInteger)) return true;
  const auto d = static_cast<double>(n);
  if (!(d < 18446744073709551616.0)) return false;  // rounded up to 2^64
  return static_cast<std::uint64_t>(d) == n;
}

template <class Int>
std::optional<DocumentProblem> integer_problem(Int n) {
  if (double_holds(n)) return std::nullopt;
  return DocumentProblem{"", "integer " + std::to_string(n) +
                                 " would be read back as a different number (JSON numbers are doubles); "
                                 "store it as a string"};
}

// The path is written on the way back up, and only for a problem: a valid
// document of millions of values costs one walk and no strings.
std::optional<DocumentProblem> check(const json& v) {
  switch (v.type()) {
    case json::value_t::number_integer: return integer_problem(v.get<std::int64_t>());
    case json::value_t::number_unsigned: return integer_problem(v.get<std::uint64_t>());
    case json::value_t::number_float:
      if (!std::isfinite(v.get<double>())) return DocumentProblem{"", "JSON has no NaN or Infinity"};
      return std::nullopt;
    case json::value_t::binary:
      if (is_raw(v)) return std::nullopt;
      return DocumentProblem{"", "bytes cannot be part of a JSON document (store them as a BLOB or with blobs.put)"};
    case json::value_t::array: {
      std::size_t i = 0;
      for (const json& item : v) {
        if (auto problem = check(item)) {
          problem->path = join_path("[" + std::to_string(i) + "]", problem->path);
          return problem;
        }
        ++i;
      }
      return std::nullopt;
    }
    case json::value_t::object:
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (auto problem = check(it.value())) {
          problem->path = join_path(it.key(), problem->path);
          return problem;
        }
      }
      return std::nullopt;
    default: return std::nullopt;
  }
}

}  // namespace

std::optional<DocumentProblem> document_problem(const json& document) { return check(document); }

std::string join_path(std::string_view field, std::string_view inner) {
  std::string out(field);
  if (!inner.empty() && inner.front() != '[' && !out.empty()) out.push_back('.');
  out.append(inner);
  return out;
}

}  // namespace cs::json_text
