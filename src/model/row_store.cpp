#include "row_store.hpp"

#include "model/clock.hpp"

namespace cs::model {

namespace {

// The row's hlc comes from the sync engine's clock (SQL function
// cs_hlc_now(), registered when a database is opened through `open`), so
// that rows and the outbox share one clock and one node id. A bare
// connection without the sync engine writes NULL instead.
Statement& write_statement(Database& db, const std::string (&sql)[2]) {
  return db.cached(sql[db.has_function("cs_hlc_now") ? 1 : 0]);
}

}  // namespace

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
