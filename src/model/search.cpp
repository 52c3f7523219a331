// Full-text search over products (name, brand, description) and campaigns
// (name) with FTS5, ranked by BM25.
//
// The query is the user's text, never FTS5 syntax: each word becomes a quoted
// phrase (so `"`, `*`, `NEAR`, `-` or `:` in the input cannot form operators or
// errors), words are ANDed, and the last word matches as a prefix so results
// follow the typing. Name matches weigh more than brand, brand more than
// description. Scores from the two indexes are merged as they are: both are
// BM25 over similar short texts, good enough to interleave.
#include "repos.hpp"
#include "values.hpp"

#include "model/limits.hpp"

namespace cs::model::search {

namespace {

bool word_char(unsigned char c) {
  // Letters and digits of any script: unicode61 treats bytes >= 0x80 as
  // token characters unless they are Unicode separators.
  return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

std::string fts_query(const std::string& text) {
  std::vector<std::string> words;
  std::string current;
  for (unsigned char c : text) {
    if (word_char(c)) {
      current.push_back(static_cast<char>(c));
    } else if (!current.empty()) {
      words.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
  if (words.empty()) fail_field("q", "must contain at least one letter or digit");
  if (words.size() > limits::kMaxSearchWords)
    fail_field("q", "has more than " + std::to_string(limits::kMaxSearchWords) + " words",
               {{"limit", limits::kMaxSearchWords}});
  std::string q;
  for (std::size_t i = 0; i < words.size(); ++i) {
    // Words hold no '"' (not a word character), so quoting is plain.
    q += (i ? " \"" : "\"") + words[i] + "\"";
  }
  q += "*";
  return q;
}

// Writes queue the rowids they touch in fts_*_pending (triggers, schema v5);
// this indexes them in one statement per table. Indexing inside each write
// cost a third of a bulk insert: every statement that writes a virtual table
// runs with a statement journal, and FTS5 flushes its in-memory index to a
// new segment at each statement savepoint, so N inserts made N segments to
// merge. Here the whole transaction's rows are one segment.
bool anything_pending(Database& db) {
  Statement& any = db.cached(
      "SELECT EXISTS (SELECT 1 FROM fts_products_pending) OR EXISTS (SELECT 1 FROM fts_campaigns_pending)");
  const bool pending = any.step() && any.column_int(0) != 0;
  any.reset();
  return pending;
}

void index_queued(Database& db) {
  db.cached("INSERT INTO fts_products(rowid, name, brand, description) "
            "SELECT p.seq, p.name, p.brand, p.description FROM fts_products_pending q JOIN products p ON p.seq = q.seq")
      .run();
  db.cached("DELETE FROM fts_products_pending").run();
  db.cached("INSERT INTO fts_campaigns(rowid, name) "
            "SELECT c.seq, c.name FROM fts_campaigns_pending q JOIN campaigns c ON c.seq = q.seq")
      .run();
  db.cached("DELETE FROM fts_campaigns_pending").run();
}

}  // namespace

void index_pending(Database& db) {
  if (anything_pending(db)) index_queued(db);
}

void catch_up(Database& db) {
  // Only rows raw SQL wrote outside a data-API transaction can be queued
  // here; a reader does not take the write lock unless they exist.
  if (!anything_pending(db)) return;
  Transaction tx(db);
  index_queued(db);
  tx.commit();
}

json query(Database& db, const json& args) {
  if (!args.is_object()) fail_field("args", "must be a JSON object");
  bool want_products = true, want_campaigns = true;
  only_args(args, {"q", "userId", "kinds", "limit"}, "search.query");
  if (!args.contains("q") || args["q"].is_null()) fail_field("q", "is required");
  Field qf;
  qf.kind = Kind::Text;
  qf.max = static_cast<std::int64_t>(limits::kMaxSearchQueryChars);
  const std::string text(text_of(parse_value(qf, args["q"], "q")));
  const std::string match = fts_query(text);

  std::string user;
  if (args.contains("userId") && !args["userId"].is_null()) user = parse_id(args, "userId");
  if (args.contains("kinds") && !args["kinds"].is_null()) {
    const json& kinds = args["kinds"];
    if (!kinds.is_array() || kinds.empty()) fail_field("kinds", "must be a non-empty array of 'product' and 'campaign'");
    want_products = want_campaigns = false;
    for (const json& k : kinds) {
      if (k == "product") want_products = true;
      else if (k == "campaign") want_campaigns = true;
      else fail_field("kinds", "must contain only 'product' and 'campaign'");
    }
  }
  const std::int64_t limit =
      integer_arg(args, "limit", 1, limits::kMaxSearchResults).value_or(limits::kDefaultSearchResults);

  const char* user_filter_p = user.empty() ? "" : " AND p.user_id = ?2";
  const char* user_filter_c = user.empty() ? "" : " AND c.user_id = ?2";
  std::string product_sql = std::string(
      "SELECT 'product' AS kind, p.id, p.name, p.brand, p.status, "
      "-bm25(fts_products, 10.0, 4.0, 1.0) AS score, "
      "snippet(fts_products, -1, '[', ']', '…', 12) AS snippet "
      "FROM fts_products JOIN products p ON p.seq = fts_products.rowid "
      "WHERE fts_products MATCH ?1") + user_filter_p;
  std::string campaign_sql = std::string(
      "SELECT 'campaign' AS kind, c.id, c.name, NULL, c.status, -bm25(fts_campaigns) AS score, "
      "snippet(fts_campaigns, -1, '[', ']', '…', 12) AS snippet "
      "FROM fts_campaigns JOIN campaigns c ON c.seq = fts_campaigns.rowid "
      "WHERE fts_campaigns MATCH ?1") + user_filter_c;
  std::string sql;
  if (want_products) sql = product_sql;
  if (want_campaigns) sql += (sql.empty() ? "" : " UNION ALL ") + campaign_sql;
  sql += " ORDER BY score DESC LIMIT ?3";

  catch_up(db);
  Statement& q = db.cached(sql);
  q.bind(1, std::string_view(match));
  if (!user.empty()) q.bind(2, std::string_view(user));
  q.bind(3, limit);
  json items = json::array();
  while (q.step()) {
    json item{{"kind", q.column_text(0)}, {"id", q.column_text(1)}, {"name", q.column_json(2)},
              {"status", q.column_json(4)}, {"score", q.column_double(5)}, {"snippet", q.column_json(6)}};
    if (item["kind"] == "product") item["brand"] = q.column_json(3);
    items.push_back(std::move(item));
  }
  return {{"items", std::move(items)}, {"query", match}};
}

}  // namespace cs::model::search
