// search.query, cache.*, health, metrics: store-wide services
// (src/model/search.cpp, cache.cpp, health.cpp).
#include "model/repos.hpp"
#include "ops.hpp"

namespace cs::ops {

namespace m = cs::model;

json search_query(Session& s, const json& a) { return m::search::query(s.db(), a); }

json cache_get(Session& s, const json& a) { return m::cache::get(s.db(), a); }
json cache_set(Session& s, const json& a) { return m::cache::set(s.db(), a); }
json cache_invalidate(Session& s, const json& a) { return m::cache::invalidate(s.db(), a); }
json cache_purge(Session& s, const json& a) { return m::cache::purge(s.db(), a); }

// Answers without an open database too ({ok:false, open:false}).
json health(Session& s, const json&) { return m::health::check(s.is_open() ? &s.db() : nullptr); }
json metrics(Session& s, const json&) { return m::health::metrics(s.db()); }

}  // namespace cs::ops
