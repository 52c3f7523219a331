// Dates in every format the app and its tools wrote (tests/fixtures/dumps/
// dates.json) -> UTC epoch ms, stored as the store's ISO text. The original
// text always stays in the row's original JSON; this only fills the typed
// columns.
//
// Formats that name no zone (ISO without offset, en-US and de-DE
// toLocaleString) were written in the browser's local time, which the main
// thread sends as a table of UTC-offset transitions (TimeZone). Date-only ISO
// text is UTC midnight, as in ECMAScript.
#include "internal.hpp"

#include "db/cold_code.hpp"
#include "model/clock.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>

CS_COLD_CODE_BEGIN

namespace cs::legacy {

int TimeZone::offset_at_utc(std::int64_t utc_ms) const {
  if (transitions.empty()) return 0;
  auto it = std::upper_bound(transitions.begin(), transitions.end(), utc_ms,
                             [](std::int64_t t, const std::pair<std::int64_t, int>& e) { return t < e.first; });
  if (it == transitions.begin()) return transitions.front().second;
  return std::prev(it)->second;
}

std::int64_t TimeZone::local_to_utc(std::int64_t local_ms) const {
  // Guess with the offset at the local reading, then correct once: right
  // everywhere but inside the hour a DST change skips or repeats.
  const std::int64_t guess = local_ms - std::int64_t{offset_at_utc(local_ms)} * 60000;
  return local_ms - std::int64_t{offset_at_utc(guess)} * 60000;
}

namespace {

using clock::days_from_civil;

struct Civil {
  std::int64_t y = 0;
  int mo = 0, d = 0, h = 0, mi = 0, s = 0, ms = 0;
  bool valid() const {
    return mo >= 1 && mo <= 12 && d >= 1 && static_cast<unsigned>(d) <= clock::days_in_month(y, static_cast<unsigned>(mo)) && h >= 0 && h <= 23 && mi >= 0 && mi <= 59 &&
           s >= 0 && s <= 59;
  }
  std::int64_t as_utc() const {
    return ((days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 24 + h) * 60 + mi) * 60000 +
           std::int64_t{s} * 1000 + ms;
  }
};

// A tiny cursor over the text.
struct Cursor {
  std::string_view t;
  std::size_t i = 0;
  bool end() const { return i >= t.size(); }
  bool eat(char c) {
    if (i < t.size() && t[i] == c) { ++i; return true; }
    return false;
  }
  void spaces() { while (i < t.size() && t[i] == ' ') ++i; }
  // 1..max digits; exact when min == max.
  bool num(int min, int max, int& out) {
    std::size_t k = 0;
    int v = 0;
    while (i + k < t.size() && k < static_cast<std::size_t>(max) && std::isdigit(static_cast<unsigned char>(t[i + k]))) {
      v = v * 10 + (t[i + k] - '0');
      ++k;
    }
    if (k < static_cast<std::size_t>(min)) return false;
    i += k;
    out = v;
    return true;
  }
};

std::optional<std::int64_t> checked(std::int64_t ms) {
  if (ms < clock::kMinMs || ms > clock::kMaxMs) return std::nullopt;
  return ms;
}

std::optional<std::int64_t> from_epoch_number(double v) {
  if (!std::isfinite(v)) return std::nullopt;
  // Below 1e11 it is seconds: 1e11 ms is March 1973, 1e11 s the year 5138.
  const double ms = std::fabs(v) < 1e11 ? v * 1000 : v;
  if (std::fabs(ms) > 9e15) return std::nullopt;
  return checked(std::llround(ms));
}

// Optional ":SS" and ".fraction" after HH:MM.
bool seconds_and_fraction(Cursor& c, Civil& cv) {
  if (c.eat(':') && !c.num(2, 2, cv.s)) return false;
  if (c.eat('.') || c.eat(',')) {
    std::size_t k = 0;
    int ms = 0;
    while (!c.end() && std::isdigit(static_cast<unsigned char>(c.t[c.i]))) {
      if (k < 3) ms = ms * 10 + (c.t[c.i] - '0');
      ++k;
      ++c.i;
    }
    if (k == 0) return false;
    while (k < 3) { ms *= 10; ++k; }
    cv.ms = ms;
  }
  return true;
}

// "+01:00", "+0100", "+01", "Z" -> minutes east of UTC.
bool zone(Cursor& c, std::optional<int>& minutes) {
  if (c.eat('Z') || c.eat('z')) { minutes = 0; return true; }
  if (c.end() || (c.t[c.i] != '+' && c.t[c.i] != '-')) return true;  // no zone
  const int sign = c.t[c.i++] == '-' ? -1 : 1;
  int hh = 0, mm = 0;
  if (!c.num(2, 2, hh)) return false;
  if (c.eat(':')) {
    if (!c.num(2, 2, mm)) return false;
  } else {
    c.num(2, 2, mm);
  }
  if (hh > 23 || mm > 59) return false;
  minutes = sign * (hh * 60 + mm);
  return true;
}

std::optional<std::int64_t> finish(const Civil& cv, std::optional<int> zone_minutes, bool local, const TimeZone& tz) {
  if (!cv.valid()) return std::nullopt;
  const std::int64_t wall = cv.as_utc();
  if (zone_minutes) return checked(wall - std::int64_t{*zone_minutes} * 60000);
  return checked(local ? tz.local_to_utc(wall) : wall);
}

// 2025-11-24, 2025-11-24T15:04[:05[.123]][Z|+01:00], also with a space.
std::optional<std::int64_t> iso(std::string_view t, const TimeZone& tz) {
  Cursor c{t};
  Civil cv;
  int y = 0;
  if (!c.num(4, 4, y) || !c.eat('-') || !c.num(2, 2, cv.mo) || !c.eat('-') || !c.num(2, 2, cv.d)) return std::nullopt;
  cv.y = y;
  if (c.end()) return finish(cv, 0, false, tz);  // date-only: UTC midnight (ECMAScript)
  if (!c.eat('T') && !c.eat('t') && !c.eat(' ')) return std::nullopt;
  if (!c.num(2, 2, cv.h) || !c.eat(':') || !c.num(2, 2, cv.mi) || !seconds_and_fraction(c, cv)) return std::nullopt;
  std::optional<int> z;
  if (!zone(c, z) || !c.end()) return std::nullopt;
  return finish(cv, z, true, tz);
}

// h:mm[:ss] [AM|PM] after a locale date.
bool locale_time(Cursor& c, Civil& cv, bool twelve_hour_allowed) {
  c.spaces();
  if (c.end()) return true;  // date only: local midnight
  if (!c.num(1, 2, cv.h) || !c.eat(':') || !c.num(2, 2, cv.mi)) return false;
  if (c.eat(':') && !c.num(2, 2, cv.s)) return false;
  c.spaces();
  if (!c.end() && twelve_hour_allowed) {
    std::string ampm;
    while (!c.end() && std::isalpha(static_cast<unsigned char>(c.t[c.i]))) ampm += static_cast<char>(std::toupper(c.t[c.i++]));
    if (ampm != "AM" && ampm != "PM") return false;
    if (cv.h < 1 || cv.h > 12) return false;
    cv.h = cv.h % 12 + (ampm == "PM" ? 12 : 0);
  }
  return c.end();
}

// en-US "11/24/2025, 3:04:05 PM" and de-DE "24.11.2025, 15:04:05": local time.
std::optional<std::int64_t> locale(std::string_view t, const TimeZone& tz) {
  Cursor c{t};
  Civil cv;
  int a = 0, b = 0, y = 0;
  if (!c.num(1, 2, a)) return std::nullopt;
  char sep = c.end() ? '\0' : t[c.i];
  if (sep != '/' && sep != '.') return std::nullopt;
  ++c.i;
  if (!c.num(1, 2, b) || !c.eat(sep) || !c.num(4, 4, y)) return std::nullopt;
  cv.y = y;
  if (sep == '/') { cv.mo = a; cv.d = b; } else { cv.d = a; cv.mo = b; }
  c.eat(',');
  if (!locale_time(c, cv, sep == '/')) return std::nullopt;
  return finish(cv, std::nullopt, true, tz);
}

int month_of(std::string_view name) {
  static const char* names[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  if (name.size() < 3) return 0;
  for (int m = 0; m < 12; ++m) {
    bool same = true;
    for (int k = 0; k < 3; ++k) same = same && std::tolower(static_cast<unsigned char>(name[k])) == names[m][k];
    if (same) return m + 1;
  }
  return 0;
}

std::string_view word(Cursor& c) {
  const std::size_t s = c.i;
  while (!c.end() && std::isalpha(static_cast<unsigned char>(c.t[c.i]))) ++c.i;
  return c.t.substr(s, c.i - s);
}

// Date.prototype.toString "Mon Nov 24 2025 15:04:05 GMT+0100 (…)" and
// toUTCString "Mon, 24 Nov 2025 14:04:05 GMT": the offset is in the text.
std::optional<std::int64_t> date_string(std::string_view t, const TimeZone& tz) {
  Cursor c{t};
  word(c);  // weekday
  c.eat(',');
  c.spaces();
  Civil cv;
  int y = 0;
  if (!c.end() && std::isdigit(static_cast<unsigned char>(t[c.i]))) {  // "24 Nov 2025"
    if (!c.num(1, 2, cv.d)) return std::nullopt;
    c.spaces();
    cv.mo = month_of(word(c));
  } else {  // "Nov 24 2025"
    cv.mo = month_of(word(c));
    c.spaces();
    if (!c.num(1, 2, cv.d)) return std::nullopt;
  }
  c.spaces();
  if (cv.mo == 0 || !c.num(4, 4, y)) return std::nullopt;
  cv.y = y;
  c.spaces();
  if (!c.num(2, 2, cv.h) || !c.eat(':') || !c.num(2, 2, cv.mi) || !c.eat(':') || !c.num(2, 2, cv.s)) return std::nullopt;
  c.spaces();
  std::string_view z = word(c);
  if (z != "GMT" && z != "UTC" && z != "Z") return std::nullopt;
  std::optional<int> minutes = 0;
  if (!c.end() && (t[c.i] == '+' || t[c.i] == '-')) {
    minutes.reset();
    if (!zone(c, minutes) || !minutes) return std::nullopt;
  }
  return finish(cv, minutes, false, tz);
}

}  // namespace

std::optional<std::int64_t> parse_date(const ojson* value, const TimeZone& tz) {
  if (value == nullptr) return std::nullopt;
  if (value->is_number()) return from_epoch_number(value->get<double>());
  if (!value->is_string()) return std::nullopt;
  std::string_view t = value->get_ref<const std::string&>();
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front()))) t.remove_prefix(1);
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.remove_suffix(1);
  if (t.empty()) return std::nullopt;
  // Epoch ms (or s) written as text: only long digit runs, so "2025" stays a year.
  std::size_t digits = t.front() == '-' ? 1 : 0;
  while (digits < t.size() && std::isdigit(static_cast<unsigned char>(t[digits]))) ++digits;
  if (digits == t.size() && t.size() >= 9 && t.size() <= 16) return from_epoch_number(std::strtod(std::string(t).c_str(), nullptr));
  if (auto ms = iso(t, tz)) return ms;
  if (auto ms = locale(t, tz)) return ms;
  if (auto ms = date_string(t, tz)) return ms;
  return std::nullopt;
}

std::optional<std::string> iso_date(const ojson* value, const TimeZone& tz) {
  auto ms = parse_date(value, tz);
  if (!ms) return std::nullopt;
  return clock::iso(*ms);
}

}  // namespace cs::legacy

CS_COLD_CODE_END
