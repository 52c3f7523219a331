#include "db/database.hpp"

#include "json/json_text.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace cs {

// ---------------------------------------------------------------- Statement

Statement::Statement(Database& db, std::string_view sql) : db_(&db) {
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v3(db.handle(), sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt_, &tail);
  if (rc != SQLITE_OK) db.raise(rc, "prepare");
  if (stmt_ == nullptr) throw Error(Code::InvalidArgument, "SQL text holds no statement");
  // One statement per call: trailing statements would silently not run.
  for (; tail != nullptr && *tail != '\0'; ++tail) {
    if (*tail != ' ' && *tail != '\n' && *tail != '\t' && *tail != '\r' && *tail != ';') {
      sqlite3_finalize(stmt_);
      stmt_ = nullptr;
      throw Error(Code::InvalidArgument, "only one SQL statement per call",
                  {{"trailing", std::string(tail).substr(0, 80)}});
    }
  }
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement::Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) {
  other.stmt_ = nullptr;
}

void Statement::check(int rc, const char* action) const {
  if (rc != SQLITE_OK) db_->raise(rc, action);
}

Statement& Statement::bind_null(int index) {
  check(sqlite3_bind_null(stmt_, index), "bind");
  return *this;
}
Statement& Statement::bind(int index, std::int64_t value) {
  check(sqlite3_bind_int64(stmt_, index, value), "bind");
  return *this;
}
Statement& Statement::bind(int index, double value) {
  check(sqlite3_bind_double(stmt_, index, value), "bind");
  return *this;
}
Statement& Statement::bind(int index, std::string_view text) {
  check(sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
        "bind");
  return *this;
}
Statement& Statement::bind_blob(int index, const void* data, std::size_t size) {
  // A null pointer would bind NULL; an empty blob is x''.
  check(sqlite3_bind_blob64(stmt_, index, data != nullptr ? data : "", size, SQLITE_TRANSIENT), "bind");
  return *this;
}

Statement& Statement::bind_json(int index, const json& value) {
  switch (value.type()) {
    case json::value_t::null:
    case json::value_t::discarded: return bind_null(index);
    case json::value_t::boolean: return bind(index, std::int64_t{value.get<bool>() ? 1 : 0});
    case json::value_t::number_integer: return bind(index, value.get<std::int64_t>());
    case json::value_t::number_unsigned: {
      auto u = value.get<std::uint64_t>();
      if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        throw Error(Code::InvalidArgument, "integer parameter out of 64-bit range", {{"index", index}});
      return bind(index, static_cast<std::int64_t>(u));
    }
    case json::value_t::number_float: {
      const double d = value.get<double>();
      // SQLite would store NaN as NULL; neither has a place in a value.
      if (!std::isfinite(d))
        throw Error(Code::InvalidArgument, "must be a finite number (NaN and Infinity have no SQLite value)", {{"index", index}});
      return bind(index, d);
    }
    case json::value_t::string: return bind(index, std::string_view(value.get_ref<const std::string&>()));
    case json::value_t::array:
    case json::value_t::object:
      // Bound as JSON text, read back with JSON.parse: it must come back the same.
      if (auto problem = json_text::document_problem(value))
        throw Error(Code::InvalidArgument, problem->problem, {{"index", index}, {"at", problem->path}});
      return bind(index, std::string_view(json_text::dump(value)));
    case json::value_t::binary:
      if (json_text::is_raw(value)) return bind(index, json_text::raw_text(value));
      return bind_blob(index, value.get_binary().data(), value.get_binary().size());
  }
  return *this;
}

namespace {
// Names the parameter in a binding error: details.field "params[0]" or "params.name".
[[noreturn]] void rethrow_for(const Error& e, const std::string& field) {
  json details = e.details().is_object() ? e.details() : json::object();
  std::string where = field;
  if (details.contains("at") && details["at"].is_string())
    where = json_text::join_path(field, details["at"].get_ref<const std::string&>());
  details["field"] = where;
  throw Error(e.code(), where + ": " + e.message(), std::move(details));
}
}  // namespace

Statement& Statement::bind_all(const json& params) {
  const int count = parameter_count();
  if (params.is_null()) {
    if (count != 0)
      throw Error(Code::InvalidArgument, "statement has parameters but none were given",
                  {{"expected", count}});
    return *this;
  }
  if (params.is_array()) {
    if (static_cast<int>(params.size()) != count)
      throw Error(Code::InvalidArgument, "wrong number of parameters",
                  {{"expected", count}, {"given", params.size()}});
    for (int i = 0; i < count; ++i) {
      try {
        bind_json(i + 1, params[static_cast<std::size_t>(i)]);
      } catch (const Error& e) {
        rethrow_for(e, "params[" + std::to_string(i) + "]");
      }
    }
    return *this;
  }
  if (params.is_object()) {
    for (int i = 1; i <= count; ++i) {
      const char* name = sqlite3_bind_parameter_name(stmt_, i);
      if (name == nullptr)
        throw Error(Code::InvalidArgument, "positional parameter used with named params",
                    {{"index", i}});
      auto it = params.find(name + 1);  // skip the ':', '@' or '$' prefix
      if (it == params.end())
        throw Error(Code::InvalidArgument, std::string("missing parameter ") + name,
                    {{"parameter", name}});
      try {
        bind_json(i, *it);
      } catch (const Error& e) {
        rethrow_for(e, std::string("params.") + (name + 1));
      }
    }
    return *this;
  }
  throw Error(Code::InvalidArgument, "params must be an array or an object",
              {{"field", "params"}});
}

int Statement::parameter_count() const { return sqlite3_bind_parameter_count(stmt_); }

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  // Keep the statement reusable after a failed step (constraint errors etc.).
  sqlite3_reset(stmt_);
  db_->raise(rc, "step");
}

void Statement::run() {
  while (step()) {
  }
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int Statement::column_count() const { return sqlite3_column_count(stmt_); }
const char* Statement::column_name(int i) const { return sqlite3_column_name(stmt_, i); }
bool Statement::column_is_null(int i) const { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }
std::int64_t Statement::column_int(int i) const { return sqlite3_column_int64(stmt_, i); }
double Statement::column_double(int i) const { return sqlite3_column_double(stmt_, i); }

std::string_view Statement::column_text_view(int i) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
  if (p == nullptr) return {};
  return {p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i))};
}
std::string Statement::column_text(int i) const { return std::string(column_text_view(i)); }

json Statement::column_json(int i) const {
  switch (sqlite3_column_type(stmt_, i)) {
    case SQLITE_INTEGER: return column_int(i);
    case SQLITE_FLOAT: {
      double d = column_double(i);
      if (!std::isfinite(d)) return nullptr;  // JSON has no NaN/Inf
      return d;
    }
    case SQLITE_TEXT: return column_text(i);
    case SQLITE_BLOB: return {{"$blob", sqlite3_column_bytes(stmt_, i)}};
    default: return nullptr;
  }
}

json Statement::column_exact(int i) const {
  switch (sqlite3_column_type(stmt_, i)) {
    case SQLITE_INTEGER: return column_int(i);
    case SQLITE_FLOAT: return column_double(i);
    case SQLITE_TEXT: return column_text(i);
    case SQLITE_BLOB: {
      const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, i));
      const auto n = static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i));
      return json::binary(p == nullptr ? json::binary_t::container_type() : json::binary_t::container_type(p, p + n));
    }
    default: return nullptr;
  }
}

json Statement::row_object() const {
  json row = json::object();
  const int n = column_count();
  for (int i = 0; i < n; ++i) row[column_name(i)] = column_exact(i);
  return row;
}

// ----------------------------------------------------------------- Database

Database::Database(const OpenOptions& options) {
  int flags = options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (options.create && !options.read_only) flags |= SQLITE_OPEN_CREATE;
  flags |= SQLITE_OPEN_EXRESCODE;
  int rc = sqlite3_open_v2(options.path.c_str(), &db_, flags,
                           options.vfs.empty() ? nullptr : options.vfs.c_str());
  if (rc != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw Error(code_from_sqlite(rc), "cannot open database: " + message,
                {{"path", options.path}, {"sqlite_code", rc}});
  }
  sqlite3_extended_result_codes(db_, 1);
  // Foreign keys are off by default in SQLite; the schema relies on them.
  exec("PRAGMA foreign_keys=ON");
}

Database::~Database() {
  cache_.clear();  // finalize statements before closing
  user_cache_.clear();
  sqlite3_close_v2(db_);
}

void Database::exec(const char* sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string message = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    throw Error(code_from_sqlite(sqlite3_extended_errcode(db_)), message,
                {{"sqlite_code", sqlite3_extended_errcode(db_)}});
  }
}

Statement& Database::cached(std::string_view sql) {
  auto it = cache_.find(std::string(sql));
  if (it == cache_.end()) {
    it = cache_.emplace(std::string(sql), std::make_unique<Statement>(*this, sql)).first;
  } else {
    it->second->reset();
  }
  return *it->second;
}

Statement& Database::cached_user(std::string_view sql) {
  for (auto it = user_cache_.begin(); it != user_cache_.end(); ++it) {
    if (it->first == sql) {
      user_cache_.splice(user_cache_.begin(), user_cache_, it);
      user_cache_.front().second->reset();
      return *user_cache_.front().second;
    }
  }
  auto stmt = std::make_unique<Statement>(*this, sql);  // throws before we touch the cache
  user_cache_.emplace_front(std::string(sql), std::move(stmt));
  if (user_cache_.size() > kUserCacheSize) user_cache_.pop_back();
  return *user_cache_.front().second;
}

std::int64_t Database::changes() const { return sqlite3_changes64(db_); }
std::int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
bool Database::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

void Database::define_function(const char* name, int args, void* user_data, SqlFunction fn) {
  const int rc = sqlite3_create_function_v2(db_, name, args, SQLITE_UTF8, user_data, fn, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) raise(rc, "register an SQL function");
  const auto at = std::find(functions_.begin(), functions_.end(), name);
  if (fn != nullptr && at == functions_.end()) functions_.emplace_back(name);
  if (fn == nullptr && at != functions_.end()) functions_.erase(at);
}

bool Database::has_function(std::string_view name) const {
  return std::find(functions_.begin(), functions_.end(), name) != functions_.end();
}

void Database::raise(int rc, const char* action) const {
  int extended = sqlite3_extended_errcode(db_);
  if ((extended & 0xff) != (rc & 0xff)) extended = rc;
  throw Error(code_from_sqlite(extended), sqlite3_errmsg(db_),
              {{"sqlite_code", extended}, {"action", action}});
}

// -------------------------------------------------------------- Transaction

Transaction::Transaction(Database& db, Nested nested) : db_(db), nested_(db.in_transaction()) {
  if (nested_ && db_.flatten_depth_ > 0) {
    flattened_ = true;
    return;
  }
  if (nested == Nested::Flatten) {
    flattens_ = true;
    ++db_.flatten_depth_;
  }
  if (nested_) {
    static thread_local unsigned counter = 0;
    savepoint_ = "sp" + std::to_string(++counter);
    db_.exec(("SAVEPOINT " + savepoint_).c_str());
  } else {
    // IMMEDIATE takes the write lock up front, so a transaction never fails
    // half-way with BUSY on its first write.
    db_.exec("BEGIN IMMEDIATE");
  }
}

Transaction::~Transaction() {
  if (flattens_) --db_.flatten_depth_;
  if (done_ || flattened_) return;
  try {
    if (nested_) {
      db_.exec(("ROLLBACK TO " + savepoint_ + "; RELEASE " + savepoint_).c_str());
    } else if (db_.in_transaction()) {
      // SQLite may already have rolled back on its own (e.g. SQLITE_FULL).
      db_.exec("ROLLBACK");
    }
  } catch (...) {
    // A destructor must not throw; the connection reports the state anyway.
  }
}

void Transaction::commit() {
  if (flattened_) return;
  if (!nested_ && db_.before_commit_) db_.before_commit_(db_);
  db_.exec(nested_ ? ("RELEASE " + savepoint_).c_str() : "COMMIT");
  done_ = true;
}

}  // namespace cs
