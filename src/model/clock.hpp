// Wall-clock time and its one text form. Every timestamp the store writes is
// "YYYY-MM-DDTHH:MM:SS.mmmZ": fixed width and UTC, so comparing the text
// compares the instants (expiry checks and sorts run on the column as is).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cs::clock {

// Milliseconds since the Unix epoch (or the fake time, see below).
std::int64_t now_ms();

// Canonical text of an instant. Defined for years 0000..9999.
std::string iso(std::int64_t epoch_ms);
inline std::string now_iso() { return iso(now_ms()); }

// Parses ISO-8601 / RFC 3339: "YYYY-MM-DD", optionally followed by 'T' or ' '
// and "HH:MM[:SS[.fraction]]", optionally followed by "Z" or "+HH:MM" /
// "-HH:MM" / "+HHMM" / "+HH". No zone means UTC. Digits beyond milliseconds
// are truncated. Returns nullopt for anything else or out-of-range fields.
std::optional<std::int64_t> parse_iso(std::string_view text);

// Proleptic Gregorian calendar maths, for every date parser of the core
// (parse_iso here, the legacy import's JavaScript Date forms): days since
// 1970-01-01 of a civil date (m 1..12, d 1..31), and a month's length.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d);
unsigned days_in_month(std::int64_t y, unsigned m);

// Smallest and largest instants iso() can write.
inline constexpr std::int64_t kMinMs = -62'167'219'200'000;  // 0000-01-01T00:00:00.000Z
inline constexpr std::int64_t kMaxMs = 253'402'300'799'999;  // 9999-12-31T23:59:59.999Z

// Tests pin time with this (expiry, TTL, HLC); nullopt returns to the real
// clock. Process-wide: the core is single-threaded.
void set_fake_now(std::optional<std::int64_t> epoch_ms);

}  // namespace cs::clock
