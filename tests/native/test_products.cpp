// products.*, images.*, backgrounds.* through the dispatcher: happy paths,
// the primary-image and active-version invariants, lists with keyset
// cursors, and every class of bad input leaving the database unchanged.
#include "data_api_support.hpp"

#include "model/clock.hpp"

using cs::json;
using test_api::Api;

namespace {
json product_args(const std::string& name, json extra = json::object()) {
  json a{{"name", name}};
  for (auto it = extra.begin(); it != extra.end(); ++it) a[it.key()] = it.value();
  return a;
}
}  // namespace

TEST_CASE("products.create with images, then products.get returns the whole tree") {
  Api api;
  json user = api.ok("users.create", {{"email", "ana@example.com"}, {"name", "Ana"}});
  json p = api.ok("products.create",
                  {{"userId", user["id"]},
                   {"name", "Trail Runner 2"},
                   {"brand", "Acme"},
                   {"category", "shoes"},
                   {"price", 129.99},
                   {"utmCodes", {{"utm_source", "meta"}}},
                   {"metadata", {{"colors", {"red", "blue"}}}},
                   {"images", {{{"url", "https://cdn/x1.png"}, {"altText", "side"}},
                               {{"url", "https://cdn/x2.png"}, {"size", 2048}}}}});
  CHECK(api.changed() == json::array({"product_images", "products"}));
  CHECK(p["price"] == "129.99");
  CHECK(p["status"] == "active");
  CHECK(p["utmCodes"] == json{{"utm_source", "meta"}});
  REQUIRE(p["images"].size() == 2);
  CHECK(p["images"][0]["isPrimary"] == true);  // the first image, when none is marked
  CHECK(p["images"][1]["isPrimary"] == false);
  CHECK(p["images"][0]["productId"] == p["id"]);
  CHECK(p["createdAt"].get<std::string>().size() == 24);

  const std::string image = p["images"][1]["id"];
  api.ok("backgrounds.add", {{"productImageId", image}, {"url", "https://fal/b1.png"}, {"prompt", "beach"},
                             {"requestId", "req-1"}, {"processingTime", 1200}});
  api.ok("campaigns.create", {{"name", "Spring"}, {"productId", p["id"]}});

  json got = api.ok("products.get", {{"id", p["id"]}});
  CHECK(got["name"] == "Trail Runner 2");
  REQUIRE(got["images"].size() == 2);
  CHECK(got["images"][0]["id"] == p["images"][0]["id"]);  // insertion order
  CHECK(got["images"][0]["backgrounds"].empty());
  REQUIRE(got["images"][1]["backgrounds"].size() == 1);
  CHECK(got["images"][1]["backgrounds"][0]["prompt"] == "beach");
  CHECK(got["images"][1]["backgrounds"][0]["isActive"] == true);
  REQUIRE(got["campaigns"].size() == 1);
  CHECK(got["campaigns"][0] == json{{"id", got["campaigns"][0]["id"]}, {"name", "Spring"}, {"status", "draft"}});
  CHECK_FALSE(api.last.contains("changes"));  // a read touches nothing

  // What create answered is what get reads (but for the nested extras).
  json created_image = p["images"][0];
  created_image.erase("backgrounds");
  json read_image = got["images"][0];
  read_image.erase("backgrounds");
  CHECK(created_image == read_image);
}

TEST_CASE("products.update is partial; delete cascades images and unlinks campaigns") {
  Api api;
  json p = api.ok("products.create", product_args("Mug", {{"brand", "Acme"}, {"price", "9.5"},
                                                          {"images", {{{"url", "u1"}}}}}));
  cs::clock::set_fake_now(cs::clock::now_ms() + 5);
  json u = api.ok("products.update", {{"id", p["id"]}, {"price", "12"}, {"description", "big"}, {"brand", nullptr}});
  cs::clock::set_fake_now(std::nullopt);
  CHECK(u["price"] == "12.00");
  CHECK(u["description"] == "big");
  CHECK(u["brand"].is_null());
  CHECK(u["name"] == "Mug");  // untouched
  CHECK(u["createdAt"] == p["createdAt"]);
  CHECK(u["updatedAt"] > p["updatedAt"]);
  CHECK(api.changed() == json::array({"products"}));

  json c = api.ok("campaigns.create", {{"name", "C"}, {"productId", p["id"]}});
  api.ok("backgrounds.add", {{"productImageId", p["images"][0]["id"]}, {"url", "b"}});
  json d = api.ok("products.delete", {{"id", p["id"]}});
  CHECK(d == json{{"id", p["id"]}, {"deleted", true}});
  CHECK(api.count("products") == 0);
  CHECK(api.count("product_images") == 0);
  CHECK(api.count("background_versions") == 0);
  CHECK(api.ok("campaigns.get", {{"id", c["id"]}})["productId"].is_null());
  CHECK(api.code("products.get", {{"id", p["id"]}}, "id") == "NOT_FOUND");
  CHECK(api.code("products.delete", {{"id", p["id"]}}, "id") == "NOT_FOUND");
  CHECK(api.code("products.update", {{"id", p["id"]}, {"name", "x"}}, "id") == "NOT_FOUND");
}

TEST_CASE("one primary image per product: add, setPrimary, delete") {
  Api api;
  json p = api.ok("products.create", product_args("Lamp"));
  json a = api.ok("images.add", {{"productId", p["id"]}, {"url", "a"}});
  CHECK(a["isPrimary"] == true);  // first image of the product
  json b = api.ok("images.add", {{"productId", p["id"]}, {"url", "b"}});
  CHECK(b["isPrimary"] == false);
  json c = api.ok("images.add", {{"productId", p["id"]}, {"url", "c"}, {"isPrimary", true}});
  CHECK(c["isPrimary"] == true);
  auto primaries = [&] {
    json rows = api.ok("sql.query", {{"sql", "SELECT id FROM product_images WHERE is_primary = 1"}})["rows"];
    return rows;
  };
  CHECK(primaries() == json::array({{{"id", c["id"]}}}));

  json set = api.ok("images.setPrimary", {{"imageId", b["id"]}, {"productId", p["id"]}});
  CHECK(set["isPrimary"] == true);
  CHECK(primaries() == json::array({{{"id", b["id"]}}}));
  api.ok("images.setPrimary", {{"imageId", b["id"]}});  // again: nothing changes
  CHECK(primaries().size() == 1);

  json other = api.ok("products.create", product_args("Other"));
  CHECK(api.code("images.setPrimary", {{"imageId", b["id"]}, {"productId", other["id"]}}, "imageId") == "NOT_FOUND");
  CHECK(api.code("images.setPrimary", {{"imageId", "nope"}}, "imageId") == "NOT_FOUND");
  CHECK(api.code("images.setPrimary", {{"id", b["id"]}}, "id") == "INVALID_ARGUMENT");

  // Deleting the primary promotes the oldest remaining image.
  json del = api.ok("images.delete", {{"id", b["id"]}});
  CHECK(del["primaryImageId"] == a["id"]);
  CHECK(primaries() == json::array({{{"id", a["id"]}}}));

  json list = api.ok("images.list", {{"productId", p["id"]}});
  REQUIRE(list["items"].size() == 2);
  CHECK(list["items"][0]["id"] == a["id"]);
  CHECK(list["nextCursor"].is_null());

  json upd = api.ok("images.update", {{"id", a["id"]}, {"altText", "front"}, {"metadata", {{"w", 10}}}});
  CHECK(upd["altText"] == "front");
  CHECK(api.code("images.update", {{"id", a["id"]}, {"isPrimary", false}}, "isPrimary") == "INVALID_ARGUMENT");
  CHECK(api.code("images.update", {{"id", a["id"]}, {"productId", other["id"]}}, "productId") == "INVALID_ARGUMENT");

  // Two primaries in one create are refused before anything is written.
  api.rejects("products.create",
                    product_args("Two", {{"images", {{{"url", "x"}, {"isPrimary", true}}, {{"url", "y"}, {"isPrimary", true}}}}}),
                    "INVALID_ARGUMENT", "images");
}

TEST_CASE("one active background version per image") {
  Api api;
  json p = api.ok("products.create", product_args("Vase", {{"images", {{{"url", "img"}}}}}));
  const json image = p["images"][0]["id"];
  json v1 = api.ok("backgrounds.add", {{"productImageId", image}, {"url", "v1"}, {"isActive", false}});
  CHECK(v1["isActive"] == true);  // no active version yet: this one is it
  json v2 = api.ok("backgrounds.add", {{"productImageId", image}, {"url", "v2"}});
  CHECK(v2["isActive"] == true);  // a new version takes over by default
  json v3 = api.ok("backgrounds.add", {{"productImageId", image}, {"url", "v3"}, {"isActive", false}});
  CHECK(v3["isActive"] == false);
  auto active = [&] {
    return api.ok("sql.query", {{"sql", "SELECT id FROM background_versions WHERE is_active = 1"}})["rows"];
  };
  CHECK(active() == json::array({{{"id", v2["id"]}}}));
  CHECK(api.ok("backgrounds.activate", {{"id", v1["id"]}})["isActive"] == true);
  CHECK(active() == json::array({{{"id", v1["id"]}}}));
  CHECK(api.code("backgrounds.activate", {{"id", "missing"}}, "id") == "NOT_FOUND");

  json list = api.ok("backgrounds.list", {{"productImageId", image}, {"limit", 2}});
  REQUIRE(list["items"].size() == 2);
  CHECK(list["items"][0]["id"] == v1["id"]);
  REQUIRE(list["nextCursor"].is_string());
  json rest = api.ok("backgrounds.list", {{"productImageId", image}, {"limit", 2}, {"cursor", list["nextCursor"]}});
  REQUIRE(rest["items"].size() == 1);
  CHECK(rest["items"][0]["id"] == v3["id"]);
  CHECK(api.code("backgrounds.list", json::object(), "productImageId") == "INVALID_ARGUMENT");

  // Deleting the active version activates the newest remaining one.
  json del = api.ok("backgrounds.delete", {{"id", v1["id"]}});
  CHECK(del["activeId"] == v3["id"]);
  CHECK(active() == json::array({{{"id", v3["id"]}}}));

  api.rejects("backgrounds.add", {{"productImageId", "nope"}, {"url", "x"}}, "CONSTRAINT", "productImageId");
  api.rejects("backgrounds.add", {{"productImageId", image}, {"processingTime", -1}}, "INVALID_ARGUMENT",
                    "processingTime");
}

TEST_CASE("products.list filters, sorts and pages with keyset cursors") {
  Api api;
  json u1 = api.ok("users.create", {{"name", "u1"}});
  json u2 = api.ok("users.create", {{"name", "u2"}});
  std::int64_t t = 1'714'564'800'000;
  for (int i = 0; i < 25; ++i) {
    cs::clock::set_fake_now(t + (i / 3) * 1000);  // equal createdAt in threes: ties need the rowid
    api.ok("products.create", {{"userId", i % 5 == 0 ? u2["id"] : u1["id"]},
                               {"name", "Item " + std::to_string(100 - i)},
                               {"category", i % 2 ? "odd" : "even"},
                               {"brand", i < 10 ? "Acme" : "Zed"},
                               {"status", i % 4 == 0 ? "archived" : "active"},
                               {"price", i == 7 ? json(nullptr) : json(std::to_string(i) + ".50")}});
  }
  cs::clock::set_fake_now(std::nullopt);

  // Page through u1's products, newest first, 6 at a time.
  std::vector<std::string> seen;
  json cursor = nullptr;
  int pages = 0;
  do {
    json args{{"userId", u1["id"]}, {"limit", 6}};
    if (!cursor.is_null()) args["cursor"] = cursor;
    json page = api.ok("products.list", args);
    for (const auto& item : page["items"]) {
      CHECK(item["userId"] == u1["id"]);
      seen.push_back(item["id"]);
    }
    cursor = page["nextCursor"];
    ++pages;
  } while (!cursor.is_null());
  CHECK(seen.size() == 20);
  CHECK(pages == 4);
  CHECK(std::set<std::string>(seen.begin(), seen.end()).size() == 20);  // no duplicates across ties
  json all = api.ok("products.list", {{"userId", u1["id"]}, {"limit", 500}});
  for (std::size_t i = 0; i < seen.size(); ++i) CHECK(all["items"][i]["id"] == seen[i]);
  for (std::size_t i = 1; i < all["items"].size(); ++i)
    CHECK(all["items"][i - 1]["createdAt"] >= all["items"][i]["createdAt"]);

  json filtered = api.ok("products.list", {{"status", "active"}, {"category", "odd"}, {"brand", "Acme"}});
  for (const auto& item : filtered["items"]) {
    CHECK(item["status"] == "active");
    CHECK(item["category"] == "odd");
    CHECK(item["brand"] == "Acme");
  }
  CHECK(filtered["items"].size() == 5);  // i = 1, 3, 5, 7, 9

  json by_price = api.ok("products.list", {{"sort", "price"}, {"order", "asc"}, {"limit", 3}});
  CHECK(by_price["items"][0]["price"].is_null());  // no price sorts first
  CHECK(by_price["items"][1]["price"] == "0.50");
  json next = api.ok("products.list", {{"sort", "price"}, {"order", "asc"}, {"limit", 3}, {"cursor", by_price["nextCursor"]}});
  CHECK(next["items"][0]["price"] == "2.50");

  json by_name = api.ok("products.list", {{"sort", "name"}, {"order", "asc"}, {"limit", 2}});
  CHECK(by_name["items"][0]["name"] == "Item 100");

  CHECK(api.code("products.list", {{"sort", "color"}}, "sort") == "INVALID_ARGUMENT");
  CHECK(api.code("products.list", {{"order", "up"}}, "order") == "INVALID_ARGUMENT");
  CHECK(api.code("products.list", {{"limit", 501}}, "limit") == "INVALID_ARGUMENT");
  CHECK(api.code("products.list", {{"limit", 0}}, "limit") == "INVALID_ARGUMENT");
  CHECK(api.code("products.list", {{"cursor", "garbage!"}}, "cursor") == "INVALID_ARGUMENT");
  CHECK(api.code("products.list", {{"cursor", by_price["nextCursor"]}}, "cursor") == "INVALID_ARGUMENT");  // other sort
  CHECK(api.code("products.list", {{"colour", "red"}}, "colour") == "INVALID_ARGUMENT");
  CHECK(api.code("products.list", {{"userId", 5}}, "userId") == "INVALID_ARGUMENT");
  CHECK(api.ok("products.list", json::object())["items"].size() == 25);
}

TEST_CASE("bad product input is rejected with a code and a field, and changes nothing") {
  Api api;
  json p = api.ok("products.create", product_args("Base", {{"images", {{{"url", "a"}}}}}));
  json user = api.ok("users.create", {{"email", "x@y.io"}});

  api.rejects("products.create", json::object(), "INVALID_ARGUMENT", "name");
  api.rejects("products.create", product_args(""), "INVALID_ARGUMENT", "name");
  api.rejects("products.create", product_args(std::string(256, 'n')), "INVALID_ARGUMENT", "name");
  api.rejects("products.create", {{"name", 42}}, "INVALID_ARGUMENT", "name");
  api.rejects("products.create", product_args("x", {{"price", "12.345"}}), "INVALID_ARGUMENT", "price");
  api.rejects("products.create", product_args("x", {{"price", "-1"}}), "INVALID_ARGUMENT", "price");
  api.rejects("products.create", product_args("x", {{"price", "100000000"}}), "INVALID_ARGUMENT", "price");
  api.rejects("products.create", product_args("x", {{"price", true}}), "INVALID_ARGUMENT", "price");
  api.rejects("products.create", product_args("x", {{"metadata", "{oops"}}), "INVALID_ARGUMENT", "metadata");
  api.rejects("products.create", product_args("x", {{"metadata", json::array()}}), "INVALID_ARGUMENT", "metadata");
  api.rejects("products.create", product_args("x", {{"metadata", {{"blob", std::string(1 << 20, 'z')}}}}),
                    "INVALID_ARGUMENT", "metadata");
  api.rejects("products.create", product_args("x", {{"description", std::string(65537, 'd')}}),
                    "INVALID_ARGUMENT", "description");
  api.rejects("products.create", product_args("x", {{"userId", "ghost"}}), "CONSTRAINT", "userId");
  api.rejects("products.create", product_args("x", {{"userId", "has space"}}), "INVALID_ARGUMENT", "userId");
  api.rejects("products.create", product_args("x", {{"id", p["id"]}}), "CONFLICT", "id");
  api.rejects("products.create", product_args("x", {{"id", "short"}}), "INVALID_ARGUMENT", "id");
  api.rejects("products.create", product_args("x", {{"sizes", "S,M"}}), "INVALID_ARGUMENT", "sizes");
  api.rejects("products.create", product_args("x", {{"images", "a.png"}}), "INVALID_ARGUMENT", "images");
  // A bad image fails the whole create: the product is not written either.
  api.rejects("products.create", product_args("x", {{"images", {{{"url", "ok"}}, {{"alt", "no url"}}}}}),
                    "INVALID_ARGUMENT", "images[1].alt");
  api.rejects("products.create", product_args("x", {{"images", {{{"url", "ok"}}, {{"size", 1}}}}}),
                    "INVALID_ARGUMENT", "images[1].url");
  api.rejects("products.create", product_args("x", {{"images", {{{"url", "a"}, {"productId", p["id"]}}}}}),
                    "INVALID_ARGUMENT", "images[0].productId");
  api.rejects("products.create",
                    product_args("x", {{"images", {{{"url", "a"}, {"id", p["images"][0]["id"]}}}}}), "CONFLICT",
                    "images[0].id");
  json many = json::array();
  for (int i = 0; i < 101; ++i) many.push_back({{"url", "u"}});
  api.rejects("products.create", product_args("x", {{"images", many}}), "INVALID_ARGUMENT", "images");

  api.rejects("products.update", {{"id", p["id"]}, {"name", nullptr}}, "INVALID_ARGUMENT", "name");
  api.rejects("products.update", {{"id", p["id"]}, {"userId", "ghost"}}, "CONSTRAINT", "userId");
  api.rejects("products.update", {{"id", p["id"]}, {"createdAt", "2020-01-01"}}, "INVALID_ARGUMENT", "createdAt");
  api.rejects("products.update", {{"name", "no id"}}, "INVALID_ARGUMENT", "id");
  api.rejects("products.get", {{"id", 7}}, "INVALID_ARGUMENT", "id");
  api.rejects("images.add", {{"productId", "ghost"}, {"url", "u"}}, "CONSTRAINT", "productId");
  api.rejects("images.add", {{"productId", p["id"]}, {"url", ""}}, "INVALID_ARGUMENT", "url");
  api.rejects("images.add", {{"productId", p["id"]}, {"url", "u"}, {"size", -5}}, "INVALID_ARGUMENT", "size");
  api.rejects("images.add", {{"productId", p["id"]}, {"url", "u"}, {"isPrimary", "yes"}}, "INVALID_ARGUMENT",
                    "isPrimary");
  api.rejects("images.add", {{"productId", p["id"]}, {"url", std::string((4u << 20) + 1, 'u')}},
                    "INVALID_ARGUMENT", "url");
  api.rejects("images.list", json::object(), "INVALID_ARGUMENT", "productId");

  // Arguments that are not an object at all.
  CHECK(api.code("products.create", json::array({1, 2})) == "INVALID_ARGUMENT");
  CHECK(api.code("products.get", json("id")) == "INVALID_ARGUMENT");
}

TEST_CASE("a client-chosen uuid and original timestamps survive (legacy import)") {
  Api api;
  json p = api.ok("products.create", {{"id", "0F8FAD5B-D9CB-469F-A165-70867728950E"},
                                      {"name", "Old"},
                                      {"createdAt", "2023-03-04T05:06:07+01:00"}});
  CHECK(p["id"] == "0f8fad5b-d9cb-469f-a165-70867728950e");
  CHECK(p["createdAt"] == "2023-03-04T04:06:07.000Z");
  json got = api.ok("products.get", {{"id", "0f8fad5b-d9cb-469f-a165-70867728950e"}});
  CHECK(got["createdAt"] == "2023-03-04T04:06:07.000Z");
}
