// The local key/value cache: replaces the server's in-memory scraping cache
// and the planned Redis. Values are JSON; an entry may expire. An expired
// entry is never returned, whether or not it has been purged yet; purging
// happens on cache.purge and, amortized, every 64th cache.set.
#include "repos.hpp"
#include "values.hpp"

#include "model/clock.hpp"
#include "json/json_text.hpp"
#include "model/limits.hpp"

namespace cs::model::cache {

namespace {

std::string key_arg(const json& args, const char* field = "key") {
  if (!args.contains(field) || args[field].is_null()) fail_field(field, "is required");
  const json& v = args[field];
  if (!v.is_string()) fail_field(field, std::string("must be a string, got ") + v.type_name());
  const std::string& s = v.get_ref<const std::string&>();
  if (s.empty()) fail_field(field, "must not be empty");
  if (s.size() > limits::kMaxCacheKeyBytes)
    fail_field(field, "is too long: " + std::to_string(s.size()) + " bytes, limit " +
                          std::to_string(limits::kMaxCacheKeyBytes),
               {{"limit", limits::kMaxCacheKeyBytes}});
  return s;
}

std::int64_t purge_expired(Database& db) {
  Statement& q = db.cached("DELETE FROM cache_entries WHERE expires_at IS NOT NULL AND expires_at <= ?1");
  q.bind(1, std::string_view(clock::now_iso()));
  q.run();
  return db.changes();
}

}  // namespace

json get(Database& db, const json& args) {
  only_args(args, {"key"}, "cache.get");
  const std::string key = key_arg(args);
  Statement& q = db.cached(
      "SELECT value, expires_at FROM cache_entries WHERE key = ?1 AND (expires_at IS NULL OR expires_at > ?2)");
  q.bind(1, std::string_view(key));
  q.bind(2, std::string_view(clock::now_iso()));
  if (!q.step()) return {{"hit", false}, {"key", key}};
  json out{{"hit", true},
           {"key", key},
           // Stored by cache.set as JSON text: answered as it is, not rebuilt.
           {"value", json_text::raw(q.column_text_view(0))},
           {"expiresAt", q.column_json(1)}};
  q.reset();
  return out;
}

json set(Database& db, const json& args) {
  only_args(args, {"key", "value", "ttlMs"}, "cache.set");
  const std::string key = key_arg(args);
  if (!args.contains("value")) fail_field("value", "is required (null is a value; leave the entry out to delete it)");
  // Read back with JSON.parse: the value must come back the same.
  if (auto problem = json_text::document_problem(args["value"]))
    fail_field(json_text::join_path("value", problem->path), problem->problem);
  std::string value = json_text::dump(args["value"]);
  if (value.size() > limits::kMaxCacheValueBytes)
    fail_field("value", "is too large: " + std::to_string(value.size()) + " bytes serialized, limit " +
                            std::to_string(limits::kMaxCacheValueBytes),
               {{"limit", limits::kMaxCacheValueBytes}, {"size", value.size()}});
  json expires = nullptr;
  const std::int64_t now = clock::now_ms();
  if (auto ttl = integer_arg(args, "ttlMs", 1, limits::kMaxCacheTtlMs)) expires = clock::iso(now + *ttl);
  Transaction tx(db);
  Statement& q = db.cached(
      "INSERT INTO cache_entries(key, value, expires_at, created_at) VALUES (?1, ?2, ?3, ?4) "
      "ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at, "
      "created_at = excluded.created_at");
  q.bind(1, std::string_view(key));
  q.bind(2, std::string_view(value));
  q.bind_json(3, expires);
  q.bind(4, std::string_view(clock::iso(now)));
  q.run();
  // Expired entries are invisible but take space: sweep now and then.
  static unsigned sets = 0;
  if (++sets % 64 == 0) purge_expired(db);
  tx.commit();
  return {{"key", key}, {"expiresAt", expires}};
}

json invalidate(Database& db, const json& args) {
  only_args(args, {"pattern", "key"}, "cache.invalidate");
  // pattern: a glob as in Redis KEYS ("scrape:*", "product:?", "[ab]*");
  // key: exactly one entry. Neither: everything.
  Transaction tx(db);
  std::int64_t removed = 0;
  if (args.is_object() && args.contains("key") && !args["key"].is_null()) {
    Statement& q = db.cached("DELETE FROM cache_entries WHERE key = ?1");
    q.bind(1, std::string_view(key_arg(args)));
    q.run();
    removed = db.changes();
  } else if (args.is_object() && args.contains("pattern") && !args["pattern"].is_null()) {
    const std::string pattern = key_arg(args, "pattern");
    Statement& q = db.cached("DELETE FROM cache_entries WHERE key GLOB ?1");
    q.bind(1, std::string_view(pattern));
    q.run();
    removed = db.changes();
  } else {
    db.cached("DELETE FROM cache_entries").run();
    removed = db.changes();
  }
  tx.commit();
  return {{"removed", removed}};
}

json purge(Database& db, const json& args) {
  only_args(args, {}, "cache.purge");
  Transaction tx(db);
  std::int64_t removed = purge_expired(db);
  tx.commit();
  return {{"removed", removed}};
}

}  // namespace cs::model::cache
