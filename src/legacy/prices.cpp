// Prices and budgets as the app stored them -> integer cents. The app kept
// whatever the form gave it: 29.99, "29.99", "$1,299.00", "€19,99", " 5 ",
// "1e3", "free". Numbers are read through their shortest decimal text (what
// JSON.stringify wrote), so 29.99 is 2999 cents and never 2998.999... More
// than two decimals round half away from zero. The raw value stays in the
// row's original JSON; this only fills the INTEGER column.
#include "internal.hpp"

#include "db/cold_code.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>

CS_COLD_CODE_BEGIN

namespace cs::legacy {

namespace {

constexpr std::int64_t kMaxCents = 900'000'000'000'000;  // far beyond any price, safely inside int64 and JS

// "digits[.digits][e[+-]digits]" -> cents, rounded half away from zero.
std::optional<std::int64_t> decimal_to_cents(std::string_view t) {
  std::string digits;
  std::size_t i = 0;
  int int_len = 0;
  bool any = false;
  while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) { digits += t[i++]; ++int_len; any = true; }
  if (i < t.size() && t[i] == '.') {
    ++i;
    while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) { digits += t[i++]; any = true; }
  }
  if (!any) return std::nullopt;
  long exp = 0;
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    int sign = 1;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) sign = t[i++] == '-' ? -1 : 1;
    if (i >= t.size()) return std::nullopt;
    while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) {
      exp = exp * 10 + (t[i++] - '0');
      if (exp > 100) return std::nullopt;
    }
    exp *= sign;
  }
  if (i != t.size()) return std::nullopt;
  // The decimal point sits after `point` digits; cents end two further.
  const long point = int_len + exp;
  const long end = point + 2;
  std::int64_t cents = 0;
  for (long k = 0; k < end; ++k) {
    const int d = k < static_cast<long>(digits.size()) ? digits[static_cast<std::size_t>(k)] - '0' : 0;
    if (k < 0) continue;
    cents = cents * 10 + d;
    if (cents > kMaxCents) return std::nullopt;
  }
  if (end >= 0 && end < static_cast<long>(digits.size()) && digits[static_cast<std::size_t>(end)] >= '5') ++cents;
  return cents;
}

struct Symbol {
  const char* text;
  const char* code;
};
constexpr Symbol kSymbols[] = {{"US$", "USD"}, {"$", "USD"}, {"\xE2\x82\xAC", "EUR"}, {"\xC2\xA3", "GBP"},
                               {"\xC2\xA5", "JPY"}, {"\xE2\x82\xB9", "INR"}, {"\xE2\x82\xA9", "KRW"}};

bool starts_with(std::string_view s, std::string_view p) { return s.size() >= p.size() && s.compare(0, p.size(), p) == 0; }
bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.compare(s.size() - p.size(), p.size(), p) == 0;
}

// Removes ASCII spaces and the no-break spaces prices are typeset with.
std::string without_spaces(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == ' ' || s[i] == '\t' || s[i] == '\'') continue;
    if (starts_with(s.substr(i), "\xC2\xA0")) { ++i; continue; }
    if (starts_with(s.substr(i), "\xE2\x80\xAF")) { i += 2; continue; }
    out += s[i];
  }
  return out;
}

std::string take_currency(std::string& s) {
  for (const Symbol& sym : kSymbols) {
    if (starts_with(s, sym.text)) { s.erase(0, std::strlen(sym.text)); return sym.code; }
    if (ends_with(s, sym.text)) { s.erase(s.size() - std::strlen(sym.text)); return sym.code; }
  }
  auto upper3 = [](std::string_view v) {
    return v.size() == 3 && std::isupper(static_cast<unsigned char>(v[0])) && std::isupper(static_cast<unsigned char>(v[1])) &&
           std::isupper(static_cast<unsigned char>(v[2]));
  };
  if (s.size() > 3 && upper3(std::string_view(s).substr(0, 3))) {
    std::string code = s.substr(0, 3);
    s.erase(0, 3);
    return code;
  }
  if (s.size() > 3 && upper3(std::string_view(s).substr(s.size() - 3))) {
    std::string code = s.substr(s.size() - 3);
    s.erase(s.size() - 3);
    return code;
  }
  return "";
}

// Decides which of ',' and '.' is the decimal separator and drops the other.
std::optional<std::string> normalize_separators(std::string s) {
  const std::size_t dot = s.rfind('.'), comma = s.rfind(',');
  auto count = [&](char c) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), c)); };
  auto drop = [&](char c) { s.erase(std::remove(s.begin(), s.end(), c), s.end()); };
  if (dot != std::string::npos && comma != std::string::npos) {
    if (comma > dot) { drop('.'); s[s.rfind(',')] = '.'; }  // 1.299,00
    else drop(',');                                        // 1,299.00
  } else if (comma != std::string::npos) {
    // One comma with other than three digits after it is a decimal comma.
    const std::size_t after = s.size() - comma - 1;
    if (count(',') == 1 && after != 3) s[comma] = '.';
    else drop(',');
  } else if (dot != std::string::npos && count('.') > 1) {
    drop('.');  // 1.299.000
  }
  if (!s.empty() && s.front() == '.') s.insert(s.begin(), '0');
  return s;
}

}  // namespace

Amount parse_amount(const ojson* value) {
  Amount a;
  if (value == nullptr) return a;
  std::string text;
  if (value->is_number()) {
    const double v = value->get<double>();
    if (!std::isfinite(v)) return a;
    text = json_text::js_number(v);
  } else if (value->is_string()) {
    text = without_spaces(value->get_ref<const std::string&>());
    a.currency = take_currency(text);
    text = without_spaces(text);
    if (text.find_first_of("eE") == std::string::npos) {
      auto normalized = normalize_separators(text);
      if (!normalized) return a;
      text = *normalized;
    }
  } else {
    return a;
  }
  bool negative = false;
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    negative = text.front() == '-';
    text.erase(0, 1);
  }
  auto cents = decimal_to_cents(text);
  if (!cents) {
    a.currency.clear();
    return a;
  }
  a.cents = negative ? -*cents : *cents;
  return a;
}

ojson amount_json(std::int64_t cents) {
  if (cents % 100 == 0) return ojson(cents / 100);
  return ojson(static_cast<double>(cents) / 100.0);
}

}  // namespace cs::legacy

CS_COLD_CODE_END
