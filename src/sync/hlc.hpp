// Hybrid logical clock (Kulkarni et al.): a wall-clock millisecond, a counter
// for events within one millisecond, and the node id that made the stamp.
// Stamps are strings "WWWWWWWWWWWWW-CCCCC-NODE" whose plain text order is the
// clock order, so SQLite, Postgres and JS compare them with `<` alike. The
// node id as last component makes stamps of different devices never equal, so
// last-writer-wins picks the same winner everywhere.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cs {

struct HlcStamp {
  std::int64_t wall_ms = 0;
  std::int32_t counter = 0;
  std::string node;

  std::string str() const;
  static std::optional<HlcStamp> parse(std::string_view text);
};

class Hlc {
 public:
  static constexpr std::int32_t kMaxCounter = 99999;  // five digits
  static constexpr std::int64_t kMaxWallMs = 9'999'999'999'999;  // thirteen digits (year 2286)

  explicit Hlc(std::string node, HlcStamp last = {});

  // A stamp for a local event, strictly greater than every stamp this clock
  // issued or observed, even if the wall clock went backwards. Always the
  // fixed width: at the largest stamp the format holds it throws INTERNAL
  // instead of writing a 14-digit one that would sort before it.
  std::string tick(std::int64_t wall_ms);
  // Moves the clock past a remote stamp, so the next local stamp orders after
  // everything this node has seen.
  void observe(const HlcStamp& remote);

  const HlcStamp& last() const { return last_; }
  const std::string& node() const { return last_.node; }

 private:
  HlcStamp last_;
};

std::int64_t wall_clock_ms();

}  // namespace cs
