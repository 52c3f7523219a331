#include "model/money.hpp"

#include <limits>
#include <utility>

namespace cs::money {

namespace {
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

std::optional<std::int64_t> fail(std::string* problem, std::string why) {
  if (problem) *problem = std::move(why);
  return std::nullopt;
}
}  // namespace

std::optional<std::int64_t> parse(std::string_view s, int scale, std::string* problem) {
  std::size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) negative = s[i++] == '-';
  // Collect the significant digits and where the decimal point sits; the
  // exponent only moves the point, so "1.5e1" and "15" are the same amount.
  std::string digits;
  int point = -1;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if (c == '.' && point < 0) {
      point = static_cast<int>(digits.size());
    } else {
      break;
    }
    if (digits.size() > 40) return fail(problem, "has too many digits");
  }
  if (digits.empty()) return fail(problem, "is not a decimal number");
  if (point < 0) point = static_cast<int>(digits.size());
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) exp_negative = s[i++] == '-';
    int exp = 0, n = 0;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++n)
      if (exp < 1000) exp = exp * 10 + (s[i] - '0');
    if (n == 0) return fail(problem, "is not a decimal number");
    point += exp_negative ? -exp : exp;
  }
  if (i != s.size()) return fail(problem, "is not a decimal number");

  // value = digits * 10^(point - len); units = value * 10^scale.
  const int shift = point - static_cast<int>(digits.size()) + scale;
  std::int64_t units = 0;
  const int keep = static_cast<int>(digits.size()) + (shift < 0 ? shift : 0);
  for (int k = 0; k < static_cast<int>(digits.size()); ++k) {
    int d = digits[static_cast<std::size_t>(k)] - '0';
    if (k >= keep) {
      if (d != 0) return fail(problem, "has more than " + std::to_string(scale) + " decimal places");
      continue;
    }
    if (units > (kMax - d) / 10) return fail(problem, "is too large");
    units = units * 10 + d;
  }
  for (int k = 0; k < shift; ++k) {
    if (units > kMax / 10) return fail(problem, "is too large");
    units *= 10;
  }
  return negative ? -units : units;
}

std::string format(std::int64_t units, int scale) {
  bool negative = units < 0;
  std::uint64_t u = negative ? 0 - static_cast<std::uint64_t>(units) : static_cast<std::uint64_t>(units);
  std::uint64_t p = 1;
  for (int k = 0; k < scale; ++k) p *= 10;
  std::string out = (negative ? "-" : "") + std::to_string(u / p);
  if (scale > 0) {
    std::string frac = std::to_string(u % p);
    out += '.';
    out.append(static_cast<std::size_t>(scale) - frac.size(), '0');
    out += frac;
  }
  return out;
}

}  // namespace cs::money
