// RAII over sqlite3: Database owns a connection, Statement a prepared
// statement, Transaction a BEGIN..COMMIT that rolls back unless committed.
// Every SQLite failure becomes a cs::Error; SQL is only ever run with bound
// parameters (there is no API here that splices values into SQL text).
#pragma once

#include "db/error.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;
struct sqlite3_context;
struct sqlite3_value;

namespace cs {

using json = nlohmann::json;

class Database;

class Statement {
 public:
  Statement(Database& db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&& other) noexcept;

  // Binding: index is 1-based as in SQLite. Strings are copied (TRANSIENT)
  // unless bind_static is used for data that outlives the step.
  Statement& bind_null(int index);
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view text);
  Statement& bind_blob(int index, const void* data, std::size_t size);
  // JSON scalars bind as their SQL type, binary values (not RawJson) as
  // BLOBs, arrays and objects as JSON text when JSON.parse gives them back
  // the same (json_text::document_problem). NaN and infinities are refused.
  Statement& bind_json(int index, const json& value);
  // Binds an array (positional ?1..?n) or object (:name / @name / $name);
  // errors name the parameter (details.field "params[0]", "params.name").
  Statement& bind_all(const json& params);
  int parameter_count() const;

  // true while a row is available; false when done.
  bool step();
  // Runs to completion, for statements that return no rows.
  void run();
  void reset();

  int column_count() const;
  const char* column_name(int i) const;
  bool column_is_null(int i) const;
  std::int64_t column_int(int i) const;
  double column_double(int i) const;
  std::string column_text(int i) const;
  std::string_view column_text_view(int i) const;
  // The column as a JSON value: INTEGER, REAL, TEXT as themselves, NULL as
  // null, BLOB as {"$blob": <size>}, infinities as null.
  json column_json(int i) const;
  // The column exactly: as column_json, but a BLOB as a binary value (its
  // bytes) and an infinity as itself. For answers (json_text::append_answer).
  json column_exact(int i) const;
  // Current row as an object keyed by column name, each column exact.
  json row_object() const;

  sqlite3_stmt* handle() const { return stmt_; }

 private:
  void check(int rc, const char* action) const;
  Database* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

struct OpenOptions {
  std::string path = ":memory:";
  std::string vfs;          // empty = SQLite's default VFS
  bool read_only = false;
  bool create = true;
};

class Database {
 public:
  explicit Database(const OpenOptions& options = {});
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs SQL text with no parameters (schema, pragmas). Never for user data.
  void exec(const char* sql);

  // A statement from this connection's cache, reset and with bindings cleared.
  // The reference stays valid until the Database is destroyed.
  Statement& cached(std::string_view sql);

  // The same for SQL text that comes from callers (sql.query/sql.exec): a
  // bounded LRU, so an app that builds many distinct statements cannot grow
  // the cache without limit, while its repeated statements skip prepare.
  Statement& cached_user(std::string_view sql);

  std::int64_t changes() const;
  std::int64_t last_insert_rowid() const;
  bool in_transaction() const;

  // Throws the Error for rc with this connection's message.
  [[noreturn]] void raise(int rc, const char* action) const;

  // Registers an application SQL function of `args` arguments (UTF-8,
  // `user_data` handed to `fn`), or removes it when fn is null. The
  // connection remembers which are registered, so one layer asks whether
  // another installed a function (has_function) instead of preparing SQL
  // that calls it and reading the error.
  using SqlFunction = void (*)(sqlite3_context*, int, sqlite3_value**);
  void define_function(const char* name, int args, void* user_data, SqlFunction fn);
  bool has_function(std::string_view name) const;

  sqlite3* handle() const { return db_; }

  // Work that must be part of every outermost Transaction, run by its
  // commit() just before COMMIT (derived data brought up to date in the same
  // transaction; model::search defers its index here). Throwing fails the
  // commit, which then rolls back.
  void set_before_commit(std::function<void(Database&)> hook) { before_commit_ = std::move(hook); }

 private:
  friend class Transaction;
  std::function<void(Database&)> before_commit_;
  int flatten_depth_ = 0;  // open Transaction(Nested::Flatten) scopes
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
  std::vector<std::string> functions_;  // define_function's, by name
  static constexpr std::size_t kUserCacheSize = 64;
  std::list<std::pair<std::string, std::unique_ptr<Statement>>> user_cache_;  // most recent first
};

// A parameterless query's rows as a map: keyed by the first column's text,
// each value read from the row by read(statement).
template <class Read>
auto rows_by_key(Database& db, std::string_view sql, Read read) {
  std::map<std::string, decltype(read(std::declval<Statement&>()))> out;
  Statement& st = db.cached(sql);
  while (st.step()) out.emplace(st.column_text(0), read(st));
  return out;
}

// BEGIN IMMEDIATE at the outermost level, SAVEPOINT when nested, so a
// repository call can open a Transaction without caring whether its caller
// already did. Rolls back in the destructor unless commit() ran.
class Transaction {
 public:
  // Flatten: transactions opened inside this one take no savepoint of their
  // own. For all-or-nothing work (a batch) whose failure rolls back whole
  // anyway: a savepoint costs a copy of every page it touches and an FTS5
  // index flush, about a quarter of a bulk insert's time.
  enum class Nested { Savepoint, Flatten };
  explicit Transaction(Database& db, Nested nested = Nested::Savepoint);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Database& db_;
  bool nested_;
  bool flattened_ = false;  // inside a Flatten transaction: a no-op
  bool flattens_ = false;   // this one is a Flatten transaction
  bool done_ = false;
  std::string savepoint_;
};

}  // namespace cs
