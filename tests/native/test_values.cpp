// Values across the door, exactly or refused: 64-bit integers, blobs, -0,
// infinities, text that is not UTF-8, and numbers no integer can hold. The
// JS side of the same table is tests/node/values.test.mjs; this file also
// feeds hostile numbers to every argument of every op, which the sanitizer
// build (clang, -fsanitize=undefined incl. float-cast-overflow) turns into
// a failure if any conversion is undefined behaviour.
#include "api/op_table.hpp"
#include "api/session.hpp"
#include "campaign_store/dispatcher.hpp"
#include "json/json_text.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <regex>
#include <set>
#include <string>

namespace jt = cs::json_text;
using cs::Dispatcher;
using cs::json;

namespace {

json call(Dispatcher& d, const std::string& op, const std::string& args, const std::string& blobs = "",
          const std::string& bytes = "") {
  const std::string text = d.call(op, args, blobs, bytes);
  INFO(op << " " << args.substr(0, 200) << " -> " << text.substr(0, 400));
  json envelope;  // always a JSON envelope (json_text reads 1e999, nlohmann does not)
  REQUIRE(jt::parse(text, envelope) == jt::Parsed::Ok);
  REQUIRE(envelope.is_object());
  return envelope;
}

}  // namespace

TEST_CASE("to_int64 converts whole numbers in range and nothing else") {
  CHECK(jt::to_int64(5.0) == 5);
  CHECK(jt::to_int64(-0.0) == 0);
  CHECK(jt::to_int64(-9223372036854775808.0) == std::numeric_limits<std::int64_t>::min());
  CHECK_FALSE(jt::to_int64(9223372036854775808.0));  // 2^63
  CHECK_FALSE(jt::to_int64(1e300));
  CHECK_FALSE(jt::to_int64(-1e300));
  CHECK_FALSE(jt::to_int64(std::nan("")));
  CHECK_FALSE(jt::to_int64(std::numeric_limits<double>::infinity()));
  CHECK_FALSE(jt::to_int64(5.5));
  CHECK(jt::to_int64(json(std::uint64_t{9223372036854775807ULL})) == std::numeric_limits<std::int64_t>::max());
  CHECK_FALSE(jt::to_int64(json(std::uint64_t{9223372036854775808ULL})));
  CHECK_FALSE(jt::to_int64(json("5")));
  CHECK_FALSE(jt::to_int64(json(true)));
}

TEST_CASE("a JSON document may hold only what JSON.parse gives back exactly") {
  CHECK_FALSE(jt::document_problem(json::parse(R"j({"a":[1,2.5,-0.0,"x",null,{"b":9007199254740992}]})j")));
  CHECK_FALSE(jt::document_problem(json(std::int64_t{1} << 60)));  // a double holds 2^60
  auto inexact = jt::document_problem(json{{"a", json::array({1, std::int64_t{(std::int64_t{1} << 60) + 1}})}});
  REQUIRE(inexact);
  CHECK(inexact->path == "a[1]");
  CHECK(jt::document_problem(json{{"big", std::uint64_t{18446744073709551615ULL}}})->path == "big");
  CHECK(jt::document_problem(json{{"i", std::numeric_limits<double>::infinity()}})->path == "i");
  CHECK(jt::document_problem(json{{"b", json::binary({1, 2})}})->path == "b");
  CHECK_FALSE(jt::document_problem(json{{"raw", jt::raw("[1]")}}));
  CHECK(jt::join_path("stepData", "a[1]") == "stepData.a[1]");
  CHECK(jt::join_path("params[0]", "[2]") == "params[0][2]");
  CHECK(jt::join_path("x", "") == "x");
}

TEST_CASE("the answer writer records integers beyond 2^53 - 1 and bytes, and refuses text that is not UTF-8") {
  jt::AnswerValues values;
  std::string out;
  const json result = {{"rows", json::array({{{"n", std::int64_t{9007199254740993}}, {"b", json::binary({0, 255})},
                                              {"s", std::int64_t{9007199254740991}}, {"r", -0.0},
                                              {"inf", -std::numeric_limits<double>::infinity()}}})}};
  jt::append_answer(out, result, values);
  CHECK(out == R"j({"rows":[{"b":null,"inf":-1e999,"n":9007199254740993,"r":-0.0,"s":9007199254740991}]})j");
  CHECK(values.entries == R"j({"at":["rows",0,"b"],"blob":0},{"at":["rows",0,"n"],"int":"9007199254740993"})j");
  REQUIRE(values.blob_count() == 1);
  CHECK(values.bytes == std::string("\x00\xff", 2));
  CHECK(values.spans == std::vector<std::size_t>{0, 2});

  jt::AnswerValues none;
  std::string plain;
  jt::append_answer(plain, json{{"a", 1}, {"raw", jt::raw(R"j({"x":[1]})j")}}, none);
  CHECK(plain == R"j({"a":1,"raw":{"x":[1]}})j");
  CHECK(none.empty());

  std::string bad;
  try {
    jt::append_answer(bad, json{{"rows", json::array({{{"c", "\xED\xA0\x80"}}})}}, none);
    FAIL("invalid UTF-8 was written");
  } catch (const jt::InvalidText& e) {
    CHECK(e.path == "rows[0].c");
  }
  std::string checked;
  CHECK_FALSE(jt::append_string_checked(checked, "a\xFF"));
  CHECK(checked.empty());
  CHECK(jt::append_string_checked(checked, "é"));
  CHECK(checked == "\"é\"");
}

TEST_CASE("sql.query answers SQLite's values exactly, with what JSON cannot say beside the text") {
  Dispatcher d;
  REQUIRE(call(d, "open", "{}")["ok"] == true);
  json big = call(d, "sql.query", R"j({"sql":"SELECT 9007199254740993 AS a, -9223372036854775808 AS b, 42 AS c"})j");
  CHECK(big["result"]["rows"][0]["a"] == 9007199254740993LL);
  CHECK(big["values"] == json::parse(R"j([{"at":["rows",0,"a"],"int":"9007199254740993"},
                                         {"at":["rows",0,"b"],"int":"-9223372036854775808"}])j"));

  json blob = call(d, "sql.query", R"j({"sql":"SELECT x'00ff' AS b, x'' AS e, 1e999 AS i, -0.0 AS z"})j");
  CHECK(blob["result"]["rows"][0]["b"].is_null());
  CHECK(blob["values"] == json::parse(R"j([{"at":["rows",0,"b"],"blob":0},{"at":["rows",0,"e"],"blob":1}])j"));
  CHECK(d.answer_values().bytes == std::string("\x00\xff", 2));
  CHECK(d.answer_values().spans == std::vector<std::size_t>{0, 2, 2, 0});
  const std::string text = d.call("sql.query", R"j({"sql":"SELECT 1e999 AS i, -0.0 AS z"})j");
  CHECK(text == R"j({"ok":true,"result":{"columns":["i","z"],"rows":[{"i":1e999,"z":-0.0}]}})j");
  CHECK(d.answer_values().empty());

  json bad = call(d, "sql.query", R"j({"sql":"SELECT char(55296) AS c"})j");
  REQUIRE(bad["ok"] == false);
  CHECK(bad["error"]["code"] == "INVALID_ARGUMENT");
  CHECK(bad["error"]["details"]["field"] == "rows[0].c");
  CHECK(bad["error"]["details"]["reason"] == "invalid_utf8");
  CHECK(d.answer_values().empty());
}

TEST_CASE("blobs go into the arguments at their paths and bind as BLOBs") {
  Dispatcher d;
  REQUIRE(call(d, "open", "{}")["ok"] == true);
  REQUIRE(call(d, "sql.exec", R"j({"sql":"CREATE TABLE t(v)"})j")["ok"] == true);
  const std::string bytes("\x00\x01\xff" "abc", 6);
  json ins = call(d, "sql.exec", R"j({"sql":"INSERT INTO t VALUES (?), (?)","params":[null,null]})j",
                  R"j([[["params",0],3],[["params",1],3]])j", bytes);
  REQUIRE(ins["ok"] == true);
  json back = call(d, "sql.query", R"j({"sql":"SELECT typeof(v) AS t, hex(v) AS h FROM t ORDER BY rowid"})j");
  CHECK(back["result"]["rows"] == json::parse(R"j([{"t":"blob","h":"0001FF"},{"t":"blob","h":"616263"}])j"));
  // Named parameters, and an empty blob (x'', not NULL).
  REQUIRE(call(d, "sql.exec", R"j({"sql":"INSERT INTO t VALUES (:b)","params":{"b":null}})j", R"j([[["params","b"],0]])j", "")["ok"] == true);
  CHECK(call(d, "sql.query", R"j({"sql":"SELECT count(*) AS n FROM t WHERE v = x''"})j")["result"]["rows"][0]["n"] == 1);
  // ping echoes bytes back as bytes.
  json echo = call(d, "ping", R"j({"echo":[1,null]})j", R"j([[["echo",1],2]])j", "hi");
  CHECK(echo["values"] == json::parse(R"j([{"at":["echo",1],"blob":0}])j"));
  CHECK(d.answer_values().bytes == "hi");

  SECTION("a blob list that does not match is refused") {
    CHECK(call(d, "ping", R"j({"echo":null})j", R"j([[["echo"],5]])j", "hi")["error"]["code"] == "INVALID_ARGUMENT");
    CHECK(call(d, "ping", R"j({"echo":null})j", R"j([[["nope"],2]])j", "hi")["error"]["code"] == "INVALID_ARGUMENT");
    CHECK(call(d, "ping", R"j({"echo":null})j", "not json", "hi")["error"]["code"] == "INVALID_ARGUMENT");
  }
  SECTION("bytes inside a JSON document are refused, naming where") {
    json e = call(d, "sql.exec", R"j({"sql":"INSERT INTO t VALUES (?)","params":[{"img":null}]})j",
                  R"j([[["params",0,"img"],2]])j", "hi");
    CHECK(e["error"]["code"] == "INVALID_ARGUMENT");
    CHECK(e["error"]["details"]["field"] == "params[0].img");
    REQUIRE(call(d, "campaigns.create", R"j({"name":"c"})j")["ok"] == true);
    json c = call(d, "campaigns.list", "{}")["result"]["items"][0];
    json draft = call(d, "drafts.save", R"j({"campaignId":")j" + c["id"].get<std::string>() + R"j(","stepData":{"img":null}})j",
                      R"j([[["stepData","img"],2]])j", "hi");
    CHECK(draft["error"]["code"] == "INVALID_ARGUMENT");
    CHECK(draft["error"]["details"]["field"] == "stepData");
  }
}

TEST_CASE("parameters: -0 binds as REAL, no NaN or Infinity, JSON documents must come back the same") {
  Dispatcher d;
  REQUIRE(call(d, "open", "{}")["ok"] == true);
  json z = call(d, "sql.query", R"j({"sql":"SELECT typeof(?) AS t, ? AS v","params":[-0.0,-0.0]})j");
  CHECK(z["result"]["rows"][0]["t"] == "real");
  CHECK(std::signbit(z["result"]["rows"][0]["v"].get<double>()));
  json inf = call(d, "sql.query", R"j({"sql":"SELECT ?, ?","params":[1,1e999]})j");
  CHECK(inf["error"]["code"] == "INVALID_ARGUMENT");
  CHECK(inf["error"]["details"]["field"] == "params[1]");
  json doc = call(d, "sql.query", R"j({"sql":"SELECT ? AS j","params":[{"a":[9007199254740993]}]})j");
  CHECK(doc["error"]["details"]["field"] == "params[0].a[0]");
  json fine = call(d, "sql.query", R"j({"sql":"SELECT ? AS j","params":[{"a":[1152921504606846976,-0.0]}]})j");
  CHECK(fine["result"]["rows"][0]["j"] == R"j({"a":[1152921504606846976,-0.0]})j");
  json big = call(d, "sql.query", R"j({"sql":"SELECT ? AS v, typeof(?) AS t","params":[9223372036854775807,9223372036854775808.0]})j");
  CHECK(big["result"]["rows"][0]["v"] == 9223372036854775807LL);
  CHECK(big["result"]["rows"][0]["t"] == "real");
}

TEST_CASE("data API: JSON columns refuse what they could not give back; integer fields answer exactly") {
  Dispatcher d;
  REQUIRE(call(d, "open", "{}")["ok"] == true);
  json c = call(d, "campaigns.create", R"j({"name":"c"})j");
  REQUIRE(c["ok"] == true);
  const std::string id = c["result"]["id"];
  json inexact = call(d, "drafts.save", R"j({"campaignId":")j" + id + R"j(","stepData":{"n":[12345678901234567891]}})j");
  CHECK(inexact["error"]["code"] == "INVALID_ARGUMENT");
  CHECK(inexact["error"]["details"]["field"] == "stepData.n[0]");
  json as_text = call(d, "drafts.save", R"j({"campaignId":")j" + id + R"j(","stepData":"{\"x\":1e999}"})j");
  CHECK(as_text["error"]["details"]["field"] == "stepData.x");
  json kept = call(d, "drafts.save", R"j({"campaignId":")j" + id + R"j(","stepData":{"z":-0.0,"n":900719925474099}})j");
  REQUIRE(kept["ok"] == true);
  CHECK(call(d, "sql.query", R"j({"sql":"SELECT step_data AS s FROM campaign_drafts"})j")["result"]["rows"][0]["s"] ==
        R"j({"z":-0.0,"n":900719925474099})j");
  json cached = call(d, "cache.set", R"j({"key":"k","value":{"b":null}})j", R"j([[["value","b"],1]])j", "x");
  CHECK(cached["error"]["details"]["field"] == "value.b");
  CHECK(call(d, "cache.set", R"j({"key":"k","value":[1,18446744073709551615]})j")["error"]["details"]["field"] == "value[1]");
  // An integer field raw SQL set beyond 2^53: answered as its exact decimal string.
  json p = call(d, "products.create", R"j({"name":"p","images":[{"url":"https://x/a.png"}]})j");
  REQUIRE(p["ok"] == true);
  REQUIRE(call(d, "sql.exec", R"j({"sql":"UPDATE product_images SET size = 9007199254740993"})j")["ok"] == true);
  json got = call(d, "products.get", R"j({"id":")j" + p["result"]["id"].get<std::string>() + R"j("})j");
  CHECK(got["result"]["images"][0]["size"] == "9007199254740993");
  // Text that is not UTF-8 (raw SQL can store it) is refused, naming the field.
  REQUIRE(call(d, "sql.exec", R"j({"sql":"UPDATE products SET brand = CAST(x'ff' AS TEXT)"})j")["ok"] == true);
  json bad = call(d, "products.get", R"j({"id":")j" + p["result"]["id"].get<std::string>() + R"j("})j");
  CHECK(bad["error"]["code"] == "INVALID_ARGUMENT");
  CHECK(bad["error"]["details"]["field"] == "brand");
}

TEST_CASE("Args::integer refuses numbers no int64 holds (no undefined behaviour)") {
  Dispatcher d;
  REQUIRE(call(d, "open", "{}")["ok"] == true);
  for (const char* limit : {"1e300", "-1e300", "9.3e18", "18446744073709551615", "1.5", "1e999"}) {
    json e = call(d, "sync.conflicts", std::string(R"j({"limit":)j") + limit + "}");
    INFO(limit);
    CHECK(e["error"]["code"] == "INVALID_ARGUMENT");
    CHECK(e["error"]["details"]["field"] == "limit");
  }
  CHECK(call(d, "sync.conflicts", R"j({"limit":5.0})j")["ok"] == true);
}

TEST_CASE("every op answers an envelope to hostile numbers in every argument it names") {
  // Each argument name the op table mentions, set to numbers no integer
  // type holds; under the sanitizer build a conversion without a range
  // check aborts the test.
  const std::string hostile[] = {"1e300", "-1e300", "1e999", "-1e999", "9.3e18", "-9.3e18", "18446744073709551615",
                                 "-9223372036854775808", "9223372036854775807", "4294967296.5", "-0.0", "2147483648", "-2147483649"};
  const std::regex word("[A-Za-z_][A-Za-z0-9_]*");
  Dispatcher d;
  REQUIRE(call(d, "open", "{}")["ok"] == true);
  std::size_t calls = 0;
  for (const cs::OpSpec& spec : cs::op_table()) {
    const std::string op(spec.name);
    if (op == "close" || op == "storage.delete") continue;  // would end the session under test
    const std::string shape(spec.args);
    std::set<std::string> names;
    for (auto it = std::sregex_iterator(shape.begin(), shape.end(), word); it != std::sregex_iterator(); ++it)
      names.insert(it->str());
    names.insert("limit");
    for (const std::string& name : names) {
      for (const std::string& number : hostile) {
        const std::string args = "{\"" + name + "\":" + number + "}";
        const std::string text = d.call(op, args);
        INFO(op << " " << args << " -> " << text.substr(0, 300));
        json envelope;
        REQUIRE(jt::parse(text, envelope) == jt::Parsed::Ok);
        ++calls;
        // Nested: inside an array, and as the member of an object.
        REQUIRE(jt::valid(d.call(op, "{\"" + name + "\":[" + number + ",[" + number + "]]}")));
        REQUIRE(jt::valid(d.call(op, "{\"" + name + "\":{\"" + name + "\":" + number + "}}")));
      }
    }
    if (!call(d, "health", "{}")["result"]["open"].get<bool>()) REQUIRE(call(d, "open", "{}")["ok"] == true);
  }
  CHECK(calls > 1000);
}
