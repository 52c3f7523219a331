// JavaScript's text of a number (ECMA-262 Number::toString), for what must
// read as the app's JavaScript wrote it: JSON.stringify's text and the legacy
// ids it made from numbers.
#include "json/json_text.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace cs::json_text {

namespace {

// Shortest round-trip digits of v > 0: "d1d2...dk" and the exponent e with
// v = 0.d1d2...dk * 10^e. Emscripten's libc++ has no floating to_chars, so
// this tries precisions upward; only non-integral or huge numbers get here.
void shortest_digits(double v, std::string& digits, int& exponent) {
  char buf[40];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*e", precision - 1, v);
    if (std::strtod(buf, nullptr) == v || precision == 17) break;
  }
  // buf: "d.ddde[+-]xx"
  digits.clear();
  const char* p = buf;
  for (; *p != 'e'; ++p)
    if (*p != '.') digits += *p;
  exponent = std::atoi(p + 1) + 1;
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
}

}  // namespace

std::string js_number(double value) {
  if (value == 0) return "0";  // also -0
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value < 0 ? "-Infinity" : "Infinity";
  std::string sign = value < 0 ? "-" : "";
  const double v = std::fabs(value);
  // Integers below 2^53 print as themselves; the common case, no search.
  if (v < 9007199254740992.0 && v == std::floor(v)) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return sign + buf;
  }
  std::string d;
  int n = 0;
  shortest_digits(v, d, n);
  const int k = static_cast<int>(d.size());
  // ECMA-262 Number::toString, steps 6-10.
  if (k <= n && n <= 21) return sign + d + std::string(static_cast<std::size_t>(n - k), '0');
  if (0 < n && n <= 21) return sign + d.substr(0, static_cast<std::size_t>(n)) + "." + d.substr(static_cast<std::size_t>(n));
  if (-6 < n && n <= 0) return sign + "0." + std::string(static_cast<std::size_t>(-n), '0') + d;
  const int e = n - 1;
  std::string out = sign + d.substr(0, 1);
  if (k > 1) out += "." + d.substr(1);
  out += e < 0 ? "e-" : "e+";
  out += std::to_string(e < 0 ? -e : e);
  return out;
}

}  // namespace cs::json_text
