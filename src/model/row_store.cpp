#include "row_store.hpp"

#include "model/clock.hpp"

#include <algorithm>
#include <type_traits>

namespace cs::model {

namespace {

// The row's hlc comes from the sync engine's clock (SQL function
// cs_hlc_now(), registered when a database is opened through `open`), so
// that rows and the outbox share one clock and one node id. A bare
// connection without the sync engine writes NULL instead.
Statement& write_statement(Database& db, const std::string (&sql)[2]) {
  return db.cached(sql[db.has_function("cs_hlc_now") ? 1 : 0]);
}

std::string sql_name(const std::string& identifier) { return "\"" + identifier + "\""; }

constexpr std::size_t kMaxParameters = 32766;  // SQLITE_MAX_VARIABLE_NUMBER's default
constexpr std::size_t kMaxRowsPerStatement = 200;

}  // namespace

RowUpsert::RowUpsert(Database& db, std::string table, std::vector<std::string> columns,
                     std::vector<std::string> conflict)
    : db_(db), table_(std::move(table)), columns_(std::move(columns)) {
  if (columns_.empty()) throw Error(Code::Internal, "an upsert into " + table_ + " names no columns");
  per_statement_ = std::min(kMaxRowsPerStatement, kMaxParameters / columns_.size());
  std::string cols, updates, target;
  row_ = "(";
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    cols += (c ? ", " : "") + sql_name(columns_[c]);
    row_ += c ? ", ?" : "?";
    if (std::find(conflict.begin(), conflict.end(), columns_[c]) == conflict.end())
      updates += (updates.empty() ? "" : ", ") + sql_name(columns_[c]) + " = excluded." + sql_name(columns_[c]);
  }
  row_ += ")";
  for (const std::string& c : conflict) target += (target.empty() ? "" : ", ") + sql_name(c);
  head_ = "INSERT INTO " + sql_name(table_) + " (" + cols + ") VALUES ";
  tail_ = " ON CONFLICT(" + target + ") DO " + (updates.empty() ? "NOTHING" : "UPDATE SET " + updates);
  one_ = head_ + row_ + tail_;
}

void RowUpsert::add(std::vector<Value> values) {
  check(values);
  for (auto& v : values) values_.push_back(std::move(v));
  if (++rows_ >= per_statement_) flush();
}

template <class Cells>
void RowUpsert::check(const Cells& values) const {
  if (values.size() != columns_.size())
    throw Error(Code::Internal, "a row of " + table_ + " has " + std::to_string(values.size()) + " values for " +
                                    std::to_string(columns_.size()) + " columns");
}

void RowUpsert::put(const std::vector<json>& values) {
  check(values);
  flush();
  write(values, 1);
}

void RowUpsert::flush() {
  if (rows_ == 0) return;
  const std::size_t count = rows_;
  rows_ = 0;
  struct Clear {  // empties values_ whether the statement runs or throws
    std::vector<Value>& v;
    ~Clear() { v.clear(); }
  } clear{values_};
  write(values_, count);
}

template <class Cells>
void RowUpsert::write(const Cells& values, std::size_t rows) {
  // A full batch's text is built once; a shorter last batch's when it comes.
  auto text_for = [&](std::size_t n) {
    std::string sql = head_;
    for (std::size_t r = 0; r < n; ++r) sql += (r ? ", " : "") + row_;
    return sql + tail_;
  };
  const std::string* sql = &one_;
  std::string shorter;
  if (rows > 1 && rows == per_statement_) {
    if (full_.empty()) full_ = text_for(rows);
    sql = &full_;
  } else if (rows > 1) {
    shorter = text_for(rows);
    sql = &shorter;
  }
  Statement& st = db_.cached(*sql);
  for (std::size_t i = 0; i < values.size(); ++i) {
    if constexpr (std::is_same_v<Cells, std::vector<json>>) {
      st.bind_json(static_cast<int>(i + 1), values[i]);
    } else {
      bind_value(st, static_cast<int>(i + 1), values[i]);
    }
  }
  st.run();
}

bool update_columns(Database& db, const std::string& table, std::string_view id,
                    const std::vector<std::string>& columns, const std::vector<Value>& values) {
  if (columns.size() != values.size())
    throw Error(Code::Internal, "an update of " + table + " has " + std::to_string(values.size()) +
                                    " values for " + std::to_string(columns.size()) + " columns");
  std::string sets;
  for (std::size_t k = 0; k < columns.size(); ++k)
    sets += (k ? ", " : "") + sql_name(columns[k]) + " = ?" + std::to_string(k + 2);
  if (sets.empty()) return false;
  Statement& st = db.cached("UPDATE " + sql_name(table) + " SET " + sets + " WHERE id = ?1");
  st.bind(1, id);
  for (std::size_t k = 0; k < values.size(); ++k) bind_value(st, static_cast<int>(k + 2), values[k]);
  st.run();
  return db.changes() > 0;
}

void bind_value(Statement& stmt, int index, const Value& v) {
  if (auto* n = std::get_if<std::int64_t>(&v)) {
    stmt.bind(index, *n);
  } else if (is_null(v)) {
    stmt.bind_null(index);
  } else {
    stmt.bind(index, text_of(v));
  }
}

void insert_row(Database& db, const TableSpec& spec, Row& row) {
  const std::string now = clock::now_iso();
  if (row.created_at.empty()) row.created_at = now;
  if (row.updated_at.empty()) row.updated_at = row.created_at > now ? row.created_at : now;
  Statement& stmt = write_statement(db, spec.insert_sql);
  stmt.bind(1, std::string_view(row.id));
  int p = 1;
  for (const auto& v : row.values) bind_value(stmt, ++p, v ? *v : Value{});
  stmt.bind(++p, std::string_view(row.created_at));
  stmt.bind(++p, std::string_view(row.updated_at));
  stmt.run();
}

bool update_row(Database& db, const TableSpec& spec, Row& row) {
  row.updated_at = clock::now_iso();
  Statement& stmt = write_statement(db, spec.update_sql);
  stmt.bind(1, std::string_view(row.id));
  int p = 1;
  for (const auto& v : row.values) {
    stmt.bind(++p, std::int64_t{v.has_value() ? 1 : 0});
    ++p;
    if (v) bind_value(stmt, p, *v);  // unbound parameters are NULL
  }
  stmt.bind(++p, std::string_view(row.updated_at));
  stmt.run();
  return db.changes() > 0;
}

bool delete_row(Database& db, const TableSpec& spec, std::string_view id) {
  Statement& stmt = db.cached(spec.delete_sql);
  stmt.bind(1, id);
  stmt.run();
  return db.changes() > 0;
}

}  // namespace cs::model
