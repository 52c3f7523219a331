// health and metrics: what the store says of itself (src/model/health.cpp).
// The other data API ops are the repositories themselves (ops.hpp).
#include "ops.hpp"

namespace cs::ops {

// Answers without an open database too ({ok:false, open:false}).
json health(Session& s, const json&) { return model::health::check(s.is_open() ? &s.db() : nullptr); }
json metrics(Session& s, const json&) { return model::health::metrics(s.db()); }

}  // namespace cs::ops
