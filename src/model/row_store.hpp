// The write path of Campaign Builder rows. A row the data API writes goes
// through insert_row/update_row/delete_row, which stamp updated_at (and
// created_at) and the row's hybrid logical clock. A row that comes with its
// own stamps (pulled from the server, migrated from the old app) goes
// through RowUpsert/update_columns, which write it as given. The sync
// engine's capture triggers then record each written row, cascaded deletes
// included, in its outbox within the same transaction
// (src/sync/capture.cpp). The deletes and reference clearing that apply a
// server's cascade are src/sync/pull.cpp's.
#pragma once

#include "values.hpp"

#include <string>
#include <vector>

namespace cs::model {

// Inserts every column of row. Fills row.created_at/updated_at when empty.
void insert_row(Database& db, const TableSpec& spec, Row& row);

// Writes the fields row gives (nullopt ones are kept). Returns false when no
// row has that id. Sets row.updated_at.
bool update_row(Database& db, const TableSpec& spec, Row& row);

// Deletes the row (ON DELETE actions of the schema apply). False when absent.
bool delete_row(Database& db, const TableSpec& spec, std::string_view id);

// Rows that come with their own stamps: a server's row carries its times
// and hlc; an old app's item carries its times and no hlc (no clock of this
// device wrote it; its outbox entry has the clock sync sends). Columns are
// written as given, in the order of `columns`; a row whose `conflict`
// columns match an existing row updates that row's other columns. Rows are
// written many per statement (add, then flush), because the FTS5 index on
// products and campaigns flushes its pending terms at the start of every
// statement that follows a write to it inside a transaction: one INSERT per
// row would make one index segment per row. Unflushed rows are dropped on
// destruction (the caller's transaction is failing).
class RowUpsert {
 public:
  RowUpsert(Database& db, std::string table, std::vector<std::string> columns,
            std::vector<std::string> conflict = {"id"});
  const std::vector<std::string>& columns() const { return columns_; }
  // One value per column, kept until flush (text owned: std::string).
  void add(std::vector<Value> values);
  void flush();
  // The row is written now (after any added before), each value bound as
  // Statement::bind_json binds it.
  void put(const std::vector<json>& values);

 private:
  template <class Cells>
  void check(const Cells& values) const;
  template <class Cells>
  void write(const Cells& values, std::size_t rows);

  Database& db_;
  std::string table_;
  std::vector<std::string> columns_;
  std::string head_, row_, tail_;  // the statement: head, row (, row)*, tail
  std::string one_, full_;         // its text for one row, and for per_statement_ rows
  std::vector<Value> values_;  // row after row
  std::size_t rows_ = 0, per_statement_ = 1;
};

// Sets the given columns of row `id` of `table` to values as given (the
// stamp columns only if listed). False when no row has that id.
bool update_columns(Database& db, const std::string& table, std::string_view id,
                    const std::vector<std::string>& columns, const std::vector<Value>& values);

// Binds a stored value.
void bind_value(Statement& stmt, int index, const Value& v);

}  // namespace cs::model
