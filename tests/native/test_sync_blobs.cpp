// Blob uploads of the sans-I/O sync engine (src/sync/blobs.cpp), against a
// small schema of its own in an in-memory database: which request comes
// next, how each answer is applied, and what survives a restart.
#include "api/session.hpp"
#include "campaign_store/dispatcher.hpp"
#include "blobs/blob_store.hpp"
#include "model/schema.hpp"
#include "sync/sync.hpp"
#include "vfs/transfer.hpp"
#include "sync_test_support.hpp"

#include <catch2/catch.hpp>

#include <cstring>
#include <memory>
#include <tuple>
#include <string>

using cs::Database;
using cs::json;
using cs::Statement;
namespace sync = cs::sync;

namespace {

std::vector<sync::TableSpec> toy_tables() {
  return {
      {"image", {{"id"}, {"url"}, {"storage_path"}, {"note"}}},
      {"asset", {{"id"}, {"image_id"}, {"url"}, {"storage_path"}}},
  };
}

std::vector<sync::BlobColumn> toy_blobs() {
  return {{"image", "url", "storage_path", "images"}, {"asset", "url", "storage_path", "assets"}};
}

// Besides the schema migrations (the sync tables, `blobs`).
const char* kSchema =
    "CREATE TABLE image(id TEXT PRIMARY KEY, url TEXT, storage_path TEXT, note TEXT);"
    "CREATE TABLE asset(id TEXT PRIMARY KEY, image_id TEXT REFERENCES image(id), url TEXT, storage_path TEXT);";

const char* kUrl = "http://sb.test";

struct Fixture {
  Database db;
  std::unique_ptr<sync::Engine> engine;
  explicit Fixture(bool with_url = true, const char* before_install = "") {
    cs::schema::migrate(db);
    db.exec(kSchema);
    db.exec(before_install);
    start(with_url);
  }
  void start(bool with_url = true) {
    engine.reset();
    engine = std::make_unique<sync::Engine>(db, toy_tables(), toy_blobs());
    engine->install();
    json args{{"userId", "user-a"}};
    if (with_url) args["url"] = std::string(kUrl) + "/";  // a trailing slash is dropped
    engine->configure(args);
  }
  // A process restart: a fresh engine (no memory of the last one) on the same data.
  void restart() { start(true); }

  std::string put(const std::string& bytes, const char* mime = "image/png") {
    return cs::blobs::put(db, reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), mime).hash;
  }
  std::int64_t count(const std::string& sql) { return sync_test::count(db, sql); }
  std::string text(const std::string& sql) { return sync_test::text(db, sql); }
  json next() { return engine->next_request(); }
  json respond(const json& request, int status, const json& body) {
    return sync_test::respond(*engine, request, status, body);
  }
  json status() { return engine->status(); }
  // Answers every request of the cycle: uploads 200, pushes applied, pulls empty.
  int finish_cycle() {
    int uploads = 0;
    for (json r = next(); r["kind"] != "idle"; r = next()) {
      if (r["kind"] == "upload") {
        ++uploads;
        respond(r, 200, {{"Key", "k"}, {"Id", "i"}});
      } else if (r["kind"] == "push") {
        respond(r, 200, sync_test::applied_all(r));
      } else {
        respond(r, 200, {{"changes", json::array()}, {"cursor", "c"}, {"has_more", false}});
      }
    }
    return uploads;
  }
};

std::string blob_ref(const std::string& hash, const char* label = "image/png") {
  return "blob:sha256:" + hash + "#" + label;
}

json change_of(const json& push, const std::string& id) {
  for (const auto& c : push["body"]["changes"])
    if (c["id"] == id) return c;
  return nullptr;
}

const json kCreated{{"Key", "images/user-a/x"}, {"Id", "00000000-0000-0000-0000-000000000000"}};

}  // namespace

TEST_CASE("a referenced blob is uploaded before any push, at its content-hash path") {
  Fixture f;
  const std::string hash = f.put("\x89PNG fake bytes");
  f.db.exec(("INSERT INTO image(id, note) VALUES ('plain', 'no image');"
             "INSERT INTO image(id, url, note) VALUES ('i1', '" + blob_ref(hash) + "', 'x')").c_str());
  CHECK(f.status()["blobsPending"] == 1);

  f.engine->begin();
  json up = f.next();
  REQUIRE(up["kind"] == "upload");
  CHECK(up["method"] == "POST");
  CHECK(up["path"] == "/storage/v1/object/images/user-a/" + hash);
  CHECK(up["headers"]["content-type"] == "image/png");
  CHECK(up["headers"]["x-upsert"] == "false");
  CHECK(up["blob"]["hash"] == hash);
  CHECK(up["blob"]["size"] == 15);
  CHECK(up["blob"]["storagePath"] == "user-a/" + hash);
  const std::string public_url = std::string(kUrl) + "/storage/v1/object/public/images/user-a/" + hash;
  CHECK(up["blob"]["publicUrl"] == public_url);

  const std::string written = f.text("SELECT hlc FROM sync_outbox WHERE row_id = 'i1'");
  json done = f.respond(up, 200, kCreated);
  CHECK(done["acknowledged"] == 1);
  CHECK(done["rewritten"] == 1);
  CHECK(f.text("SELECT url FROM image WHERE id = 'i1'") == public_url);
  CHECK(f.text("SELECT storage_path FROM image WHERE id = 'i1'") == "user-a/" + hash);
  CHECK(f.text("SELECT state FROM sync_blobs") == "acknowledged");
  CHECK(f.status()["blobsPending"] == 0);

  // The push carries the path and the public URL with the row's pending
  // change, at its clock: the rewrite never outranks a later write of
  // another device (a delete of the row, say).
  json push = f.next();
  REQUIRE(push["kind"] == "push");
  json change = change_of(push, "i1");
  REQUIRE(change.is_object());
  CHECK(change["row"]["url"] == public_url);
  CHECK(change["row"]["storage_path"] == "user-a/" + hash);
  CHECK(change["hlc"] == written);
  CHECK(f.count("SELECT count(*) FROM sync_outbox WHERE row_id = 'i1'") == 1);
  CHECK(change_of(push, "plain").is_object());
}

TEST_CASE("one upload per blob and bucket; acknowledged blobs are never uploaded again, restarts included") {
  Fixture f;
  const std::string hash = f.put("shared bytes");
  f.db.exec(("INSERT INTO image(id, url) VALUES ('i1', '" + blob_ref(hash) + "'), ('i2', '" + blob_ref(hash, "image/jpeg") + "');"
             "INSERT INTO asset(id, image_id, url) VALUES ('a1', 'i1', '" + blob_ref(hash) + "')").c_str());
  CHECK(f.status()["blobsPending"] == 2);  // one object per bucket
  f.engine->begin();
  CHECK(f.finish_cycle() == 2);
  CHECK(f.count("SELECT count(*) FROM image WHERE url LIKE 'http://sb.test/storage/v1/object/public/images/user-a/%'") == 2);
  CHECK(f.text("SELECT url FROM asset") == std::string(kUrl) + "/storage/v1/object/public/assets/user-a/" + hash);
  CHECK(f.status()["pending"] == 0);

  f.restart();
  f.db.exec(("INSERT INTO image(id, url) VALUES ('i3', '" + blob_ref(hash) + "')").c_str());
  CHECK(f.status()["blobsPending"] == 0);
  f.engine->begin();
  json push = f.next();
  REQUIRE(push["kind"] == "push");  // no upload: the row is rewritten from the acknowledgement
  CHECK(change_of(push, "i3")["row"]["storage_path"] == "user-a/" + hash);
  CHECK(f.text("SELECT attempts FROM sync_blobs WHERE bucket = 'images'") == "1");
}

TEST_CASE("a lost answer costs one idempotent retry: an existing object is an acknowledgement") {
  Fixture f;
  const std::string hash = f.put("bytes");
  f.db.exec(("INSERT INTO image(id, url) VALUES ('i1', '" + blob_ref(hash) + "')").c_str());
  f.engine->begin();
  json first = f.next();
  CHECK(f.respond(first, 0, nullptr)["retry"] == "backoff");  // the answer never came
  CHECK(f.text("SELECT state || ':' || attempts FROM sync_blobs") == "pending:1");
  json again = f.next();
  REQUIRE(again["kind"] == "upload");
  CHECK(again["path"] == first["path"]);

  json done;
  SECTION("HTTP 409") {
    done = f.respond(again, 409, {{"statusCode", "409"}, {"error", "Duplicate"}, {"message", "The resource already exists"}});
  }
  SECTION("Supabase's HTTP 400 with statusCode 409") {
    done = f.respond(again, 400, {{"statusCode", "409"}, {"error", "Duplicate"}, {"message", "The resource already exists"}});
  }
  CHECK(done["acknowledged"] == 1);
  CHECK(done["duplicate"] == true);
  CHECK(f.text("SELECT state || ':' || attempts FROM sync_blobs") == "acknowledged:2");
  CHECK(f.text("SELECT storage_path FROM image") == "user-a/" + hash);
  const std::int64_t outbox = f.count("SELECT count(*) FROM sync_outbox");
  // The same answer applied twice is refused, and changes nothing.
  CHECK_THROWS_AS(f.respond(again, 200, kCreated), cs::Error);
  CHECK(f.count("SELECT count(*) FROM sync_outbox") == outbox);
  CHECK(f.next()["kind"] == "push");
}

TEST_CASE("a refused upload is kept as rejected with the reason, not retried, and its rows still sync") {
  Fixture f;
  const std::string hash = f.put("not mine to store");
  f.db.exec(("INSERT INTO image(id, url) VALUES ('i1', '" + blob_ref(hash) + "')").c_str());
  f.engine->begin();
  json up = f.next();
  int status = 0;
  json body;
  std::string reason;
  SECTION("403 row-level security") {
    status = 403;
    body = {{"statusCode", "403"}, {"error", "Unauthorized"}, {"message", "new row violates row-level security policy"}};
    reason = "403 Unauthorized: new row violates row-level security policy";
  }
  SECTION("Supabase's 400 with statusCode 403") {
    status = 400;
    body = {{"statusCode", "403"}, {"error", "Unauthorized"}, {"message", "new row violates row-level security policy"}};
    reason = "400 (403) Unauthorized: new row violates row-level security policy";
  }
  SECTION("413 too large") {
    status = 413;
    body = {{"statusCode", "413"}, {"error", "Payload too large"}, {"message", "The object exceeded the maximum allowed size"}};
    reason = "413 Payload too large: The object exceeded the maximum allowed size";
  }
  json result = f.respond(up, status, body);
  CHECK(result["ok"] == true);
  CHECK(result["rejected"] == 1);
  CHECK(f.text("SELECT state FROM sync_blobs") == "rejected");
  CHECK(f.text("SELECT last_error FROM sync_blobs") == reason);
  CHECK(f.status()["blobsRejected"] == 1);
  CHECK(f.status()["blobsPending"] == 0);
  // The row syncs with its local reference; the blob is not offered again.
  json push = f.next();
  REQUIRE(push["kind"] == "push");
  CHECK(change_of(push, "i1")["row"]["url"] == blob_ref(hash));
  f.finish_cycle();
  f.db.exec(("INSERT INTO image(id, url) VALUES ('i2', '" + blob_ref(hash) + "')").c_str());
  f.engine->begin();
  CHECK(f.next()["kind"] == "push");
  CHECK(f.engine->blobs({{"state", "rejected"}})[0]["lastError"] == reason);

  // Until the app asks again.
  CHECK(f.engine->retry_blobs(json::object())["retried"] == 1);
  CHECK(f.status()["blobsPending"] == 1);
  f.engine->begin();
  json retry = f.next();
  REQUIRE(retry["kind"] == "upload");
  CHECK(f.count("SELECT count(*) FROM sync_outbox WHERE row_id = 'i1'") == 0);  // pushed with its reference
  CHECK(f.respond(retry, 200, kCreated)["rewritten"] == 2);
  // i1 was pushed with its reference: the rewrite is a change of its own.
  CHECK(f.count("SELECT count(*) FROM sync_outbox WHERE row_id = 'i1'") == 1);
}

TEST_CASE("token and transient failures of an upload keep it pending and say how to retry") {
  Fixture f;
  const std::string hash = f.put("bytes");
  f.db.exec(("INSERT INTO image(id, url) VALUES ('i1', '" + blob_ref(hash) + "')").c_str());
  f.engine->begin();
  const std::vector<std::tuple<int, json, const char*>> answers = {
      {401, nullptr, "auth"},
      {400, {{"statusCode", "400"}, {"error", "InvalidJWT"}, {"message", "jwt expired"}}, "auth"},
      {400, {{"statusCode", "403"}, {"error", "Unauthorized"}, {"message", "\"exp\" claim timestamp check failed"}}, "auth"},
      {503, {{"message", "Service Unavailable"}}, "backoff"},
      {429, nullptr, "backoff"},
      {0, nullptr, "backoff"},
  };
  for (const auto& [status, body, retry] : answers) {
    json up = f.next();
    REQUIRE(up["kind"] == "upload");
    CHECK(f.respond(up, status, body)["retry"] == retry);
  }
  CHECK(f.text("SELECT state || ':' || attempts || ':' || last_status FROM sync_blobs") == "pending:6:0");
  CHECK(f.status()["blobsPending"] == 1);
  CHECK(f.count("SELECT count(*) FROM image WHERE storage_path IS NOT NULL") == 0);
  CHECK(f.next()["kind"] == "upload");  // and no push went ahead of it
}

TEST_CASE("a blob written during the cycle is uploaded before the next push batch") {
  Fixture f;
  f.engine->configure({{"userId", "user-a"}, {"url", kUrl}, {"pushBatch", 1}});
  f.db.exec("INSERT INTO image(id, note) VALUES ('early', 'x'), ('early2', 'y')");
  f.engine->begin();
  json push = f.next();
  REQUIRE(push["kind"] == "push");
  const std::string hash = f.put("late bytes");
  f.db.exec(("INSERT INTO image(id, url) VALUES ('late', '" + blob_ref(hash) + "')").c_str());
  f.respond(push, 200, {{"results", {{{"mutation_id", push["body"]["changes"][0]["mutation_id"]}, {"status", "applied"}}}}});
  json next = f.next();
  REQUIRE(next["kind"] == "upload");
  CHECK(next["blob"]["hash"] == hash);
}

TEST_CASE("blobs no row needs any more, rows from the server and blobs without bytes are not uploaded") {
  Fixture f;
  const std::string gone = f.put("deleted row's"), moved = f.put("re-pointed row's");
  f.db.exec(("INSERT INTO image(id, url) VALUES ('d', '" + blob_ref(gone) + "'), ('m', '" + blob_ref(moved) + "');"
             "DELETE FROM image WHERE id = 'd';"
             "UPDATE image SET url = 'https://cdn.example/m.png' WHERE id = 'm';"
             "INSERT INTO image(id, url) VALUES ('nobytes', '" + blob_ref(std::string(64, 'a')) + "')").c_str());
  f.engine->begin();
  REQUIRE(f.next()["kind"] == "push");  // nothing to upload
  f.finish_cycle();
  CHECK(f.count("SELECT count(*) FROM sync_blob_refs WHERE hash <> '" + std::string(64, 'a') + "'") == 0);

  // A pulled row referencing a blob we happen to hold is someone else's upload.
  const std::string theirs = f.put("theirs");
  f.engine->begin();
  for (json r = f.next(); r["kind"] != "idle"; r = f.next()) {
    REQUIRE(r["kind"] == "pull");
    f.respond(r, 200, {{"changes", {{{"table", "image"}, {"id", "remote"}, {"hlc", "0000000000001-00000-n"},
                                     {"row", {{"id", "remote"}, {"user_id", "user-a"}, {"url", blob_ref(theirs)}}}}}},
                       {"cursor", "c1"}, {"has_more", false}});
  }
  CHECK(f.status()["blobsPending"] == 0);
  CHECK(f.count("SELECT count(*) FROM sync_blobs") == 0);
}

TEST_CASE("without the project URL nothing is uploaded") {
  Fixture f(false);
  const std::string hash = f.put("bytes");
  f.db.exec(("INSERT INTO image(id, url) VALUES ('i1', '" + blob_ref(hash) + "')").c_str());
  CHECK(f.status()["blobsPending"] == 1);
  f.engine->begin();
  CHECK(f.next()["kind"] == "push");
  CHECK_THROWS_AS(f.engine->configure({{"userId", "user-a"}, {"url", "ftp://nope"}}), cs::Error);
}

TEST_CASE("rows written before the capture triggers existed are found once") {
  // A database of an older version: rows with references, no capture triggers yet.
  const std::string hash(64, 'b');
  const std::string old_rows = "INSERT INTO blobs VALUES ('" + hash + "', x'00', 1, 'image/gif', '2024-01-01');"
                               "INSERT INTO image(id, url) VALUES ('old', 'blob:sha256:" + hash + "#image/gif')";
  Fixture f(true, old_rows.c_str());
  CHECK(f.status()["blobsPending"] == 1);
  f.engine->begin();
  json up = f.next();
  REQUIRE(up["kind"] == "upload");
  CHECK(up["headers"]["content-type"] == "image/gif");
}

TEST_CASE("a row a cascade removed with its change pending still has its blob uploaded, and is pushed rewritten") {
  Database db;
  cs::schema::migrate(db);
  db.exec("CREATE TABLE shelf(id TEXT PRIMARY KEY, name TEXT);"
          "CREATE TABLE pic(id TEXT PRIMARY KEY, shelf_id TEXT REFERENCES shelf(id) ON DELETE CASCADE, url TEXT, storage_path TEXT);");
  sync::Engine engine(db, {{"shelf", {{"id"}, {"name"}}}, {"pic", {{"id"}, {"shelf_id"}, {"url"}, {"storage_path"}}}},
                      {{"pic", "url", "storage_path", "images"}});
  engine.install();
  engine.configure({{"userId", "user-a"}, {"url", kUrl}});
  const std::string hash =
      cs::blobs::put(db, reinterpret_cast<const std::uint8_t*>("pic bytes"), 9, "image/png").hash;
  db.exec(("INSERT INTO shelf VALUES ('s', 'x'); INSERT INTO pic(id, shelf_id, url) VALUES ('p', 's', '" +
           blob_ref(hash) + "'); DELETE FROM shelf WHERE id = 's';").c_str());
  engine.begin();
  json up = engine.next_request();
  REQUIRE(up["kind"] == "upload");
  CHECK(sync_test::respond(engine, up, 200, kCreated)["rewritten"] == 1);
  json push = engine.next_request();
  REQUIRE(push["kind"] == "push");
  json pic = change_of(push, "p");
  REQUIRE(pic.is_object());
  CHECK(pic["row"]["url"] == std::string(kUrl) + "/storage/v1/object/public/images/user-a/" + hash);
  CHECK(pic["row"]["storage_path"] == "user-a/" + hash);
}

TEST_CASE("sync.next stages an upload's bytes for the binary path") {
  cs::Dispatcher d;
  auto call = [&](const char* op, const json& args = json::object()) { return sync_test::call_ok(d, op, args); };
  call("open");
  const std::string bytes = "GIF89a tiny";
  unsigned char* slot = d.session().import_slot().allocate(bytes.size());
  std::memcpy(slot, bytes.data(), bytes.size());
  json put = call("blobs.put", {{"mime", "image/gif"}});
  json product = call("products.create", {{"name", "Shoe"}, {"images", {{{"url", put["ref"]}}}}});
  call("sync.configure", {{"userId", "11111111-1111-4111-8111-111111111111"}, {"url", kUrl}});
  CHECK(call("sync.status")["blobsPending"] == 1);
  call("sync.begin");
  json up = call("sync.next");
  REQUIRE(up["kind"] == "upload");
  CHECK(up["path"] == "/storage/v1/object/product-images/11111111-1111-4111-8111-111111111111/" +
                          put["hash"].get<std::string>());
  const auto& out = d.session().export_slot();
  REQUIRE(out.data() != nullptr);
  CHECK(std::string(reinterpret_cast<const char*>(out.data()), out.size()) == bytes);
  d.session().export_slot().reset();
  json done = call("sync.apply", {{"id", up["id"]}, {"status", 200}, {"body", kCreated}});
  CHECK(done["rewritten"] == 1);
  json image = call("products.get", {{"id", product["id"]}})["images"][0];
  CHECK(image["storagePath"] == "11111111-1111-4111-8111-111111111111/" + put["hash"].get<std::string>());
  CHECK(image["url"].get<std::string>().rfind(std::string(kUrl) + "/storage/v1/object/public/product-images/", 0) == 0);
  CHECK(call("sync.blobs")[0]["state"] == "acknowledged");
}

TEST_CASE("a rollback export after the upload still writes the migrated data: URL back") {
  cs::Dispatcher d;
  auto call = [&](const char* op, const json& args = json::object()) { return sync_test::call_ok(d, op, args); };
  call("open");
  const std::string photo = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
  const std::string bg = "data:image/jpeg;base64,/9j/4AAQSkZJRgABAQAAAQABAAD/";
  const json products = json::array({{{"id", 7}, {"name", "Shoe"},
                                      {"images", {{{"url", photo}, {"isPrimary", true},
                                                   {"backgroundVersions", {{{"url", bg}, {"prompt", "beach"}}}}}}}},
                                     {{"id", 8}, {"name", "Bare"}, {"images", photo}}});
  REQUIRE(call("legacy.import", {{"entries", {{{"key", "products"}, {"value", products.dump()}}}}})["ok"] == true);
  const json options{{"keys", {"products"}}, {"inlineImages", true}};
  const json before = call("legacy.export", options)["entries"];
  REQUIRE(json::parse(before[0]["value"].get<std::string>()) == products);

  call("sync.configure", {{"userId", "u1"}, {"url", kUrl}});
  call("sync.begin");
  int uploads = 0;
  for (json r = call("sync.next"); r["kind"] == "upload"; r = call("sync.next")) {
    ++uploads;
    call("sync.apply", {{"id", r["id"]}, {"status", 200}, {"body", kCreated}});
  }
  d.session().export_slot().reset();
  CHECK(uploads == 2);
  json rows = call("sql.query", {{"sql", "SELECT count(*) AS n FROM product_images WHERE url LIKE 'http://sb.test/storage/v1/object/public/product-images/u1/%'"}});
  CHECK(rows["rows"][0]["n"] == 2);
  CHECK(call("legacy.export", options)["entries"] == before);
}
