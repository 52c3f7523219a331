// Exact decimal amounts as integers of 10^-scale units (cents for scale 2).
// Money never passes through binary floating point inside the store: 0.1 +
// 0.2 is not 0.3 in a double, and a price stored as 29.989999999 is a bug a
// customer sees. The API takes "29.99" or 29.99 and answers "29.99".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cs::money {

// Parses "-?digits[.digits][e[+-]digits]" into units of 10^-scale. Fails
// (nullopt, with a reason in *problem) on other syntax, on more fractional
// digits than scale allows (no silent rounding), and on overflow.
std::optional<std::int64_t> parse(std::string_view text, int scale, std::string* problem = nullptr);

// units -> "123.45" with exactly `scale` fractional digits.
std::string format(std::int64_t units, int scale);

}  // namespace cs::money
