// search.query, cache.*, health, metrics, and what holds for every data op:
// the op table lists them, batches are atomic, every class of bad input has
// its code and field, change notifications name the user tables.
#include "model/schema.hpp"
#include "data_api_support.hpp"

#include "model/clock.hpp"

#include <random>
#include <set>

using cs::json;
using test_api::Api;

TEST_CASE("search ranks products and campaigns, tolerates any input") {
  Api api;
  json u = api.ok("users.create", {{"name", "U"}});
  json shoe = api.ok("products.create", {{"name", "Trail Running Shoe"}, {"brand", "Acme"}, {"userId", u["id"]},
                                         {"description", "light and fast"}});
  json sock = api.ok("products.create", {{"name", "Wool Sock"}, {"brand", "Acme"},
                                         {"description", "for running in the cold"}});
  json cafe = api.ok("products.create", {{"name", "Café Crème"}, {"brand", "Bistro"}});
  json camp = api.ok("campaigns.create", {{"name", "Running season sale"}, {"userId", u["id"]}});

  json r = api.ok("search.query", {{"q", "running"}});
  std::vector<std::string> ids;
  for (const auto& it : r["items"]) ids.push_back(it["id"]);
  REQUIRE(ids.size() == 3);
  CHECK(r["items"][0]["kind"] != nullptr);
  // A name match outranks a description match.
  auto pos = [&](const json& id) { return std::find(ids.begin(), ids.end(), id.get<std::string>()) - ids.begin(); };
  CHECK(pos(shoe["id"]) < pos(sock["id"]));
  CHECK(r["items"][pos(camp["id"])]["kind"] == "campaign");
  CHECK(r["items"][pos(shoe["id"])]["brand"] == "Acme");
  CHECK(r["items"][0]["score"].get<double>() >= r["items"][2]["score"].get<double>());

  CHECK(api.ok("search.query", {{"q", "runn"}})["items"].size() == 3);  // prefix of the last word
  CHECK(api.ok("search.query", {{"q", "acme sock"}})["items"].size() == 1);
  CHECK(api.ok("search.query", {{"q", "cafe creme"}})["items"][0]["id"] == cafe["id"]);  // diacritics folded
  CHECK(api.ok("search.query", {{"q", "running"}, {"kinds", {"campaign"}}})["items"].size() == 1);
  CHECK(api.ok("search.query", {{"q", "running"}, {"userId", u["id"]}})["items"].size() == 2);
  CHECK(api.ok("search.query", {{"q", "running"}, {"limit", 1}})["items"].size() == 1);
  // FTS syntax in the input is just text.
  for (const char* q : {"\"running", "running OR", "NEAR(running", "run* -shoe", "a:b", "((shoe", "💥 running"})
    CHECK(api.ok("search.query", {{"q", q}})["items"].is_array());

  // The index follows updates and deletes.
  api.ok("products.update", {{"id", shoe["id"]}, {"name", "Trail Shoe"}, {"description", "grippy"}});
  CHECK(api.ok("search.query", {{"q", "running"}, {"kinds", {"product"}}})["items"].size() == 1);
  api.ok("campaigns.delete", {{"id", camp["id"]}});
  CHECK(api.ok("search.query", {{"q", "running"}, {"kinds", {"campaign"}}})["items"].empty());
  CHECK(api.ok("search.query", {{"q", "grippy"}})["items"].size() == 1);

  CHECK(api.code("search.query", json::object(), "q") == "INVALID_ARGUMENT");
  CHECK(api.code("search.query", {{"q", "!!!"}}, "q") == "INVALID_ARGUMENT");
  CHECK(api.code("search.query", {{"q", std::string(257, 'a')}}, "q") == "INVALID_ARGUMENT");
  CHECK(api.code("search.query", {{"q", "x"}, {"kinds", {"user"}}}, "kinds") == "INVALID_ARGUMENT");
  CHECK(api.code("search.query", {{"q", "x"}, {"limit", 101}}, "limit") == "INVALID_ARGUMENT");
  // FTS shadow tables never show up as changes.
  api.ok("products.create", {{"name", "Hat"}});
  for (const auto& t : api.last["changes"]) CHECK(t.get<std::string>().rfind("fts_", 0) != 0);
}

TEST_CASE("deferred full-text indexing: every commit leaves the index complete and exact") {
  Api api;
  auto count = [&](const std::string& sql) {
    return api.ok("sql.query", {{"sql", sql}})["rows"][0]["n"].get<std::int64_t>();
  };
  auto queued = [&] {  // read directly: sql.query over fts_* would catch up first
    cs::Statement q(api.d.session().db(),
                    "SELECT (SELECT count(*) FROM fts_products_pending) + (SELECT count(*) FROM fts_campaigns_pending)");
    REQUIRE(q.step());
    return q.column_int(0);
  };
  auto hits = [&](const char* q) { return api.ok("search.query", {{"q", q}})["items"].size(); };

  // A batch that creates, renames and deletes before its one commit.
  json r = api.ok("batch", {{"ops",
                             {{{"op", "products.create"}, {"args", {{"name", "Alpha Boot"}, {"id", "8f0e5a52-0000-4000-8000-000000000001"}}}},
                              {{"op", "products.create"}, {"args", {{"name", "Beta Boot"}, {"id", "8f0e5a52-0000-4000-8000-000000000002"}}}},
                              {{"op", "products.update"}, {"args", {{"id", "8f0e5a52-0000-4000-8000-000000000001"}, {"name", "Gamma Boot"}}}},
                              {{"op", "products.delete"}, {"args", {{"id", "8f0e5a52-0000-4000-8000-000000000002"}}}},
                              {{"op", "campaigns.create"}, {"args", {{"name", "Boot season"}}}}}}});
  CHECK(queued() == 0);  // the commit indexed the queue
  CHECK(hits("alpha") == 0);
  CHECK(hits("beta") == 0);
  CHECK(hits("gamma") == 1);
  CHECK(hits("boot") == 2);  // Gamma Boot and the campaign

  // Raw SQL writing outside a transaction leaves rows queued; readers of
  // the index catch up first.
  api.ok("sql.exec", {{"sql", "INSERT INTO products(id, name) VALUES ('raw-1', 'Delta Boot')"}});
  CHECK(queued() == 1);
  CHECK(count("SELECT count(*) AS n FROM fts_products WHERE fts_products MATCH 'delta'") == 1);
  CHECK(queued() == 0);
  api.ok("sql.exec", {{"sql", "INSERT INTO products(id, name) VALUES ('raw-2', 'Epsilon Boot')"}});
  CHECK(hits("epsilon") == 1);
  // A raw read through a view of the index catches up as well.
  api.ok("sql.exec", {{"sql", "CREATE VIEW boot_hits AS SELECT rowid FROM fts_products WHERE fts_products MATCH 'zeta'"}});
  api.ok("sql.exec", {{"sql", "INSERT INTO products(id, name) VALUES ('raw-3', 'Zeta Boot')"}});
  CHECK(queued() == 1);
  CHECK(count("SELECT count(*) AS n FROM boot_hits") == 1);

  // A random mix of writes through the API and raw SQL, committed in between
  // or not: after catching up, FTS5's own check against the product and
  // campaign tables passes, and every name is found exactly once.
  std::mt19937 rng(11);
  auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  std::vector<std::string> ids;
  for (int step = 0; step < 300; ++step) {
    const std::string name = "item" + std::to_string(step) + " word" + std::to_string(pick(5));
    switch (pick(5)) {
      case 0:
      case 1: ids.push_back(api.ok("products.create", {{"name", name}})["id"]); break;
      case 2:
        if (!ids.empty()) api.ok("products.update", {{"id", ids[pick(static_cast<int>(ids.size()))]}, {"name", name}});
        break;
      case 3:
        if (!ids.empty()) {
          const auto at = static_cast<std::size_t>(pick(static_cast<int>(ids.size())));
          api.ok("sql.exec", {{"sql", "DELETE FROM products WHERE id = ?"}, {"params", {ids[at]}}});
          ids.erase(ids.begin() + static_cast<std::ptrdiff_t>(at));
        }
        break;
      default:
        if (!ids.empty())
          api.ok("sql.exec", {{"sql", "UPDATE products SET name = ? WHERE id = ?"},
                              {"params", {name, ids[pick(static_cast<int>(ids.size()))]}}});
    }
  }
  REQUIRE(hits("zzz") == 0);  // catches up
  CHECK(queued() == 0);
  api.ok("sql.exec", {{"sql", "INSERT INTO fts_products(fts_products, rank) VALUES ('integrity-check', 1)"}});
  api.ok("sql.exec", {{"sql", "INSERT INTO fts_campaigns(fts_campaigns, rank) VALUES ('integrity-check', 1)"}});
  CHECK(count("SELECT count(*) AS n FROM fts_products WHERE fts_products MATCH 'item*'") ==
        count("SELECT count(*) AS n FROM products WHERE name LIKE 'item%'"));
}

TEST_CASE("cache: TTL, expired entries never returned, invalidation by pattern") {
  Api api;
  const std::int64_t t0 = 1'714'564'800'000;
  cs::clock::set_fake_now(t0);
  json s = api.ok("cache.set", {{"key", "scrape:https://shop/a"}, {"value", {{"title", "A"}}}, {"ttlMs", 60000}});
  CHECK(s["expiresAt"] == "2024-05-01T12:01:00.000Z");
  CHECK(api.changed() == json::array({"cache_entries"}));
  api.ok("cache.set", {{"key", "scrape:https://shop/b"}, {"value", nullptr}});
  api.ok("cache.set", {{"key", "product:1"}, {"value", json::array({1, 2})}});
  json hit = api.ok("cache.get", {{"key", "scrape:https://shop/a"}});
  CHECK(hit["hit"] == true);
  CHECK(hit["value"] == json{{"title", "A"}});
  json null_hit = api.ok("cache.get", {{"key", "scrape:https://shop/b"}});
  CHECK(null_hit["hit"] == true);  // null is a value
  CHECK(null_hit["value"].is_null());
  CHECK(null_hit["expiresAt"].is_null());

  cs::clock::set_fake_now(t0 + 60000);  // exactly at expiry: gone
  CHECK(api.ok("cache.get", {{"key", "scrape:https://shop/a"}})["hit"] == false);
  CHECK(api.count("cache_entries") == 3);  // still stored, never returned
  CHECK(api.ok("cache.purge")["removed"] == 1);
  // Overwriting resets value and expiry.
  api.ok("cache.set", {{"key", "product:1"}, {"value", "v2"}, {"ttlMs", 10}});
  CHECK(api.ok("cache.get", {{"key", "product:1"}})["value"] == "v2");
  cs::clock::set_fake_now(std::nullopt);

  api.ok("cache.set", {{"key", "scrape:x"}, {"value", 1}});
  CHECK(api.ok("cache.invalidate", {{"pattern", "scrape:*"}})["removed"] == 2);
  CHECK(api.ok("cache.invalidate", {{"key", "product:1"}})["removed"] == 1);
  api.ok("cache.set", {{"key", "k"}, {"value", 1}});
  CHECK(api.ok("cache.invalidate")["removed"] == 1);

  api.rejects("cache.set", {{"key", ""}, {"value", 1}}, "INVALID_ARGUMENT", "key");
  api.rejects("cache.set", {{"key", std::string(513, 'k')}, {"value", 1}}, "INVALID_ARGUMENT", "key");
  api.rejects("cache.set", {{"key", "k"}}, "INVALID_ARGUMENT", "value");
  api.rejects("cache.set", {{"key", "k"}, {"value", std::string(1 << 20, 'v')}}, "INVALID_ARGUMENT", "value");
  api.rejects("cache.set", {{"key", "k"}, {"value", 1}, {"ttlMs", 0}}, "INVALID_ARGUMENT", "ttlMs");
  api.rejects("cache.set", {{"key", "k"}, {"value", 1}, {"ttl", 5}}, "INVALID_ARGUMENT", "ttl");
  CHECK(api.code("cache.get", {{"key", 5}}, "key") == "INVALID_ARGUMENT");
}

TEST_CASE("health and metrics") {
  cs::Dispatcher closed;
  json h = json::parse(closed.call("health", "{}"));
  REQUIRE(h["ok"] == true);
  CHECK(h["result"] == json{{"ok", false}, {"open", false}});

  Api api;
  json health = api.ok("health");
  CHECK(health["ok"] == true);
  CHECK(health["quickCheck"] == "ok");
  CHECK(health["foreignKeyViolations"] == 0);
  CHECK(health["schemaVersion"] == cs::schema::current_version());

  api.ok("products.create", {{"name", "P"}, {"images", {{{"url", "a"}}, {{"url", "b"}}}}});
  api.ok("cache.set", {{"key", "k"}, {"value", 1}});
  json m = api.ok("metrics");
  CHECK(m["tables"]["products"] == 1);
  CHECK(m["tables"]["product_images"] == 2);
  CHECK(m["tables"]["campaigns"] == 0);
  CHECK(m["tables"]["cache_entries"] == 1);
  CHECK(m["tables"].size() == 12);
  CHECK(m["pageSize"] == 4096);
  CHECK(m["bytes"] == m["pageSize"].get<std::int64_t>() * m["pageCount"].get<std::int64_t>());
  CHECK(m["freelistCount"].is_number_integer());

  // An orphan (as a sync page can leave until the parent arrives) is reported.
  api.ok("sql.exec", {{"sql", "PRAGMA foreign_keys = OFF"}});
  api.ok("sql.exec", {{"sql", "INSERT INTO product_images(id, product_id, url) VALUES ('o', 'ghost', 'u')"}});
  api.ok("sql.exec", {{"sql", "PRAGMA foreign_keys = ON"}});
  CHECK(api.ok("health")["foreignKeyViolations"] == 1);
}

TEST_CASE("batches of data ops are atomic") {
  Api api;
  json ok = api.ok("batch", {{"ops", {{{"op", "products.create"}, {"args", {{"name", "A"}, {"images", {{{"url", "1"}}}}}}},
                                      {{"op", "products.create"}, {"args", {{"name", "B"}}}},
                                      {{"op", "products.list"}, {"args", json::object()}}}}});
  CHECK(ok[2]["items"].size() == 2);
  std::string before = api.snapshot();
  json e = api.err("batch", {{"ops", {{{"op", "products.create"}, {"args", {{"name", "C"}}}},
                                      {{"op", "campaigns.create"}, {"args", {{"name", "D"}, {"productId", "ghost"}}}}}}});
  CHECK(e["code"] == "CONSTRAINT");
  CHECK(e["details"]["index"] == 1);
  CHECK(e["details"]["field"] == "productId");
  CHECK(api.snapshot() == before);
  CHECK(api.count("products") == 2);
}

TEST_CASE("every data op is in the op table with its argument shape") {
  Api api;
  json ops = api.ok("ops");
  std::set<std::string> names;
  for (const auto& op : ops) names.insert(op["op"]);
  for (const char* op :
       {"products.create", "products.get", "products.list", "products.update", "products.delete", "images.add",
        "images.list", "images.update", "images.setPrimary", "images.delete", "backgrounds.add", "backgrounds.activate",
        "backgrounds.list", "backgrounds.delete", "campaigns.create", "campaigns.get", "campaigns.list",
        "campaigns.update", "campaigns.delete", "campaigns.setStatus", "drafts.save", "drafts.get", "drafts.delete",
        "drafts.cleanup", "creatives.create", "creatives.get", "creatives.list", "creatives.update",
        "creatives.delete", "assets.create", "assets.get", "assets.list", "assets.update", "assets.delete",
        "users.create", "users.get", "users.update", "users.delete", "integrations.create", "integrations.get",
        "integrations.list", "integrations.update", "integrations.delete", "publications.create",
        "publications.get", "publications.list", "publications.update", "publications.delete", "ai.create",
        "ai.get", "ai.list", "ai.update", "ai.delete", "search.query", "cache.get", "cache.set",
        "cache.invalidate", "cache.purge", "health", "metrics"})
    CHECK(names.count(op) == 1);
  CHECK(api.code("products.frobnicate", json::object()) == "NOT_FOUND");
}

TEST_CASE("every class of bad input: its code, its field, nothing written") {
  Api api;
  json p = api.ok("products.create", {{"name", "P"}});
  json u = api.ok("users.create", {{"email", "a@b.co"}});
  CHECK(api.code("products.nope", json::object()) == "NOT_FOUND");                                    // unknown op
  api.rejects("campaigns.create", {{"type", "x"}}, "INVALID_ARGUMENT", "name");                        // missing
  api.rejects("campaigns.create", {{"name", true}}, "INVALID_ARGUMENT", "name");                       // wrong type
  api.rejects("campaigns.create", {{"name", "x"}, {"audienceConfig", "{age:"}}, "INVALID_ARGUMENT", "audienceConfig");  // bad JSON
  api.rejects("campaigns.create", {{"name", "x"}, {"productId", "ghost"}}, "CONSTRAINT", "productId");  // FK to nothing
  api.rejects("users.create", {{"email", "A@B.CO"}}, "CONFLICT", "email");                              // duplicate unique
  api.rejects("products.create", {{"id", p["id"]}, {"name", "dup"}}, "CONFLICT", "id");                 // duplicate id
  api.rejects("campaigns.create", {{"name", std::string(300, 'x')}}, "INVALID_ARGUMENT", "name");      // oversized
  json big = api.err("campaigns.create", {{"name", "x"}, {"legacyData", {{"blob", std::string(1 << 20, 'b')}}}});
  CHECK(big["details"]["field"] == "legacyData");
  CHECK(big["details"]["limit"] == 1 << 20);
  // Not JSON at all, or not an object.
  json raw = json::parse(api.d.call("products.create", "{\"name\":"));
  CHECK(raw["error"]["code"] == "INVALID_ARGUMENT");
  CHECK(api.code("products.create", json("name")) == "INVALID_ARGUMENT");
  CHECK(api.code("products.list", json::array()) == "INVALID_ARGUMENT");
  // Still healthy afterwards.
  CHECK(api.ok("health")["ok"] == true);
  (void)u;
}

TEST_CASE("arguments that are not columns: unknown names, non-objects, whole numbers out of range") {
  Api api;
  json p = api.ok("products.create", {{"name", "P"}});
  json image = api.ok("images.add", {{"productId", p["id"]}, {"url", "https://x.test/a.png"}});
  json c = api.ok("campaigns.create", {{"name", "C"}});
  json cr = api.ok("creatives.create", {{"campaignId", c["id"]}, {"name", "K"}});
  // Each op names the member it does not take; a non-object is refused as a whole.
  api.rejects("campaigns.setStatus", {{"id", c["id"]}, {"status", "active"}, {"when", 1}}, "INVALID_ARGUMENT", "when");
  api.rejects("images.setPrimary", {{"imageId", image["id"]}, {"primary", true}}, "INVALID_ARGUMENT", "primary");
  api.rejects("search.query", {{"q", "P"}, {"kind", "product"}}, "INVALID_ARGUMENT", "kind");
  for (const char* op : {"campaigns.setStatus", "images.setPrimary", "search.query"}) {
    api.rejects(op, json::array(), "INVALID_ARGUMENT", "args");
    api.rejects(op, json(nullptr), "INVALID_ARGUMENT", "args");
  }
  // Whole numbers: below, above, fractional, text; null is the default.
  for (const json& bad : {json(0), json(501), json(1.5), json("10")})
    api.rejects("products.list", {{"limit", bad}}, "INVALID_ARGUMENT", "limit");
  CHECK(api.ok("products.list", {{"limit", nullptr}})["items"].size() == 1);
  CHECK(api.ok("products.list", {{"limit", 500}})["items"].size() == 1);
  for (const json& bad : {json(0), json(101), json(-3)})
    api.rejects("search.query", {{"q", "P"}, {"limit", bad}}, "INVALID_ARGUMENT", "limit");
  CHECK(api.ok("search.query", {{"q", "P"}, {"limit", 100}})["items"].size() == 1);
  for (const json& bad : {json(0), json(31536000001), json(true)})
    api.rejects("cache.set", {{"key", "k"}, {"value", 1}, {"ttlMs", bad}}, "INVALID_ARGUMENT", "ttlMs");
  CHECK(api.ok("cache.set", {{"key", "k"}, {"value", 1}, {"ttlMs", nullptr}})["expiresAt"].is_null());
  CHECK(api.ok("cache.set", {{"key", "k"}, {"value", 1}, {"ttlMs", 60000}})["expiresAt"].is_string());
  for (const json& bad : {json(0), json(2147483648), json("1")})
    api.rejects("creatives.update", {{"id", cr["id"]}, {"name", "L"}, {"expectedVersion", bad}}, "INVALID_ARGUMENT",
                "expectedVersion");
  CHECK(api.code("creatives.update", {{"id", cr["id"]}, {"name", "L"}, {"expectedVersion", 7}}) == "CONFLICT");
  CHECK(api.ok("creatives.update", {{"id", cr["id"]}, {"name", "L"}, {"expectedVersion", cr["version"]}})["name"] == "L");
}

TEST_CASE("data ops need an open database") {
  cs::Dispatcher d;
  json r = json::parse(d.call("products.list", "{}"));
  CHECK(r["error"]["code"] == "INVALID_ARGUMENT");
  CHECK(r["error"]["message"].get<std::string>().find("open") != std::string::npos);
}
