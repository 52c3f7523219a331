// The sync engine's rules that keep every write and survive a hostile
// server: cascades left to the server, overwritten writes reported, pulled
// rows checked like data-API input and parked when bad, tombstones of
// parents applied to their children, resets that keep what is not known to
// be gone, pushes split when refused as too large, client ids unique per
// copy, clocks bounded.
#include "api/session.hpp"
#include "campaign_store/dispatcher.hpp"
#include "sync/model_tables.hpp"
#include "model/schema.hpp"
#include "sync/sync.hpp"
#include "model/migrations.hpp"
#include "sync_test_support.hpp"

#include <catch2/catch.hpp>

#include <string>

using cs::Database;
using cs::json;
using cs::Statement;
namespace sync = cs::sync;

namespace {

const char* kUser = "11111111-1111-4111-8111-111111111111";

using sync_test::applied_all;
using sync_test::soon;

json remote(const std::string& table, const std::string& id, const std::string& clock, json row, bool deleted = false) {
  return sync_test::remote(table, id, clock, std::move(row), kUser, deleted);
}

json page(json changes, const char* cursor = "c1", bool has_more = false) {
  return {{"changes", std::move(changes)}, {"cursor", cursor}, {"has_more", has_more}};
}

// page({row}): always an array of rows. Through `json changes` a one-element
// braced list is a copy of that row under clang (CWG 2137) and an array
// under GCC; this overload is chosen for every braced list.
json page(std::initializer_list<json> changes, const char* cursor = "c1", bool has_more = false) {
  return page(json(json::array_t(changes)), cursor, has_more);
}

// An engine on a migrated database: the toy tables below, or the model's.
struct Engine {
  Database db;
  std::unique_ptr<sync::Engine> engine;
  explicit Engine(std::vector<sync::TableSpec> tables, const char* schema = "") {
    cs::schema::migrate(db);
    db.exec(schema);
    engine = std::make_unique<sync::Engine>(db, std::move(tables));
    engine->install();
    engine->configure({{"userId", kUser}});
  }
  std::int64_t count(const std::string& sql) { return sync_test::count(db, sql); }
  std::string text(const std::string& sql) { return sync_test::text(db, sql); }
  json next() { return engine->next_request(); }
  json respond(const json& request, int status, const json& body) {
    return sync_test::respond(*engine, request, status, body);
  }
  // Starts a cycle and answers its pushes `applied`; returns the first pull.
  json push_all() {
    engine->begin();
    json r = next();
    while (r["kind"] == "push") {
      respond(r, 200, applied_all(r));
      r = next();
    }
    REQUIRE(r["kind"] == "pull");
    return r;
  }
};

std::vector<sync::TableSpec> family() {
  return {
      {"parent", {{"id"}, {"name"}, {"note"}, {"hlc"}}},
      {"child", {{"id"}, {"parent_id"}, {"note"}, {"hlc"}}},
      {"link", {{"id"}, {"parent_id"}, {"note"}, {"hlc"}}},
      {"owned", {{"id"}, {"parent_id"}, {"note"}, {"hlc"}}, false, {"parent"}},
  };
}

const char* kFamily =
    "CREATE TABLE parent(id TEXT PRIMARY KEY, name TEXT, note TEXT, hlc TEXT);"
    "CREATE TABLE child(id TEXT PRIMARY KEY, parent_id TEXT REFERENCES parent(id) ON DELETE CASCADE, note TEXT, hlc TEXT);"
    "CREATE TABLE link(id TEXT PRIMARY KEY, parent_id TEXT REFERENCES parent(id) ON DELETE SET NULL, note TEXT, hlc TEXT);"
    "CREATE TABLE owned(id TEXT PRIMARY KEY, parent_id TEXT REFERENCES parent(id) ON DELETE CASCADE, note TEXT, hlc TEXT);";

// The same checks a model database gets from the data API's descriptors.
struct Model : Engine {
  Model() : Engine(cs::sync::model_tables()) {}
};

const char* kProduct = "5b0c0000-0000-4000-8000-000000000001";
const char* kImage = "9e210000-0000-4000-8000-000000000002";
const char* kCampaign = "ca000000-0000-4000-8000-000000000003";

}  // namespace

TEST_CASE("capture: an update records the columns it changed; a cascade the server applies itself is not captured") {
  Engine e(family(), kFamily);
  e.db.exec("INSERT INTO parent(id, name, note) VALUES ('p', 'n', 'x');"
            "INSERT INTO child(id, parent_id) VALUES ('c', 'p');"
            "INSERT INTO link(id, parent_id, note) VALUES ('l', 'p', 'keep');"
            "INSERT INTO owned(id, parent_id) VALUES ('o', 'p');"
            "UPDATE parent SET note = 'y' WHERE id = 'p';");
  CHECK(e.text("SELECT changed FROM sync_outbox WHERE row_id = 'p' ORDER BY mutation_id DESC LIMIT 1") == "|note|");
  CHECK(e.text("SELECT changed FROM sync_outbox WHERE row_id = 'c'") == "<null>");
  e.db.exec("DELETE FROM sync_outbox");

  e.db.exec("DELETE FROM parent WHERE id = 'p'");
  // The parent's delete, and the cascade through the key the server lacks.
  CHECK(e.text("SELECT group_concat(row_id || ':' || op, ',') FROM (SELECT * FROM sync_outbox ORDER BY mutation_id)") ==
        "o:delete,p:delete");
  CHECK(e.text("SELECT parent_id FROM link WHERE id = 'l'") == "<null>");  // SET NULL did happen here
  CHECK(e.count("SELECT count(*) FROM sync_cascade") == 0);

  // A reference cleared by the user is a write like any other.
  e.db.exec("INSERT INTO parent(id) VALUES ('q'); UPDATE link SET parent_id = 'q' WHERE id = 'l';");
  e.db.exec("DELETE FROM sync_outbox; UPDATE link SET parent_id = NULL WHERE id = 'l';");
  CHECK(e.text("SELECT changed FROM sync_outbox WHERE row_id = 'l'") == "|parent_id|");
}

TEST_CASE("a child's pending edit survives its parent's local delete: pushed from its last state, it wins if the delete loses") {
  Engine e(family(), kFamily);
  e.db.exec("INSERT INTO parent(id, name) VALUES ('p', 'n'); INSERT INTO child(id, parent_id, note) VALUES ('c', 'p', 'v1');");
  e.respond(e.push_all(), 200, page(json::array()));
  e.db.exec("UPDATE child SET note = 'edited' WHERE id = 'c'; DELETE FROM parent WHERE id = 'p';");
  CHECK(e.count("SELECT count(*) FROM child") == 0);
  CHECK(e.count("SELECT count(*) FROM sync_stash WHERE row_id = 'c'") == 1);
  e.engine->begin();
  json push = e.next();
  REQUIRE(push["kind"] == "push");
  json child;
  json parent;
  for (const auto& c : push["body"]["changes"]) (c["id"] == "c" ? child : parent) = c;
  REQUIRE(child.is_object());
  CHECK(child["op"] == "upsert");
  CHECK(child["row"]["note"] == "edited");
  CHECK(child["row"]["parent_id"] == "p");
  CHECK(parent["op"] == "delete");
  // The parent's delete loses to another device's newer write of it.
  json parent_row{{"id", "p"}, {"user_id", kUser}, {"name", "kept"}, {"hlc", soon(5000)}, {"deleted", false}};
  json results = json::array({{{"mutation_id", parent["mutation_id"]}, {"status", "superseded"}, {"row", parent_row}},
                              {{"mutation_id", child["mutation_id"]}, {"status", "applied"}}});
  e.respond(push, 200, {{"results", results}});
  CHECK(e.count("SELECT count(*) FROM sync_stash") == 0);
  CHECK(e.count("SELECT count(*) FROM sync_outbox") == 0);
  CHECK(e.text("SELECT name FROM parent") == "kept");
  // The children the local cascade removed come back with a full pull.
  json pull = e.next();
  REQUIRE(pull["kind"] == "pull");
  CHECK(pull["body"]["cursor"].is_null());
}

TEST_CASE("an acknowledged write that a newer write replaced without it is reported as a conflict") {
  Engine e(family(), kFamily);
  e.db.exec("INSERT INTO parent(id, name, note) VALUES ('a', 'n', 'x'), ('b', 'n', 'x'), ('d', 'n', 'x')");
  e.respond(e.push_all(), 200, page(json::array()));
  e.db.exec("UPDATE parent SET name = 'mine' WHERE id IN ('a', 'b'); DELETE FROM parent WHERE id = 'd';");
  json pull = e.push_all();
  CHECK(e.count("SELECT count(*) FROM sync_acked") == 3);
  // a: another device wrote only `note`, having seen our name (it kept it);
  // b: another device wrote the whole row from before our edit;
  // d: another device's newer write brought back the row we deleted.
  json summary = e.respond(pull, 200, page({remote("parent", "a", soon(1000), {{"id", "a"}, {"name", "mine"}, {"note", "theirs"}}),
                                            remote("parent", "b", soon(1000), {{"id", "b"}, {"name", "n"}, {"note", "theirs"}}),
                                            remote("parent", "d", soon(1000), {{"id", "d"}, {"name", "n"}, {"note", "back"}})}));
  CHECK(summary["applied"] == 3);
  REQUIRE(summary["conflicts"].size() == 2);
  CHECK(summary["conflicts"][0]["id"] == "b");
  CHECK(summary["conflicts"][0]["winner"] == "remote");
  CHECK(summary["conflicts"][0]["local"]["name"] == "mine");
  CHECK(summary["conflicts"][1]["id"] == "d");
  CHECK(e.count("SELECT count(*) FROM sync_conflicts") == 2);
  // Reported ones are forgotten; a's edit is still held, and watched.
  CHECK(e.text("SELECT group_concat(row_id || ':' || returned) FROM sync_acked") == "a:1");
  // Our own write coming back is no conflict.
  e.db.exec("UPDATE parent SET note = 'again' WHERE id = 'a'");
  pull = e.push_all();
  const std::string clock = e.text("SELECT hlc FROM sync_acked WHERE row_id = 'a'");
  summary = e.respond(pull, 200, page({remote("parent", "a", clock, {{"id", "a"}, {"name", "mine"}, {"note", "again"}})}));
  CHECK(summary["conflicts"].empty());
  // A later write that keeps it is none either; one that loses it, even
  // two pulls later, is.
  summary = e.respond(e.push_all(), 200, page({remote("parent", "a", soon(2000), {{"id", "a"}, {"name", "mine"}, {"note", "again"}, {"extra", 1}})}));
  CHECK(summary["conflicts"].empty());
  summary = e.respond(e.push_all(), 200, page({remote("parent", "a", soon(3000), {{"id", "a"}, {"name", "mine"}, {"note", "old"}})}));
  REQUIRE(summary["conflicts"].size() == 1);
  CHECK(summary["conflicts"][0]["id"] == "a");
}

TEST_CASE("a pending change the pull brings back with its own clock is acknowledged, not a conflict") {
  Engine e(family(), kFamily);
  e.db.exec("INSERT INTO parent(id, name) VALUES ('p', 'x')");
  e.engine->begin();
  json push = e.next();
  const std::string clock = push["body"]["changes"][0]["hlc"];
  e.respond(push, 0, nullptr);                      // the answer was lost...
  e.respond(e.next(), 200, {{"results", json::array()}});
  json summary = e.respond(e.next(), 200, page({remote("parent", "p", clock, {{"id", "p"}, {"name", "x"}})}));
  CHECK(summary["conflicts"].empty());              // ...but the server has it
  CHECK(e.engine->status()["pending"] == 0);
  CHECK(e.text("SELECT hlc FROM sync_acked WHERE row_id = 'p'") == clock);
}

TEST_CASE("pulled rows are checked like data-API input; what fails is parked and the cursor moves on") {
  Model m;
  const std::string ok = soon(0);
  json bad = json::array({
      remote("products", "p-long", ok, {{"id", "p-long"}, {"name", std::string(256, 'x')}}),
      remote("products", "p-empty", ok, {{"id", "p-empty"}, {"name", ""}}),
      remote("products", "p-null", ok, {{"id", "p-null"}, {"name", nullptr}}),
      remote("products", "p-price", ok, {{"id", "p-price"}, {"name", "x"}, {"price", "1.234"}}),
      remote("products", "p-json", ok, {{"id", "p-json"}, {"name", "x"}, {"metadata", 5}}),
      remote("products", "p-other", ok, {{"id", "p-other"}, {"name", "x"}, {"user_id", "22222222-2222-4222-8222-222222222222"}}),
      remote("products", std::string(65, 'i'), ok, {{"name", "x"}}),
      remote("products", "p-clock", soon(3LL * 24 * 3600 * 1000), {{"id", "p-clock"}, {"name", "x"}}),
      remote("products", "p-hlc", "yesterday", {{"id", "p-hlc"}, {"name", "x"}}),
      remote("campaigns", "c-status", ok, {{"id", "c-status"}, {"name", "c"}, {"status", "bogus"}}),
      remote("campaigns", "c-time", ok, {{"id", "c-time"}, {"name", "c"}, {"starts_at", "tomorrow"}}),
      remote("creatives", "cr-width", ok, {{"id", "cr-width"}, {"width", 0}}),
      json("not a change"),
  });
  json good = remote("products", kProduct, ok, {{"id", kProduct}, {"name", "fine"}, {"price", 19.5},
                                                {"created_at", "2024-05-01T14:00:00+02:00"}});
  bad.push_back(good);
  m.engine->begin();
  json summary = m.respond(m.next(), 200, page(bad, "after-bad"));
  CHECK(summary["applied"] == 1);
  CHECK(summary["parked"] == 13);
  CHECK(m.count("SELECT count(*) FROM sync_rejected WHERE source = 'pull'") == 13);
  CHECK(m.count("SELECT count(*) FROM products") == 1);
  CHECK(m.text("SELECT created_at FROM products") == "2024-05-01T12:00:00.000Z");  // the one timestamp format
  CHECK(m.text("SELECT price FROM products") == "1950");
  CHECK(m.text("SELECT code FROM sync_rejected WHERE row_id = 'p-other'") == "UNAUTHORIZED");
  CHECK(m.text("SELECT message FROM sync_rejected WHERE row_id = 'p-long'").find("name") != std::string::npos);
  CHECK(m.text("SELECT message FROM sync_rejected WHERE row_id = 'p-clock'").find("ahead") != std::string::npos);
  // The next pull starts after the bad page: it is not fetched forever.
  m.engine->begin();
  json again = m.next();
  REQUIRE(again["kind"] == "pull");
  CHECK(again["body"]["cursor"] == "after-bad");
  // A later, valid version of a parked row replaces it and clears its entry.
  m.respond(again, 200, page({remote("products", "p-long", soon(10), {{"id", "p-long"}, {"name", "short now"}})}, "c3"));
  CHECK(m.count("SELECT count(*) FROM sync_rejected WHERE row_id = 'p-long'") == 0);
  CHECK(m.count("SELECT count(*) FROM products") == 2);
}

TEST_CASE("a pulled JSON document keeps every digit of an integer no double holds; its kind is still checked") {
  // The data API refuses such an integer from JS (JSON.parse would change it
  // on the way back); raw SQL on another device can still write one, and
  // every device must then hold the same row.
  Model m;
  const std::string ok = soon(0);
  json metadata = {{"big", std::uint64_t{1152921504606846977u}},
                   {"list", json::array({std::int64_t{-1152921504606846977}, 0.5})}};
  m.engine->begin();
  json summary = m.respond(m.next(), 200,
                           page({remote("products", "p-big", ok, {{"id", "p-big"}, {"name", "x"}, {"metadata", metadata}}),
                                 remote("products", "p-kind", ok, {{"id", "p-kind"}, {"name", "x"}, {"metadata", {1, 2}}})}));
  CHECK(summary["applied"] == 1);
  CHECK(summary["parked"] == 1);
  CHECK(m.text("SELECT metadata FROM products WHERE id = 'p-big'") ==
        R"({"big":1152921504606846977,"list":[-1152921504606846977,0.5]})");
  CHECK(m.text("SELECT message FROM sync_rejected WHERE row_id = 'p-kind'").find("metadata") != std::string::npos);
}

TEST_CASE("a JSON value nested too deep for this device costs only its own change") {
  Model m;
  std::string deep;
  for (int i = 0; i < 1500; ++i) deep += "[";
  for (int i = 0; i < 1500; ++i) deep += "]";
  const std::string ok = soon(0);
  const std::string text = "{\"changes\":[{\"table\":\"products\",\"id\":\"deep\",\"hlc\":\"" + ok +
                           "\",\"deleted\":false,\"row\":{\"id\":\"deep\",\"user_id\":\"" + kUser +
                           "\",\"name\":\"d\",\"metadata\":{\"x\":" + deep + "}}},"
                           "{\"table\":\"products\",\"id\":\"" + kProduct + "\",\"hlc\":\"" + ok +
                           "\",\"deleted\":false,\"row\":{\"id\":\"" + kProduct + "\",\"user_id\":\"" + kUser +
                           "\",\"name\":\"fine\"}}],\"cursor\":\"c9\",\"has_more\":false}";
  m.engine->begin();
  json pull = m.next();
  json summary = m.engine->apply_response({{"id", pull["id"]}, {"status", 200}, {"text", text}});
  CHECK(summary["applied"] == 1);
  CHECK(summary["parked"] == 1);
  CHECK(m.text("SELECT message FROM sync_rejected WHERE row_id = 'deep'").find("nested deeper") != std::string::npos);
  CHECK(m.text("SELECT value FROM sync_state WHERE key = 'cursor'") == "c9");
}

TEST_CASE("a parent's tombstone without its children's leaves no row without its parent") {
  Model m;
  const std::string t0 = soon(0);
  m.engine->begin();
  m.respond(m.next(), 200, page({remote("products", kProduct, t0, {{"id", kProduct}, {"name", "p"}}),
                                 remote("product_images", kImage, t0, {{"id", kImage}, {"product_id", kProduct}, {"url", "https://x/1.png"}}),
                                 remote("campaigns", kCampaign, t0, {{"id", kCampaign}, {"name", "c"}, {"product_id", kProduct}})}));
  m.engine->begin();
  json summary = m.respond(m.next(), 200, page({remote("products", kProduct, soon(5), nullptr, true)}, "c2"));
  CHECK(summary["applied"] == 1);
  CHECK(m.count("SELECT count(*) FROM product_images") == 0);
  CHECK(m.text("SELECT product_id FROM campaigns") == "<null>");
  CHECK(m.count("SELECT count(*) FROM pragma_foreign_key_check") == 0);
  CHECK(m.engine->status()["pending"] == 0);  // applied, not captured

  // A live child of a parent this device never gets: parked at the end of the pull.
  m.engine->begin();
  summary = m.respond(m.next(), 200, page({remote("product_images", "orphan", soon(6),
                                                  {{"id", "orphan"}, {"product_id", "gone-product"}, {"url", "https://x/2.png"}})}, "c3"));
  CHECK(summary["orphans"] == 1);
  CHECK(m.count("SELECT count(*) FROM product_images") == 0);
  CHECK(m.count("SELECT count(*) FROM sync_rejected WHERE row_id = 'orphan' AND code = 'CONSTRAINT'") == 1);
  CHECK(m.count("SELECT count(*) FROM pragma_foreign_key_check") == 0);
}

TEST_CASE("a reset with an empty page keeps rows with pending changes, rows just pushed, and what they reference") {
  Engine e(family(), kFamily);
  e.db.exec("INSERT INTO parent(id, name) VALUES ('synced', 'a'), ('referenced', 'b')");
  e.respond(e.push_all(), 200, page({remote("parent", "synced", soon(0), {{"id", "synced"}, {"name", "a"}}),
                                     remote("parent", "referenced", soon(0), {{"id", "referenced"}, {"name", "b"}})}));
  CHECK(e.count("SELECT count(*) FROM sync_acked WHERE NOT returned") == 0);  // both came back
  e.db.exec("INSERT INTO child(id, parent_id) VALUES ('pending-child', 'referenced');"
            "INSERT INTO parent(id, name) VALUES ('pushed-now', 'c')");
  e.engine->begin();
  json push = e.next();
  REQUIRE(push["kind"] == "push");
  // Only `pushed-now` is acknowledged; the child's push is not answered.
  json results = json::array();
  for (const auto& c : push["body"]["changes"])
    if (c["id"] == "pushed-now") results.push_back({{"mutation_id", c["mutation_id"]}, {"status", "applied"}});
  e.respond(push, 200, {{"results", results}});
  json pull = e.next();
  while (pull["kind"] == "push") {
    e.respond(pull, 200, {{"results", json::array()}});
    pull = e.next();
  }
  REQUIRE(pull["kind"] == "pull");
  json summary = e.respond(pull, 200, {{"changes", json::array()}, {"cursor", "c2"}, {"has_more", false}, {"reset", true}});
  CHECK(summary["swept"] == 1);  // only `synced`
  CHECK(e.text("SELECT group_concat(id, ',') FROM (SELECT id FROM parent ORDER BY id)") == "pushed-now,referenced");
  CHECK(e.count("SELECT count(*) FROM child") == 1);
  CHECK(e.count("SELECT count(*) FROM pragma_foreign_key_check") == 0);
}

TEST_CASE("a push refused as too large is halved until the change that causes it goes alone, then kept as rejected") {
  Engine e(family(), kFamily);
  e.db.exec("INSERT INTO parent(id, name) VALUES ('a', '1'), ('b', '2'), ('huge', '3'), ('d', '4')");
  e.engine->begin();
  json push = e.next();
  REQUIRE(push["body"]["changes"].size() == 4);
  int refused = 0;
  for (; push["kind"] == "push" && refused < 10; push = e.next()) {
    bool has_huge = false;
    for (const auto& c : push["body"]["changes"]) has_huge = has_huge || c["id"] == "huge";
    if (has_huge) {
      ++refused;
      e.respond(push, 413, {{"code", "PGRST413"}, {"message", "Payload too large"}});
    } else {
      e.respond(push, 200, applied_all(push));
    }
  }
  CHECK(refused == 3);  // 4 changes, then 2, then 1
  CHECK(e.count("SELECT count(*) FROM sync_outbox") == 0);
  CHECK(e.text("SELECT row_id || ' ' || source || ' ' || code FROM sync_rejected") == "huge push INVALID_ARGUMENT");
  CHECK(e.text("SELECT message FROM sync_rejected").find("413") != std::string::npos);
}

TEST_CASE("a mutation id the server knows with another payload moves the database to a new client id") {
  Engine e(family(), kFamily);
  const std::string before = e.engine->status()["clientId"];
  e.db.exec("INSERT INTO parent(id, name) VALUES ('p', 'x')");
  e.engine->begin();
  json push = e.next();
  json summary = e.respond(push, 200, {{"results", {{{"mutation_id", push["body"]["changes"][0]["mutation_id"]},
                                                     {"status", "rejected"}, {"code", "CONFLICT"},
                                                     {"reason", "mutation_id_reused"}, {"message", "used"}}}}});
  const std::string after = e.engine->status()["clientId"];
  CHECK(after != before);
  CHECK(summary["newClientId"] == after);
  CHECK(e.count("SELECT count(*) FROM sync_rejected") == 0);
  json again = e.next();  // the same change, under the new id, in the same cycle
  REQUIRE(again["kind"] == "push");
  CHECK(again["body"]["client_id"] == after);
  CHECK(again["body"]["changes"][0]["id"] == "p");
  CHECK(e.text("SELECT value FROM sync_state WHERE key = 'client_id'") == after);
}

TEST_CASE("a copy of a database gets a new client id, so its mutation ids are never the original's") {
  Engine e(family(), kFamily);
  const std::string original = e.engine->status()["clientId"];
  sync::Engine::forget_identity(e.db);
  e.engine = std::make_unique<sync::Engine>(e.db, family());
  e.engine->install();
  CHECK(e.engine->status()["clientId"] != original);
}

TEST_CASE("clocks: a far-future one from the server is never observed; stamps keep their width; a poisoned device recovers") {
  SECTION("pulled far-future clocks are parked, local stamps stay near the wall clock") {
    Engine e(family(), kFamily);
    e.engine->begin();
    e.respond(e.next(), 200, page({remote("parent", "p", "9999999999999-99999-evil", {{"id", "p"}, {"name", "x"}})}));
    CHECK(e.count("SELECT count(*) FROM parent") == 0);
    e.db.exec("INSERT INTO parent(id, name) VALUES ('mine', 'x')");
    const std::string stamp = e.text("SELECT hlc FROM sync_outbox");
    CHECK(stamp < soon(60'000));
    REQUIRE(cs::HlcStamp::parse(stamp));
    CHECK(cs::HlcStamp::parse(stamp)->node == e.engine->status()["clientId"]);
  }
  SECTION("the largest stamp the format holds is the last one") {
    cs::Hlc clock("n", {cs::Hlc::kMaxWallMs, cs::Hlc::kMaxCounter - 1, "n"});
    CHECK(clock.tick(cs::Hlc::kMaxWallMs + 5) == "9999999999999-99999-n");
    CHECK_THROWS_AS(clock.tick(0), cs::Error);
  }
  SECTION("a database whose clock an older version poisoned re-stamps its changes at open") {
    Database db;
    cs::schema::migrate(db);
    db.exec(kFamily);
    db.exec("INSERT INTO sync_state VALUES ('hlc_high', '9999999999998-00000-old');"
            "INSERT INTO sync_outbox(table_name, row_id, op, hlc) VALUES ('parent', 'p', 'upsert', '9999999999998-00001-old');"
            "INSERT INTO parent(id, name) VALUES ('p', 'x'), ('r', 'refused');");
    // Refused by the server for its clock, an hour after it was refused.
    db.cached("INSERT INTO sync_rejected(source, mutation_id, table_name, row_id, op, hlc, code, message, rejected_at) "
              "VALUES ('push', 7, 'parent', 'r', 'upsert', ?, 'INVALID_ARGUMENT', 'hlc ahead', '2024-01-01T00:00:00.000Z')")
        .bind(1, std::string_view("9999999999998-00002-old")).run();
    sync::Engine engine(db, family());
    engine.install();
    Statement q(db, "SELECT row_id, hlc, mutation_id FROM sync_outbox ORDER BY mutation_id");
    std::vector<std::string> rows;
    while (q.step()) {
      CHECK(q.column_text(1) < soon(60'000));
      rows.push_back(q.column_text(0));
    }
    CHECK(rows == std::vector<std::string>{"p", "r"});
    Statement rejected(db, "SELECT count(*) FROM sync_rejected");
    rejected.step();
    CHECK(rejected.column_int(0) == 0);
  }
}

TEST_CASE("store: the owner's row is not captured at sign-in; health is not ok with a row missing its parent") {
  cs::Dispatcher d;
  auto call = [&](const char* op, const json& args = json::object()) { return sync_test::call_ok(d, op, args); };
  call("open");
  call("sync.configure", {{"userId", kUser}});
  CHECK(call("sync.status")["pending"] == 0);
  CHECK(call("sql.query", {{"sql", "SELECT count(*) AS n FROM users"}})["rows"][0]["n"] == 1);
  CHECK(call("health")["ok"] == true);
  call("sql.exec", {{"sql", "PRAGMA foreign_keys = OFF"}});
  call("sql.exec", {{"sql", "INSERT INTO product_images(id, product_id, url) VALUES ('o', 'missing', 'u')"}});
  call("sql.exec", {{"sql", "PRAGMA foreign_keys = ON"}});
  json health = call("health");
  CHECK(health["ok"] == false);
  CHECK(health["foreignKeyViolations"] == 1);
}

TEST_CASE("a database of schema 5, with the sync tables and triggers an older engine made, upgrades keeping its sync state") {
  Database db;
  const auto& all = cs::schema::migrations();
  cs::schema::migrate(db, {all.begin(), all.begin() + 5});
  // What the engine of schema 5 created at open, and some state in it.
  db.exec(R"sql(
    CREATE TABLE sync_state(key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE sync_outbox(mutation_id INTEGER PRIMARY KEY AUTOINCREMENT, table_name TEXT NOT NULL,
      row_id TEXT NOT NULL, op TEXT NOT NULL CHECK (op IN ('upsert', 'delete')), hlc TEXT NOT NULL,
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')));
    CREATE TABLE sync_rejected(mutation_id INTEGER PRIMARY KEY, table_name TEXT NOT NULL, row_id TEXT NOT NULL,
      op TEXT NOT NULL, hlc TEXT NOT NULL, code TEXT, message TEXT, row TEXT,
      rejected_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')));
    CREATE TRIGGER sync_capture_products_update AFTER UPDATE ON products BEGIN
      INSERT INTO sync_outbox(table_name, row_id, op, hlc) VALUES ('products', NEW.id, 'upsert', 'old'); END;
    INSERT INTO sync_state VALUES ('client_id', 'c0ffee'), ('user_id', '11111111-1111-4111-8111-111111111111');
    INSERT INTO users(id) VALUES ('11111111-1111-4111-8111-111111111111');
    INSERT INTO products(id, name) VALUES ('p', 'x');
    INSERT INTO sync_outbox(table_name, row_id, op, hlc) VALUES ('products', 'p', 'upsert', '0000000000001-00000-c0ffee');
    INSERT INTO sync_rejected(mutation_id, table_name, row_id, op, hlc, code, message)
      VALUES (41, 'products', 'q', 'upsert', '0000000000001-00000-c0ffee', 'CONSTRAINT', 'why');
  )sql");
  CHECK(cs::schema::migrate(db) == cs::schema::current_version());
  sync::Engine engine(db, cs::sync::model_tables());
  engine.install();
  CHECK(engine.status()["clientId"] == "c0ffee");
  CHECK(engine.status()["pending"] == 1);
  Statement rejected(db, "SELECT source, mutation_id, code, message FROM sync_rejected");
  REQUIRE(rejected.step());
  CHECK(rejected.column_text(0) == "push");
  CHECK(rejected.column_int(1) == 41);
  CHECK(rejected.column_text(3) == "why");
  // The capture trigger is the new one: it says what changed.
  db.exec("UPDATE products SET brand = 'b' WHERE id = 'p'");
  Statement changed(db, "SELECT changed, hlc FROM sync_outbox ORDER BY mutation_id DESC LIMIT 1");
  REQUIRE(changed.step());
  CHECK(changed.column_text(0) == "|brand|");
  CHECK(changed.column_text(1) != "old");
}
