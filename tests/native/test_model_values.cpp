// The model's value types: UUIDs, timestamps, exact money, and the JSON <->
// column conversions the table descriptors drive.
#include "model/clock.hpp"
#include "json/json_text.hpp"
#include "model/money.hpp"
#include "model/uuid.hpp"
#include "model/table.hpp"
#include "model/values.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <set>

using cs::json;
namespace clk = cs::clock;
namespace money = cs::money;
namespace m = cs::model;

TEST_CASE("uuids are v4, distinct and recognized") {
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) {
    std::string id = cs::new_uuid();
    REQUIRE(cs::is_uuid(id));
    CHECK(id[14] == '4');
    CHECK(std::string("89ab").find(id[19]) != std::string::npos);
    seen.insert(id);
  }
  CHECK(seen.size() == 2000);
  CHECK(cs::is_uuid("6F9619FF-8B86-D011-B42D-00C04FC964FF"));
  CHECK_FALSE(cs::is_uuid("6f9619ff8b86d011b42d00c04fc964ff"));
  CHECK_FALSE(cs::is_uuid("6f9619ff-8b86-d011-b42d-00c04fc964fg"));
  CHECK_FALSE(cs::is_uuid(""));
}

TEST_CASE("timestamps: one canonical text form, many accepted inputs") {
  CHECK(clk::iso(0) == "1970-01-01T00:00:00.000Z");
  CHECK(clk::iso(1714564800123) == "2024-05-01T12:00:00.123Z");
  CHECK(clk::iso(-1) == "1969-12-31T23:59:59.999Z");
  CHECK(clk::iso(clk::kMaxMs) == "9999-12-31T23:59:59.999Z");
  CHECK(clk::iso(clk::kMinMs) == "0000-01-01T00:00:00.000Z");

  CHECK(clk::parse_iso("2024-05-01T12:00:00.123Z") == 1714564800123);
  CHECK(clk::parse_iso("2024-05-01T12:00:00Z") == 1714564800000);
  CHECK(clk::parse_iso("2024-05-01 12:00") == 1714564800000);
  CHECK(clk::parse_iso("2024-05-01") == 1714521600000);
  CHECK(clk::parse_iso("2024-05-01T14:00:00+02:00") == 1714564800000);
  CHECK(clk::parse_iso("2024-05-01T07:30:00-0430") == 1714564800000);
  CHECK(clk::parse_iso("2024-05-01T12:00:00.123456789Z") == 1714564800123);
  CHECK(clk::parse_iso("2024-02-29") == 1709164800000);  // leap day

  for (const char* bad : {"", "2024", "2024-13-01", "2023-02-29", "2024-05-01T24:00", "2024-05-01T12:00:60Z",
                          "2024-05-01T12", "2024-05-01T12:00:00.Z", "2024-05-01T12:00:00X", "May 1 2024",
                          "2024-05-01T12:00:00+25:00", "２０２４-05-01"})
    CHECK_FALSE(clk::parse_iso(bad).has_value());

  // Text order is time order (the schema relies on it).
  CHECK(clk::iso(999) < clk::iso(1000));
  CHECK(clk::iso(1714564800123) < clk::iso(1714564800124));

  clk::set_fake_now(42);
  CHECK(clk::now_ms() == 42);
  clk::set_fake_now(std::nullopt);
  CHECK(clk::now_ms() > 1'700'000'000'000);
}

TEST_CASE("money parses exactly and formats with fixed places") {
  CHECK(money::parse("29.99", 2) == 2999);
  CHECK(money::parse("29.9", 2) == 2990);
  CHECK(money::parse("29", 2) == 2900);
  CHECK(money::parse("0.1", 2) == 10);
  CHECK(money::parse(".5", 2) == 50);
  CHECK(money::parse("-3.25", 2) == -325);
  CHECK(money::parse("1.50000", 2) == 150);  // trailing zeros are not precision
  CHECK(money::parse("1.5e1", 2) == 1500);
  CHECK(money::parse("125e-2", 2) == 125);
  CHECK(money::parse("0.0125", 4) == 125);
  std::string why;
  CHECK_FALSE(money::parse("29.999", 2, &why));
  CHECK(why == "has more than 2 decimal places");
  CHECK_FALSE(money::parse("1e-5", 4));
  CHECK_FALSE(money::parse("abc", 2, &why));
  CHECK(why == "is not a decimal number");
  CHECK_FALSE(money::parse("1.2.3", 2));
  CHECK_FALSE(money::parse("", 2));
  CHECK_FALSE(money::parse("99999999999999999999", 2, &why));
  CHECK(why == "is too large");

  CHECK(money::format(2999, 2) == "29.99");
  CHECK(money::format(5, 2) == "0.05");
  CHECK(money::format(-5, 2) == "-0.05");
  CHECK(money::format(0, 4) == "0.0000");
  CHECK(money::format(1234567, 4) == "123.4567");
}

TEST_CASE("field values: JSON in, stored values, JSON out") {
  const m::TableSpec& p = m::spec::products();
  const m::Field& price = p.field("price");
  // 29.99 arrives as a double; its shortest text is what is parsed.
  CHECK(std::get<std::int64_t>(m::parse_value(price, json::parse("29.99"), "price")) == 2999);
  CHECK(std::get<std::int64_t>(m::parse_value(price, json("29.99"), "price")) == 2999);
  CHECK(std::get<std::int64_t>(m::parse_value(price, json(30), "price")) == 3000);
  // 0.1 + 0.2 computed in JS is not 0.3: refused rather than rounded.
  CHECK_THROWS_AS(m::parse_value(price, json::parse("0.30000000000000004"), "price"), cs::Error);
  CHECK_THROWS_AS(m::parse_value(price, json(-1), "price"), cs::Error);
  CHECK_THROWS_AS(m::parse_value(price, json("100000000.00"), "price"), cs::Error);
  CHECK(m::format_value(price, m::Value{std::int64_t{2999}}) == "29.99");

  const m::Field& meta = p.field("metadata");
  auto stored = m::parse_value(meta, json{{"a", {1, 2}}}, "metadata");
  CHECK(m::text_of(stored) == R"({"a":[1,2]})");
  // Stored JSON is answered as the text it is (RawJson), not rebuilt...
  const json out = m::format_value(meta, stored);
  CHECK(cs::json_text::is_raw(out));
  CHECK(json::parse(cs::json_text::dump(out)) == json{{"a", {1, 2}}});
  // ...unless raw SQL stored text that is not JSON: that is a string.
  CHECK(m::format_value(meta, m::Value{std::string("{oops")}) == "{oops");
  // The text form of JSON is accepted too, and must parse.
  CHECK(m::text_of(m::parse_value(meta, json(R"({"b":true})"), "metadata")) == R"({"b":true})");
  try {
    m::parse_value(meta, json("{not json"), "metadata");
    FAIL("invalid JSON text accepted");
  } catch (const cs::Error& e) {
    CHECK(e.code() == cs::Code::InvalidArgument);
    CHECK(e.details()["field"] == "metadata");
  }
  CHECK_THROWS_AS(m::parse_value(meta, json::array(), "metadata"), cs::Error);

  const m::Field& name = p.field("name");
  CHECK(m::text_of(m::parse_value(name, json(std::string(255, 'x')), "name")).size() == 255);
  // 255 characters of 4 bytes each are still 255 characters.
  std::string emoji;
  for (int i = 0; i < 255; ++i) emoji += "\xF0\x9F\x9A\x80";
  CHECK_NOTHROW(m::parse_value(name, json(emoji), "name"));
  CHECK_THROWS_AS(m::parse_value(name, json(std::string(256, 'x')), "name"), cs::Error);
  CHECK_THROWS_AS(m::parse_value(name, json(""), "name"), cs::Error);
  CHECK_THROWS_AS(m::parse_value(name, json(std::string("a\0b", 3)), "name"), cs::Error);

  const m::Field& starts = m::spec::campaigns().field("startsAt");
  CHECK(m::text_of(m::parse_value(starts, json("2024-05-01T14:00:00+02:00"), "startsAt")) == "2024-05-01T12:00:00.000Z");
  CHECK(m::text_of(m::parse_value(starts, json(1714564800123), "startsAt")) == "2024-05-01T12:00:00.123Z");
  CHECK_THROWS_AS(m::parse_value(starts, json("yesterday"), "startsAt"), cs::Error);
}

TEST_CASE("create and update parsing: defaults, required, unknown and managed fields") {
  const m::TableSpec& p = m::spec::products();
  json args{{"name", "Shoe"}};
  m::Row row = m::parse_create(p, args);
  CHECK(cs::is_uuid(row.id));
  CHECK(m::text_of(*row.get(p, "status")) == "active");
  CHECK(m::text_of(*row.get(p, "metadata")) == "{}");
  CHECK(m::is_null(*row.get(p, "price")));

  auto field_of = [](const std::function<void()>& fn) -> std::string {
    try {
      fn();
    } catch (const cs::Error& e) {
      return e.details().value("field", std::string("?"));
    }
    return "";
  };
  CHECK(field_of([&] { m::parse_create(p, json::object()); }) == "name");
  CHECK(field_of([&] { m::parse_create(p, {{"name", "x"}, {"nmae", "y"}}); }) == "nmae");
  CHECK(field_of([&] { m::parse_create(p, {{"name", "x"}, {"id", "not-a-uuid"}}); }) == "id");
  CHECK(field_of([&] { m::parse_create(p, {{"name", 12}}); }) == "name");
  CHECK(field_of([&] { m::parse_create(m::spec::campaigns(), {{"name", "x"}, {"status", "live"}}); }) == "status");
  CHECK(field_of([&] { m::parse_update(p, {{"name", "x"}}); }) == "id");
  CHECK(field_of([&] { m::parse_update(p, {{"id", "a"}, {"name", nullptr}}); }) == "name");
  CHECK(field_of([&] { m::parse_update(p, {{"id", "a"}, {"createdAt", "2024-01-01"}}); }) == "createdAt");
  CHECK(field_of([&] { m::parse_update(m::spec::campaigns(), {{"id", "a"}, {"status", "active"}}); }) == "status");
  CHECK(field_of([&] { m::parse_update(m::spec::creatives(), {{"id", "a"}, {"version", 3}}); }) == "version");
  // A caller-chosen uuid is lower-cased: one id, one spelling.
  CHECK(m::parse_create(p, {{"name", "x"}, {"id", "6F9619FF-8B86-D011-B42D-00C04FC964FF"}}).id ==
        "6f9619ff-8b86-d011-b42d-00c04fc964ff");
  m::Row update = m::parse_update(p, {{"id", "a"}, {"brand", nullptr}});
  CHECK(update.get(p, "brand") != nullptr);
  CHECK(m::is_null(*update.get(p, "brand")));
  CHECK(update.get(p, "name") == nullptr);
}

// The answers written straight as text (row_text.cpp) against the trees
// they replace: for every table, random column values of every SQLite type
// (valid and invalid JSON text in JSON columns, floats and text in integer
// columns as raw SQL could leave them) must give the same bytes.
TEST_CASE("rows as text are byte for byte the dump of the rows as trees") {
  std::mt19937 rng(7);
  auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  const char* texts[] = {"plain", "", "quote \" and \\ and \n", "é€😀", "{\"a\":[1,2]}", "[]", "{not json",
                         "2024-05-01T12:00:00.000Z", "\x01\x7f"};
  cs::Database db;
  for (const m::TableSpec* spec : m::all_tables()) {
    const int n = static_cast<int>(spec->fields.size()) + 3;
    std::string sql = "SELECT ?1";
    for (int i = 2; i <= n; ++i) sql += ", ?" + std::to_string(i);
    cs::Statement q(db, sql);
    for (int round = 0; round < 200; ++round) {
      q.reset();
      m::Row row;
      row.id = texts[pick(9)];
      row.created_at = texts[pick(9)];
      row.updated_at = texts[pick(9)];
      q.bind(1, std::string_view(row.id));
      for (int i = 2; i <= n - 2; ++i) {
        std::optional<m::Value> v;
        switch (pick(6)) {
          case 0: q.bind_null(i); v = m::Value{}; break;
          case 1: {
            const std::int64_t x = static_cast<std::int64_t>(pick(2000001)) - 1000000;
            q.bind(i, x);
            v = m::Value{x};
            break;
          }
          case 2: q.bind(i, pick(1000) / 8.0); break;  // raw SQL's REAL
          case 5: q.bind_null(i); break;                 // not given (Row) / NULL (column)
          default: {
            const std::string t = texts[pick(9)];
            q.bind(i, std::string_view(t));
            v = m::Value{t};
          }
        }
        row.values.push_back(v);
      }
      q.bind(n - 1, std::string_view(row.created_at));
      q.bind(n, std::string_view(row.updated_at));
      REQUIRE(q.step());
      INFO(spec->name << " round " << round);
      CHECK(cs::json_text::raw_text(m::read_row_raw(*spec, q)) == cs::json_text::dump(m::read_row(*spec, q)));
      CHECK(cs::json_text::raw_text(m::row_raw(*spec, row)) == cs::json_text::dump(m::row_json(*spec, row)));
    }
  }
}
