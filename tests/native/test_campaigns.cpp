// campaigns.*, drafts.*, creatives.*, assets.* through the dispatcher.
#include "data_api_support.hpp"

#include "model/clock.hpp"
#include "model/limits.hpp"

using cs::json;
using test_api::Api;

namespace {
struct FakeTime {
  explicit FakeTime(std::int64_t ms) { cs::clock::set_fake_now(ms); }
  void set(std::int64_t ms) { cs::clock::set_fake_now(ms); }
  ~FakeTime() { cs::clock::set_fake_now(std::nullopt); }
};
constexpr std::int64_t kT0 = 1'714'564'800'000;  // 2024-05-01T12:00:00Z
constexpr std::int64_t kDay = 86'400'000;
}  // namespace

TEST_CASE("campaigns.create and campaigns.get with product, creatives, assets and draft") {
  Api api;
  json p = api.ok("products.create", {{"name", "Shoe"}, {"price", "50"}});
  json c = api.ok("campaigns.create",
                  {{"name", "Summer Sale"},
                   {"productId", p["id"]},
                   {"type", "conversion"},
                   {"budget", 1500.5},
                   {"startsAt", "2024-06-01T00:00:00Z"},
                   {"endsAt", "2024-06-30"},
                   {"platformConfig", {{"platforms", {"meta", "tiktok"}}}},
                   {"legacyData", {{"id", 17}, {"adData", {{"ctaType", "shop"}}}}}});
  CHECK(c["status"] == "draft");
  CHECK(c["budget"] == "1500.50");
  CHECK(c["currency"] == "USD");
  CHECK(c["source"] == "v2");
  CHECK(c["startsAt"] == "2024-06-01T00:00:00.000Z");
  CHECK(c["endsAt"] == "2024-06-30T00:00:00.000Z");
  CHECK(c["launchedAt"].is_null());
  CHECK(c["audienceConfig"] == json::object());
  CHECK(c["legacyData"]["adData"]["ctaType"] == "shop");

  json cr = api.ok("creatives.create", {{"campaignId", c["id"]},
                                        {"name", "Story"},
                                        {"formatId", "ig-story"},
                                        {"width", 1080},
                                        {"height", 1920},
                                        {"elements", {{{"kind", "text"}, {"value", "50% off"}}}},
                                        {"assets", {{{"type", "image"}, {"url", "https://cdn/a.png"}},
                                                    {{"type", "button"}, {"content", "Shop now"},
                                                     {"styles", {{"color", "#fff"}}}}}}});
  CHECK(cr["version"] == 1);
  CHECK(cr["isActive"] == true);
  REQUIRE(cr["assets"].size() == 2);
  CHECK(api.changed() == json::array({"creative_assets", "creatives"}));
  api.ok("drafts.save", {{"campaignId", c["id"]}, {"stepData", {{"step", 2}}}});

  json got = api.ok("campaigns.get", {{"id", c["id"]}});
  CHECK(got["product"]["id"] == p["id"]);
  CHECK(got["product"]["price"] == "50.00");
  REQUIRE(got["creatives"].size() == 1);
  CHECK(got["creatives"][0]["elements"][0]["value"] == "50% off");
  REQUIRE(got["creatives"][0]["assets"].size() == 2);
  CHECK(got["creatives"][0]["assets"][0]["type"] == "image");
  CHECK(got["creatives"][0]["assets"][1]["styles"]["color"] == "#fff");
  CHECK(got["draft"]["stepData"] == json{{"step", 2}});

  json bare = api.ok("campaigns.create", {{"name", "Bare"}});
  json bare_got = api.ok("campaigns.get", {{"id", bare["id"]}});
  CHECK(bare_got["product"].is_null());
  CHECK(bare_got["creatives"].empty());
  CHECK(bare_got["draft"].is_null());

  // The row's hybrid logical clock comes from the sync engine's clock.
  json hlc = api.ok("sql.query", {{"sql", "SELECT hlc FROM campaigns WHERE id = ?"}, {"params", {c["id"]}}});
  std::string stamp = hlc["rows"][0]["hlc"];
  CHECK(stamp.size() > 20);
  CHECK(stamp[13] == '-');
  CHECK(stamp[19] == '-');
}

TEST_CASE("campaigns.setStatus follows the lifecycle and refuses other moves") {
  Api api;
  json c = api.ok("campaigns.create", {{"name", "Lifecycle"}});
  const json id = c["id"];
  auto move = [&](const char* to) { return api.ok("campaigns.setStatus", {{"id", id}, {"status", to}}); };

  CHECK(move("scheduled")["status"] == "scheduled");
  CHECK(move("draft")["status"] == "draft");
  CHECK(move("scheduled")["status"] == "scheduled");
  json active = move("active");
  CHECK(active["status"] == "active");
  REQUIRE(active["launchedAt"].is_string());
  CHECK(move("paused")["status"] == "paused");
  json again = move("active");
  CHECK(again["launchedAt"] == active["launchedAt"]);  // launched once
  CHECK(move("active")["updatedAt"] == again["updatedAt"]);  // same status: a no-op
  CHECK(api.last.value("changes", json::array()).empty());
  CHECK(move("completed")["status"] == "completed");

  std::string before = api.snapshot();
  json e = api.err("campaigns.setStatus", {{"id", id}, {"status", "active"}});
  CHECK(e["code"] == "CONFLICT");
  CHECK(e["details"]["field"] == "status");
  CHECK(e["details"]["from"] == "completed");
  CHECK(e["details"]["allowed"] == json::array({"archived"}));
  CHECK(api.snapshot() == before);
  CHECK(move("archived")["status"] == "archived");
  CHECK(api.code("campaigns.setStatus", {{"id", id}, {"status", "draft"}}, "status") == "CONFLICT");

  json d = api.ok("campaigns.create", {{"name", "D"}});
  api.rejects("campaigns.setStatus", {{"id", d["id"]}, {"status", "paused"}}, "CONFLICT", "status");
  api.rejects("campaigns.setStatus", {{"id", d["id"]}, {"status", "completed"}}, "CONFLICT", "status");
  api.rejects("campaigns.setStatus", {{"id", d["id"]}, {"status", "live"}}, "INVALID_ARGUMENT", "status");
  api.rejects("campaigns.setStatus", {{"id", d["id"]}}, "INVALID_ARGUMENT", "status");
  api.rejects("campaigns.setStatus", {{"id", "ghost"}, {"status", "active"}}, "NOT_FOUND", "id");
  api.rejects("campaigns.update", {{"id", d["id"]}, {"status", "active"}}, "INVALID_ARGUMENT", "status");

  // Created active (legacy import): launchedAt is stamped unless given.
  json live = api.ok("campaigns.create", {{"name", "Live"}, {"status", "active"}});
  CHECK(live["launchedAt"].is_string());
  json old = api.ok("campaigns.create", {{"name", "Old"}, {"status", "active"}, {"launchedAt", "2023-01-01"}});
  CHECK(old["launchedAt"] == "2023-01-01T00:00:00.000Z");

  // A status this version does not know (raw SQL, a newer client) is not a trap.
  api.ok("sql.exec", {{"sql", "UPDATE campaigns SET status = 'review' WHERE id = ?"}, {"params", {d["id"]}}});
  CHECK(api.ok("campaigns.setStatus", {{"id", d["id"]}, {"status", "completed"}})["status"] == "completed");
}

TEST_CASE("campaigns.update checks dates against the stored row; list filters and pages") {
  Api api;
  json u = api.ok("users.create", {{"name", "U"}});
  json p = api.ok("products.create", {{"name", "P"}});
  json c = api.ok("campaigns.create", {{"name", "Dates"}, {"startsAt", "2024-06-10"}});
  api.rejects("campaigns.update", {{"id", c["id"]}, {"endsAt", "2024-06-01"}}, "INVALID_ARGUMENT", "endsAt");
  api.rejects("campaigns.create", {{"name", "x"}, {"startsAt", "2024-06-10"}, {"endsAt", "2024-06-09"}},
              "INVALID_ARGUMENT", "endsAt");
  json up = api.ok("campaigns.update", {{"id", c["id"]}, {"endsAt", "2024-06-20"}, {"budget", "99.99"},
                                        {"publishConfig", {{"schedule", "now"}}}, {"productId", p["id"]}});
  CHECK(up["budget"] == "99.99");
  CHECK(up["productId"] == p["id"]);
  CHECK(up["publishConfig"]["schedule"] == "now");
  api.rejects("campaigns.update", {{"id", c["id"]}, {"productId", "ghost"}}, "CONSTRAINT", "productId");
  api.rejects("campaigns.update", {{"id", c["id"]}, {"currency", "euro"}}, "INVALID_ARGUMENT", "currency");
  api.rejects("campaigns.update", {{"id", c["id"]}, {"launchedAt", "2024-01-01"}}, "INVALID_ARGUMENT", "launchedAt");
  api.rejects("campaigns.update", {{"id", c["id"]}, {"budget", "0.001"}}, "INVALID_ARGUMENT", "budget");

  for (int i = 0; i < 12; ++i)
    api.ok("campaigns.create", {{"name", "C" + std::to_string(i)},
                                {"userId", i % 2 ? u["id"] : json("someone-else")},
                                {"source", i < 4 ? "legacy" : "v2"},
                                {"legacyData", i < 4 ? json{{"id", "legacy-" + std::to_string(i)}} : json(nullptr)}});
  json legacy = api.ok("campaigns.list", {{"legacyId", "legacy-2"}});
  REQUIRE(legacy["items"].size() == 1);
  CHECK(legacy["items"][0]["name"] == "C2");
  // The expression index serves that lookup.
  json plan = api.ok("sql.query", {{"sql", "EXPLAIN QUERY PLAN SELECT id FROM campaigns WHERE legacy_data IS NOT NULL "
                                           "AND json_extract(legacy_data, '$.id') = 'legacy-2'"}});
  CHECK(plan.dump().find("campaigns_legacy_id") != std::string::npos);

  CHECK(api.ok("campaigns.list", {{"source", "legacy"}})["items"].size() == 4);
  json mine = api.ok("campaigns.list", {{"userId", u["id"]}, {"limit", 4}});
  CHECK(mine["items"].size() == 4);
  json more = api.ok("campaigns.list", {{"userId", u["id"]}, {"limit", 4}, {"cursor", mine["nextCursor"]}});
  CHECK(more["items"].size() == 2);
  CHECK(more["nextCursor"].is_null());
  CHECK(api.ok("campaigns.list", {{"productId", p["id"]}})["items"].size() == 1);
  json by_name = api.ok("campaigns.list", {{"sort", "name"}, {"order", "asc"}, {"limit", 1}});
  CHECK(by_name["items"][0]["name"] == "C0");
  CHECK(api.ok("campaigns.list", {{"sort", "startsAt"}, {"order", "desc"}})["items"][0]["name"] == "Dates");
  CHECK(api.code("campaigns.list", {{"status", "live"}}, "status") == "INVALID_ARGUMENT");

  json del = api.ok("campaigns.delete", {{"id", c["id"]}});
  CHECK(del["deleted"] == true);
  CHECK(api.code("campaigns.get", {{"id", c["id"]}}, "id") == "NOT_FOUND");
}

TEST_CASE("drafts: one live draft per campaign, expiry, cleanup") {
  Api api;
  FakeTime time(kT0);
  json c = api.ok("campaigns.create", {{"name", "Draft me"}});
  json d1 = api.ok("drafts.save", {{"campaignId", c["id"]}, {"stepData", {{"step", 1}}}});
  CHECK(d1["autoSavedAt"] == "2024-05-01T12:00:00.000Z");
  CHECK(d1["expiresAt"] == "2024-05-08T12:00:00.000Z");
  CHECK(api.changed() == json::array({"campaign_drafts"}));

  time.set(kT0 + kDay);
  json d2 = api.ok("drafts.save", {{"campaignId", c["id"]}, {"stepData", R"({"step":2,"audience":{"age":[18,35]}})"}});
  CHECK(d2["id"] == d1["id"]);  // an upsert, not a second draft
  CHECK(d2["stepData"]["audience"]["age"] == json::array({18, 35}));
  CHECK(d2["autoSavedAt"] == "2024-05-02T12:00:00.000Z");
  CHECK(d2["expiresAt"] == "2024-05-09T12:00:00.000Z");  // pushed out
  CHECK(d2["createdAt"] == d1["createdAt"]);
  CHECK(api.count("campaign_drafts") == 1);
  CHECK(api.ok("drafts.get", {{"campaignId", c["id"]}})["id"] == d1["id"]);

  // Two drafts of one campaign (as sync may bring them) fold into the newest.
  api.ok("sql.exec", {{"sql", "INSERT INTO campaign_drafts(id, campaign_id, step_data, auto_saved_at, expires_at, "
                               "created_at, updated_at) VALUES ('other', ?, '{\"step\":9}', '2024-05-02T13:00:00.000Z', "
                               "'2024-05-09T13:00:00.000Z', '2024-05-02T13:00:00.000Z', '2024-05-02T13:00:00.000Z')"},
                      {"params", {c["id"]}}});
  CHECK(api.ok("drafts.get", {{"campaignId", c["id"]}})["id"] == "other");
  json d3 = api.ok("drafts.save", {{"campaignId", c["id"]}, {"stepData", {{"step", 3}}}});
  CHECK(d3["id"] == "other");
  CHECK(api.count("campaign_drafts") == 1);

  // Expired drafts are never returned, and cleanup removes them.
  json c2 = api.ok("campaigns.create", {{"name", "Old"}});
  api.ok("drafts.save", {{"campaignId", c2["id"]}, {"stepData", json::object()}, {"expiresAt", kT0}});
  CHECK(api.ok("drafts.get", {{"campaignId", c2["id"]}}).is_null());
  CHECK(api.ok("campaigns.get", {{"id", c2["id"]}})["draft"].is_null());
  time.set(kT0 + 8 * kDay);  // c's draft expired too by now
  CHECK(api.ok("drafts.get", {{"campaignId", c["id"]}}).is_null());
  json cleaned = api.ok("drafts.cleanup");
  CHECK(cleaned["removed"] == 2);
  CHECK(api.count("campaign_drafts") == 0);
  CHECK(api.ok("drafts.cleanup")["removed"] == 0);
  CHECK_FALSE(api.last.contains("changes"));

  api.ok("drafts.save", {{"campaignId", c["id"]}, {"stepData", {{"x", 1}}}});
  CHECK(api.ok("drafts.delete", {{"campaignId", c["id"]}})["removed"] == 1);
  CHECK(api.ok("drafts.get", {{"campaignId", "never-saved"}}).is_null());

  api.rejects("drafts.save", {{"campaignId", "ghost"}, {"stepData", json::object()}}, "CONSTRAINT", "campaignId");
  api.rejects("drafts.save", {{"campaignId", c["id"]}}, "INVALID_ARGUMENT", "stepData");
  api.rejects("drafts.save", {{"campaignId", c["id"]}, {"stepData", "{truncated"}}, "INVALID_ARGUMENT", "stepData");
  api.rejects("drafts.save", {{"campaignId", c["id"]}, {"stepData", json::array()}}, "INVALID_ARGUMENT", "stepData");
  api.rejects("drafts.save", {{"campaignId", c["id"]}, {"stepData", json::object()}, {"autoSavedAt", kT0}},
              "INVALID_ARGUMENT", "autoSavedAt");
  api.rejects("drafts.save", {{"stepData", json::object()}}, "INVALID_ARGUMENT", "campaignId");
  api.rejects("drafts.cleanup", {{"olderThan", 3}}, "INVALID_ARGUMENT", "olderThan");
}

TEST_CASE("drafts.save stores step data as the text it came in, and anything else as before") {
  Api api;
  const std::string campaign = api.ok("campaigns.create", {{"name", "Raw"}})["id"];
  auto save = [&](const std::string& step_data) {
    const std::string request = R"({"campaignId":")" + campaign + R"(","stepData":)" + step_data + "}";
    return json::parse(api.d.call("drafts.save", request));
  };
  auto stored = [&] {
    return api.ok("sql.query", {{"sql", "SELECT step_data AS s FROM campaign_drafts"}})["rows"][0]["s"].get<std::string>();
  };
  // What JSON.stringify sends: kept byte for byte, key order included, and
  // answered as it is stored.
  const std::string sent = R"({"z":1,"steps":[{"title":"Ünïcode \"quoted\"","done":false}],"a":{"n":2.5}})";
  json r = save(sent);
  INFO(r.dump());
  REQUIRE(r["ok"] == true);
  CHECK(stored() == sent);
  CHECK(r["result"]["stepData"] == json::parse(sent));
  // Whitespace and repeated keys: the tree's compact text, last value kept.
  REQUIRE(save(R"({ "b" : [1, 2], "b": {"c":3} })")["ok"] == true);
  CHECK(stored() == R"({"b":{"c":3}})");
  // The column's checks still hold: an object, within its size limit.
  json wrong = save("[1,2]");
  CHECK(wrong["error"]["code"] == "INVALID_ARGUMENT");
  CHECK(wrong["error"]["details"]["field"] == "stepData");
  CHECK(wrong["error"]["message"].get<std::string>().find("got array") != std::string::npos);
  const std::string big = R"({"x":")" + std::string(cs::limits::kMaxJsonBytes, 'x') + R"("})";
  CHECK(save(big)["error"]["details"]["limit"].is_number());
  CHECK(stored() == R"({"b":{"c":3}})");  // neither changed anything
  CHECK(save(R"({"x":})")["error"]["code"] == "INVALID_ARGUMENT");
}

TEST_CASE("campaign configs and creative elements are stored as the text they came in") {
  Api api;
  auto call = [&](const char* op, const std::string& args) {
    json r = json::parse(api.d.call(op, args));
    INFO(op << " " << args << " -> " << r.dump());
    REQUIRE(r["ok"] == true);
    return r["result"];
  };
  auto column = [&](const char* sql) { return api.ok("sql.query", {{"sql", sql}})["rows"][0]["v"].get<std::string>(); };
  const std::string id = call("campaigns.create", R"({"name":"C","audienceConfig":{"zip":["10001"],"age":[18,65]}})")["id"];
  CHECK(column("SELECT audience_config AS v FROM campaigns") == R"({"zip":["10001"],"age":[18,65]})");
  json updated = call("campaigns.update", R"({"id":")" + id + R"(","platformConfig":{"meta":{"z":1,"a":2}},"legacyData":[3,1]})");
  CHECK(updated["platformConfig"] == json{{"meta", {{"a", 2}, {"z", 1}}}});
  CHECK(column("SELECT platform_config AS v FROM campaigns") == R"({"meta":{"z":1,"a":2}})");
  CHECK(column("SELECT legacy_data AS v FROM campaigns") == "[3,1]");

  const std::string creative =
      call("creatives.create", R"({"campaignId":")" + id + R"(","elements":[{"type":"text","z":1,"a":0}]})")["id"];
  json edited = call("creatives.update", R"({"id":")" + creative + R"(","elements":[{"type":"image","y":2,"b":1}]})");
  CHECK(edited["version"] == 2);  // elements still bump the version
  CHECK(column("SELECT elements AS v FROM creatives") == R"([{"type":"image","y":2,"b":1}])");
  // The column's kind is still checked: elements must be an array.
  json wrong = json::parse(api.d.call("creatives.update", R"({"id":")" + creative + R"(","elements":{"a":1}})"));
  CHECK(wrong["error"]["details"]["field"] == "elements");
}

TEST_CASE("deleting a campaign removes its drafts, creatives, assets and publications") {
  Api api;
  json c = api.ok("campaigns.create", {{"name", "Gone"}});
  json cr = api.ok("creatives.create", {{"campaignId", c["id"]}, {"assets", {{{"type", "text"}, {"content", "hi"}}}}});
  api.ok("drafts.save", {{"campaignId", c["id"]}, {"stepData", json::object()}});
  api.ok("publications.create", {{"campaignId", c["id"]}});
  api.ok("campaigns.delete", {{"id", c["id"]}});
  for (const char* t : {"campaigns", "creatives", "creative_assets", "campaign_drafts", "campaign_publications"})
    CHECK(api.count(t) == 0);
  // Sync pushes the campaign's delete; the server cascades it to the same
  // rows itself, so the cascaded deletes are not pushed as writes of their own.
  auto deletes_of = [&](const json& id) {
    return api.ok("sql.query", {{"sql", "SELECT count(*) AS n FROM sync_outbox WHERE op = 'delete' AND row_id = ?"},
                                {"params", {id}}})["rows"][0]["n"];
  };
  CHECK(deletes_of(c["id"]) == 1);
  CHECK(deletes_of(cr["assets"][0]["id"]) == 0);
}

TEST_CASE("creatives: version bumps with elements, expectedVersion guards lost updates") {
  Api api;
  json c = api.ok("campaigns.create", {{"name", "Ads"}});
  json cr = api.ok("creatives.create", {{"campaignId", c["id"]}, {"name", "Feed"}, {"formatId", "feed"}});
  CHECK(cr["elements"] == json::array());
  json v2 = api.ok("creatives.update", {{"id", cr["id"]}, {"elements", {{{"k", "img"}}}}, {"expectedVersion", 1}});
  CHECK(v2["version"] == 2);
  json renamed = api.ok("creatives.update", {{"id", cr["id"]}, {"name", "Feed 2"}});
  CHECK(renamed["version"] == 2);  // no element change, no new version
  json e = api.err("creatives.update", {{"id", cr["id"]}, {"elements", json::array()}, {"expectedVersion", 1}});
  CHECK(e["code"] == "CONFLICT");
  CHECK(e["details"]["field"] == "expectedVersion");
  CHECK(e["details"]["version"] == 2);
  api.rejects("creatives.update", {{"id", cr["id"]}, {"elements", {{"not", "array"}}}}, "INVALID_ARGUMENT", "elements");
  api.rejects("creatives.update", {{"id", cr["id"]}, {"version", 9}}, "INVALID_ARGUMENT", "version");
  api.rejects("creatives.update", {{"id", cr["id"]}, {"width", 0}}, "INVALID_ARGUMENT", "width");
  api.rejects("creatives.update", {{"id", "ghost"}, {"name", "x"}}, "NOT_FOUND", "id");
  api.rejects("creatives.create", {{"campaignId", "ghost"}}, "CONSTRAINT", "campaignId");
  api.rejects("creatives.create", {{"campaignId", c["id"]}, {"assets", {{{"type", "gif"}}}}}, "INVALID_ARGUMENT",
              "assets[0].type");

  json got = api.ok("creatives.get", {{"id", cr["id"]}});
  CHECK(got["assets"] == json::array());
  api.ok("creatives.create", {{"campaignId", c["id"]}, {"isActive", false}, {"formatId", "story"}});
  CHECK(api.ok("creatives.list", {{"campaignId", c["id"]}})["items"].size() == 2);
  CHECK(api.ok("creatives.list", {{"campaignId", c["id"]}, {"isActive", true}})["items"].size() == 1);
  CHECK(api.ok("creatives.list", {{"campaignId", c["id"]}, {"formatId", "story"}})["items"].size() == 1);
  CHECK(api.code("creatives.list", json::object(), "campaignId") == "INVALID_ARGUMENT");

  json a = api.ok("assets.create", {{"creativeId", cr["id"]}, {"type", "video"}, {"url", "v.mp4"},
                                    {"position", {{"x", 1}, {"y", 2}}}});
  CHECK(a["position"] == json{{"x", 1}, {"y", 2}});
  CHECK(api.ok("assets.get", {{"id", a["id"]}})["url"] == "v.mp4");
  CHECK(api.ok("assets.update", {{"id", a["id"]}, {"content", "caption"}})["content"] == "caption");
  CHECK(api.ok("assets.list", {{"creativeId", cr["id"]}, {"type", "video"}})["items"].size() == 1);
  CHECK(api.ok("assets.list", {{"creativeId", cr["id"]}, {"type", "text"}})["items"].empty());
  api.rejects("assets.create", {{"creativeId", cr["id"]}}, "INVALID_ARGUMENT", "type");
  api.rejects("assets.create", {{"creativeId", cr["id"]}, {"type", "gif"}}, "INVALID_ARGUMENT", "type");
  api.rejects("assets.create", {{"creativeId", "ghost"}, {"type", "text"}}, "CONSTRAINT", "creativeId");
  api.rejects("assets.update", {{"id", a["id"]}, {"styles", "[1]"}}, "INVALID_ARGUMENT", "styles");
  api.rejects("assets.update", {{"id", a["id"]}, {"creativeId", cr["id"]}}, "INVALID_ARGUMENT", "creativeId");
  CHECK(api.ok("assets.delete", {{"id", a["id"]}})["deleted"] == true);
  CHECK(api.code("assets.get", {{"id", a["id"]}}, "id") == "NOT_FOUND");
  CHECK(api.ok("creatives.delete", {{"id", cr["id"]}})["deleted"] == true);
}
