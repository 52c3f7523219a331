#include "sync/hlc.hpp"

#include "db/error.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace cs {

std::string HlcStamp::str() const {
  char head[32];
  std::snprintf(head, sizeof head, "%013lld-%05d-", static_cast<long long>(wall_ms),
                static_cast<int>(counter));
  return head + node;
}

std::optional<HlcStamp> HlcStamp::parse(std::string_view text) {
  // 13 digits, '-', 5 digits, '-', a non-empty node id.
  if (text.size() < 21 || text[13] != '-' || text[19] != '-') return std::nullopt;
  HlcStamp s;
  for (std::size_t i = 0; i < 13; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    s.wall_ms = s.wall_ms * 10 + (text[i] - '0');
  }
  for (std::size_t i = 14; i < 19; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    s.counter = s.counter * 10 + (text[i] - '0');
  }
  s.node = std::string(text.substr(20));
  return s;
}

Hlc::Hlc(std::string node, HlcStamp last) : last_(std::move(last)) { last_.node = std::move(node); }

std::string Hlc::tick(std::int64_t wall_ms) {
  wall_ms = std::min(wall_ms, kMaxWallMs);
  if (last_.wall_ms >= kMaxWallMs && last_.counter >= kMaxCounter)
    throw Error(Code::Internal, "the clock cannot go past " + last_.str() + " without leaving its fixed width");
  if (wall_ms > last_.wall_ms) {
    last_.wall_ms = wall_ms;
    last_.counter = 0;
  } else if (last_.counter < kMaxCounter) {
    ++last_.counter;
  } else {
    // 100k events in one millisecond: borrow the next millisecond rather
    // than overflow the fixed-width counter and break text ordering.
    ++last_.wall_ms;
    last_.counter = 0;
  }
  return last_.str();
}

void Hlc::observe(const HlcStamp& remote) {
  // Keeping the larger (wall, counter) pair is enough: tick() then issues a
  // stamp above it, using the wall clock when that has moved on. Callers
  // observe only clocks they accepted (bounded: see src/sync/remote_row.cpp).
  if (remote.wall_ms > kMaxWallMs) return;
  if (remote.wall_ms > last_.wall_ms ||
      (remote.wall_ms == last_.wall_ms && remote.counter > last_.counter)) {
    last_.wall_ms = remote.wall_ms;
    last_.counter = remote.counter;
  }
}

std::int64_t wall_clock_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace cs
