// The C API (include/campaign_store/c_api.h), driven as JS drives it: write
// op and arguments into the request buffer, call, read the answer, its
// status, its changes and its blobs from the engine.
#include "campaign_store/c_api.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

using nlohmann::json;

namespace {

struct Answer {
  std::size_t length;
  bool ok;
  json envelope;
  std::string changes;
};

using EnginePtr = std::unique_ptr<cs_engine, decltype(&cs_engine_delete)>;
EnginePtr make_engine() { return EnginePtr(cs_engine_new(), &cs_engine_delete); }

// A request laid out as the C API expects: op, arguments, blob list, bytes.
Answer call(cs_engine* e, const std::string& op, const std::string& args, const std::string& blobs = "",
            const std::string& bytes = "") {
  const std::string all = op + args + blobs + bytes;
  char* buffer = cs_engine_request(e, all.size());
  REQUIRE(buffer != nullptr);
  std::memcpy(buffer, all.data(), all.size());
  Answer a{cs_engine_call(e, op.size(), args.size(), blobs.size(), bytes.size()), cs_engine_ok(e) == 1, {}, {}};
  if (a.length > 0) a.envelope = json::parse(std::string(cs_engine_response(e), a.length));
  a.changes.assign(cs_engine_changes(e), cs_engine_changes_size(e));
  return a;
}

}  // namespace

TEST_CASE("C API: a call answers its envelope, and the status beside it agrees") {
  auto e = make_engine();
  REQUIRE(e);
  Answer pong = call(e.get(), "ping", R"j({"echo":[1,"two"]})j");
  CHECK(pong.ok);
  CHECK(pong.envelope["result"]["echo"] == json::array({1, "two"}));
  CHECK(pong.changes.empty());

  Answer unknown = call(e.get(), "no.such.op", "{}");
  REQUIRE(unknown.length > 0);
  CHECK_FALSE(unknown.ok);
  CHECK(unknown.envelope["error"]["code"] == "NOT_FOUND");

  Answer malformed = call(e.get(), "ping", "{not json");
  CHECK_FALSE(malformed.ok);
  CHECK(malformed.envelope["error"]["code"] == "INVALID_ARGUMENT");
}

TEST_CASE("C API: changed tables are listed beside the answer, one per line") {
  auto e = make_engine();
  REQUIRE(call(e.get(), "open", "{}").ok);
  REQUIRE(call(e.get(), "sql.exec", R"j({"sql":"CREATE TABLE a(x)"})j").ok);
  REQUIRE(call(e.get(), "sql.exec", R"j({"sql":"CREATE TABLE b(x)"})j").ok);
  Answer one = call(e.get(), "sql.exec", R"j({"sql":"INSERT INTO a VALUES (1)"})j");
  CHECK(one.ok);
  CHECK(one.changes == "a");
  Answer two = call(e.get(), "batch",
                    R"j({"ops":[{"op":"sql.exec","args":{"sql":"INSERT INTO b VALUES (1)"}},)j"
                    R"j({"op":"sql.exec","args":{"sql":"INSERT INTO a VALUES (2)"}}]})j");
  CHECK(two.ok);
  CHECK(two.changes == "a\nb");
  Answer failed = call(e.get(), "sql.exec", R"j({"sql":"INSERT INTO nope VALUES (1)"})j");
  CHECK_FALSE(failed.ok);
  CHECK(failed.changes.empty());
}

TEST_CASE("C API: bytes go in after the arguments and come out as blobs") {
  auto e = make_engine();
  REQUIRE(call(e.get(), "open", "{}").ok);
  const std::string bytes("\x00\xff\x10", 3);
  // The placeholder at params[0] receives the first (and only) blob.
  Answer echoed = call(e.get(), "sql.query", R"j({"sql":"SELECT ?1 AS b, x'ab' AS c","params":[null]})j",
                       R"j([[["params",0],3]])j", bytes);
  REQUIRE(echoed.ok);
  REQUIRE(cs_engine_blob_count(e.get()) == 2);
  const std::size_t* spans = cs_engine_blob_spans(e.get());
  const char* base = cs_engine_blob_bytes(e.get());
  CHECK(std::string(base + spans[0], spans[1]) == bytes);
  CHECK(std::string(base + spans[2], spans[3]) == std::string("\xab", 1));
}

TEST_CASE("C API: staged bytes belong to their engine: one engine's blob never reaches another's op") {
  auto a = make_engine();
  auto b = make_engine();
  REQUIRE(call(a.get(), "open", "{}").ok);
  REQUIRE(call(b.get(), "open", "{}").ok);
  CHECK(cs_engine_exported(a.get()) == nullptr);

  // a stages a blob; b, with nothing staged, refuses its put.
  const std::string gif = "GIF89a one";
  unsigned char* in = cs_engine_import_buffer(a.get(), gif.size());
  REQUIRE(in != nullptr);
  std::memcpy(in, gif.data(), gif.size());
  Answer refused = call(b.get(), "blobs.put", "{}");
  CHECK_FALSE(refused.ok);
  CHECK(refused.envelope["error"]["details"]["field"] == "bytes");
  Answer put = call(a.get(), "blobs.put", "{}");
  REQUIRE(put.ok);
  CHECK(put.envelope["result"]["mime"] == "image/gif");

  // a's read leaves its bytes with a alone, until released.
  const std::string hash = put.envelope["result"]["hash"];
  REQUIRE(call(a.get(), "blobs.get", json{{"hash", hash}}.dump()).ok);
  CHECK(cs_engine_exported(b.get()) == nullptr);
  REQUIRE(cs_engine_exported(a.get()) != nullptr);
  CHECK(std::string(reinterpret_cast<const char*>(cs_engine_exported(a.get())), cs_engine_exported_size(a.get())) == gif);
  cs_engine_release_exported(a.get());
  CHECK(cs_engine_exported(a.get()) == nullptr);
  CHECK(cs_engine_exported_size(a.get()) == 0);

  // Zero bytes are staged bytes, not none.
  REQUIRE(cs_engine_import_buffer(a.get(), 0) != nullptr);
  Answer empty = call(a.get(), "blobs.put", "{}");
  REQUIRE(empty.ok);
  REQUIRE(call(a.get(), "blobs.get", json{{"hash", empty.envelope["result"]["hash"]}}.dump()).ok);
  CHECK(cs_engine_exported(a.get()) != nullptr);
  CHECK(cs_engine_exported_size(a.get()) == 0);
}

TEST_CASE("C API: lengths beyond the request buffer answer 0, and the engine goes on") {
  auto e = make_engine();
  char* buffer = cs_engine_request(e.get(), 8);
  REQUIRE(buffer != nullptr);
  std::memcpy(buffer, "ping{}", 6);
  CHECK(cs_engine_call(e.get(), 4, 2, 0, 100) == 0);
  CHECK(cs_engine_ok(e.get()) == 0);
  CHECK(cs_engine_call(e.get(), 100, 0, 0, 0) == 0);
  CHECK(cs_engine_changes_size(e.get()) == 0);
  cs_engine_trim(e.get(), 0);
  CHECK(call(e.get(), "ping", "{}").ok);
}
