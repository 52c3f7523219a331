// users.*, integrations.*, publications.*, ai.* through the dispatcher.
#include "data_api_support.hpp"

using cs::json;
using test_api::Api;

TEST_CASE("users: unique e-mail (case-insensitive), update, delete cascades products") {
  Api api;
  json u = api.ok("users.create", {{"email", "Ana@Example.com"}, {"name", "Ana"}, {"settings", {{"theme", "dark"}}}});
  CHECK(u["settings"]["theme"] == "dark");
  CHECK(api.ok("users.get", {{"id", u["id"]}})["email"] == "Ana@Example.com");
  api.rejects("users.create", {{"email", "ana@example.COM"}}, "CONFLICT", "email");
  json b = api.ok("users.create", {{"email", "bo@example.com"}});
  api.rejects("users.update", {{"id", b["id"]}, {"email", "ANA@example.com"}}, "CONFLICT", "email");
  api.rejects("users.create", {{"email", "x"}}, "INVALID_ARGUMENT", "email");
  api.rejects("users.create", {{"email", std::string(321, 'e')}}, "INVALID_ARGUMENT", "email");
  api.rejects("users.create", {{"id", u["id"]}}, "CONFLICT", "id");
  CHECK(api.ok("users.update", {{"id", u["id"]}, {"email", "ana@example.com"}})["email"] == "ana@example.com");
  CHECK(api.ok("users.update", {{"id", u["id"]}, {"avatarUrl", "https://a/b.png"}})["avatarUrl"] == "https://a/b.png");

  api.ok("products.create", {{"name", "Mine"}, {"userId", u["id"]}, {"images", {{{"url", "x"}}}}});
  api.ok("users.delete", {{"id", u["id"]}});
  CHECK(api.count("products") == 0);
  CHECK(api.count("product_images") == 0);
  CHECK(api.code("users.get", {{"id", u["id"]}}, "id") == "NOT_FOUND");
}

TEST_CASE("platform integrations never take secrets") {
  Api api;
  json i = api.ok("integrations.create", {{"userId", "u1"}, {"platformId", "meta"}, {"platformAccountId", "act_1"},
                                          {"expiresAt", "2030-01-01T00:00:00Z"}, {"settings", {{"pixel", "123"}}}});
  CHECK(i["status"] == "active");
  CHECK(i["expiresAt"] == "2030-01-01T00:00:00.000Z");
  CHECK_FALSE(i.contains("accessToken"));
  api.rejects("integrations.create", {{"platformId", "meta"}, {"accessToken", "EAAB..."}}, "INVALID_ARGUMENT", "accessToken");
  api.rejects("integrations.update", {{"id", i["id"]}, {"refreshToken", "r"}}, "INVALID_ARGUMENT", "refreshToken");
  api.rejects("integrations.create", {{"platformId", "myspace"}}, "INVALID_ARGUMENT", "platformId");
  api.rejects("integrations.create", json::object(), "INVALID_ARGUMENT", "platformId");
  api.rejects("integrations.update", {{"id", i["id"]}, {"expiresAt", "soon"}}, "INVALID_ARGUMENT", "expiresAt");
  // The table has no column for them either.
  json cols = api.ok("sql.query", {{"sql", "SELECT group_concat(name) AS c FROM pragma_table_info('platform_integrations')"}});
  CHECK(cols["rows"][0]["c"].get<std::string>().find("token") == std::string::npos);

  api.ok("integrations.create", {{"userId", "u1"}, {"platformId", "tiktok"}, {"status", "expired"}});
  api.ok("integrations.create", {{"userId", "u2"}, {"platformId", "meta"}});
  CHECK(api.ok("integrations.list", {{"userId", "u1"}})["items"].size() == 2);
  CHECK(api.ok("integrations.list", {{"platformId", "meta"}})["items"].size() == 2);
  CHECK(api.ok("integrations.list", {{"userId", "u1"}, {"status", "expired"}})["items"].size() == 1);
  CHECK(api.ok("integrations.update", {{"id", i["id"]}, {"status", "revoked"}})["status"] == "revoked");
  CHECK(api.code("integrations.list", {{"platformId", "myspace"}}, "platformId") == "INVALID_ARGUMENT");

  // Publications through an integration outlive it, unlinked.
  json c = api.ok("campaigns.create", {{"name", "C"}});
  json pub = api.ok("publications.create", {{"campaignId", c["id"]}, {"platformIntegrationId", i["id"]}});
  api.ok("integrations.delete", {{"id", i["id"]}});
  CHECK(api.ok("publications.get", {{"id", pub["id"]}})["platformIntegrationId"].is_null());
  CHECK(api.code("integrations.get", {{"id", i["id"]}}, "id") == "NOT_FOUND");
}

TEST_CASE("campaign publications") {
  Api api;
  json c = api.ok("campaigns.create", {{"name", "C"}});
  json i = api.ok("integrations.create", {{"platformId", "display"}});
  json p = api.ok("publications.create", {{"campaignId", c["id"]}, {"platformIntegrationId", i["id"]},
                                          {"platformCampaignId", "23851"}});
  CHECK(p["status"] == "pending");
  CHECK(p["metrics"] == json::object());
  json up = api.ok("publications.update", {{"id", p["id"]}, {"status", "published"},
                                           {"metrics", {{"impressions", 1200}, {"ctr", 0.031}}},
                                           {"lastSyncAt", 1714564800000}});
  CHECK(up["metrics"]["impressions"] == 1200);
  CHECK(up["lastSyncAt"] == "2024-05-01T12:00:00.000Z");
  CHECK(api.ok("publications.list", {{"campaignId", c["id"]}})["items"].size() == 1);
  CHECK(api.ok("publications.list", {{"status", "published"}})["items"].size() == 1);
  CHECK(api.ok("publications.list", {{"platformIntegrationId", i["id"]}})["items"].size() == 1);
  api.rejects("publications.create", {{"campaignId", "ghost"}}, "CONSTRAINT", "campaignId");
  api.rejects("publications.create", {{"campaignId", c["id"]}, {"platformIntegrationId", "ghost"}}, "CONSTRAINT",
              "platformIntegrationId");
  api.rejects("publications.update", {{"id", p["id"]}, {"campaignId", c["id"]}}, "INVALID_ARGUMENT", "campaignId");
  api.rejects("publications.update", {{"id", p["id"]}, {"metrics", "not json"}}, "INVALID_ARGUMENT", "metrics");
  CHECK(api.ok("publications.delete", {{"id", p["id"]}})["deleted"] == true);
}

TEST_CASE("AI generations: exact credits, enums, completion later") {
  Api api;
  json g = api.ok("ai.create", {{"userId", "u1"}, {"type", "background"}, {"service", "fal"},
                                {"prompt", "studio light"}, {"requestId", "fal-123"}, {"costCredits", "0.0125"}});
  CHECK(g["costCredits"] == "0.0125");
  CHECK(g["responseData"] == json::object());
  json done = api.ok("ai.update", {{"id", g["id"]}, {"responseData", {{"images", {{{"url", "https://fal/x"}}}}}},
                                   {"processingTime", 5400}, {"costCredits", 0.05}});
  CHECK(done["costCredits"] == "0.0500");
  CHECK(done["processingTime"] == 5400);
  CHECK(api.ok("ai.get", {{"id", g["id"]}})["responseData"]["images"][0]["url"] == "https://fal/x");
  api.ok("ai.create", {{"userId", "u1"}, {"type", "copy"}, {"service", "openai"}});
  api.ok("ai.create", {{"userId", "u2"}, {"type", "creative"}});
  CHECK(api.ok("ai.list", {{"userId", "u1"}})["items"].size() == 2);
  CHECK(api.ok("ai.list", {{"type", "copy"}})["items"].size() == 1);
  CHECK(api.ok("ai.list", {{"requestId", "fal-123"}})["items"].size() == 1);
  json newest = api.ok("ai.list", {{"limit", 1}});
  CHECK(newest["items"][0]["type"] == "creative");
  api.rejects("ai.create", {{"type", "video"}}, "INVALID_ARGUMENT", "type");
  api.rejects("ai.create", {{"type", "copy"}, {"service", "bard"}}, "INVALID_ARGUMENT", "service");
  api.rejects("ai.create", {{"type", "copy"}, {"costCredits", "0.00001"}}, "INVALID_ARGUMENT", "costCredits");
  api.rejects("ai.create", {{"type", "copy"}, {"costCredits", "1000000"}}, "INVALID_ARGUMENT", "costCredits");
  api.rejects("ai.create", {{"type", "copy"}, {"responseData", 5}}, "INVALID_ARGUMENT", "responseData");
  api.rejects("ai.create", {{"type", "copy"}, {"processingTime", 1.5}}, "INVALID_ARGUMENT", "processingTime");
  CHECK(api.ok("ai.delete", {{"id", g["id"]}})["deleted"] == true);
}
