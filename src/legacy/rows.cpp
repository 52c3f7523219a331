// Writing the rows a legacy item maps to. A first migration inserts; a
// re-migration (the value changed in localStorage) updates in place, keeping
// the row id, so foreign keys, the sync outbox and anything the app attached
// to the row (publications, drafts) stay valid. Each row remembers a
// fingerprint per column of what the migration wrote; a column whose value
// no longer matches was changed by the app since, and the re-migration
// leaves it alone. The export uses the same fingerprints to decide whether
// to write back the original field or the app's value.
#include "internal.hpp"

#include "db/encoding.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstring>

namespace cs::legacy {

namespace {

std::uint64_t fnv1a(std::uint64_t h, const void* data, std::size_t n) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < n; ++i) {
    h ^= p[i];
    h *= 0x100000001b3ull;
  }
  return h;
}

std::string quoted(const char* identifier) { return std::string("\"") + identifier + "\""; }

void bind_value(Statement& st, int index, const Value& v) {
  switch (v.kind) {
    case Value::Null: st.bind_null(index); break;
    case Value::Int: st.bind(index, v.i); break;
    case Value::Text: st.bind(index, std::string_view(v.s)); break;
  }
}

Value column_value(Statement& st, int i) {
  switch (sqlite3_column_type(st.handle(), i)) {
    case SQLITE_NULL: return Value::null();
    case SQLITE_INTEGER: return Value::of(st.column_int(i));
    default: return Value::of(st.column_text(i));
  }
}

void insert(Database& db, const char* table, const std::string& id, const Columns& columns) {
  std::string sql = "INSERT INTO " + quoted(table) + " (id";
  std::string values = "?1", updates;
  int n = 2;
  for (const auto& [name, _] : columns) {
    sql += ", " + quoted(name);
    values += ", ?" + std::to_string(n++);
    updates += (updates.empty() ? "" : ", ") + quoted(name) + " = excluded." + quoted(name);
  }
  sql += ") VALUES (" + values + ") ON CONFLICT(id) DO UPDATE SET " + updates;
  Statement& st = db.cached(sql);
  st.bind(1, std::string_view(id));
  n = 2;
  for (const auto& [_, v] : columns) bind_value(st, n++, v);
  st.run();
}

}  // namespace

std::string fingerprint(const Value& v) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  const char kind = static_cast<char>('0' + v.kind);
  h = fnv1a(h, &kind, 1);
  if (v.kind == Value::Int) {
    const std::string s = std::to_string(v.i);
    h = fnv1a(h, s.data(), s.size());
  } else if (v.kind == Value::Text) {
    h = fnv1a(h, v.s.data(), v.s.size());
  }
  return to_hex(h);
}

ojson write_row(Database& db, const char* table, const std::string& id, const Columns& columns,
                const ojson* snapshot) {
  ojson snap = ojson::object();
  if (snapshot == nullptr || !snapshot->is_object()) {
    insert(db, table, id, columns);
    for (const auto& [name, v] : columns) snap[name] = fingerprint(v);
    return snap;
  }
  std::string select = "SELECT ";
  for (std::size_t i = 0; i < columns.size(); ++i) select += (i ? ", " : "") + quoted(columns[i].first);
  select += " FROM " + quoted(table) + " WHERE id = ?1";
  Statement& current = db.cached(select);
  current.bind(1, std::string_view(id));
  if (!current.step()) {
    // The app deleted the row, and the old app still shows the item: the
    // legacy source is live, so it comes back (nothing is lost either way).
    current.reset();
    insert(db, table, id, columns);
    for (const auto& [name, v] : columns) snap[name] = fingerprint(v);
    return snap;
  }
  std::vector<std::size_t> updates;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const std::string now = fingerprint(column_value(current, static_cast<int>(i)));
    const std::string wanted = fingerprint(columns[i].second);
    auto old = snapshot->find(columns[i].first);
    const bool untouched = old == snapshot->end() || !old->is_string() || old->get_ref<const std::string&>() == now;
    if (columns[i].second.weak) {
      // A stand-in never replaces what the row has.
      snap[columns[i].first] = untouched ? ojson(now) : *old;
    } else if (untouched) {
      if (wanted != now) updates.push_back(i);
      snap[columns[i].first] = wanted;
    } else {
      snap[columns[i].first] = *old;  // the app's edit wins, and stays marked as one
    }
  }
  current.reset();
  if (!updates.empty()) {
    std::string sql = "UPDATE " + quoted(table) + " SET ";
    for (std::size_t k = 0; k < updates.size(); ++k)
      sql += (k ? ", " : "") + quoted(columns[updates[k]].first) + " = ?" + std::to_string(k + 2);
    sql += " WHERE id = ?1";
    Statement& st = db.cached(sql);
    st.bind(1, std::string_view(id));
    for (std::size_t k = 0; k < updates.size(); ++k) bind_value(st, static_cast<int>(k + 2), columns[updates[k]].second);
    st.run();
  }
  return snap;
}

}  // namespace cs::legacy

namespace cs::legacy {

namespace {
constexpr std::size_t kMaxParameters = 32766;  // SQLITE_MAX_VARIABLE_NUMBER's default
constexpr std::size_t kMaxRowsPerStatement = 200;
}  // namespace

RowBatch::RowBatch(Database& db, const char* table, const char* conflict) : db_(db), table_(table), conflict_(conflict) {}

void RowBatch::add(std::string id, const Columns& values) {
  if (columns_.empty()) {
    if (conflict_ == "id") columns_.push_back("id");
    for (const auto& [name, _] : values) columns_.push_back(name);
    per_statement_ = std::min(kMaxRowsPerStatement, kMaxParameters / columns_.size());
  }
  if (values.size() + (conflict_ == "id" ? 1 : 0) != columns_.size())
    throw Error(Code::Internal, "a batch of " + table_ + " rows got rows of different shapes");
  if (conflict_ == "id") values_.push_back(Value::of(std::move(id)));
  for (const auto& [_, v] : values) values_.push_back(v);
  if (++rows_ >= per_statement_) flush();
}

void RowBatch::flush() {
  if (rows_ == 0) return;
  std::string cols, row = "(", updates;
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    cols += (c ? ", " : "") + quoted(columns_[c]);
    row += c ? ", ?" : "?";
    if (conflict_.find(columns_[c]) == std::string::npos)
      updates += (updates.empty() ? "" : ", ") + quoted(columns_[c]) + " = excluded." + quoted(columns_[c]);
  }
  row += ")";
  std::string sql = "INSERT INTO " + quoted(table_.c_str()) + " (" + cols + ") VALUES ";
  for (std::size_t r = 0; r < rows_; ++r) sql += (r ? ", " : "") + row;
  sql += " ON CONFLICT(" + conflict_ + ") DO UPDATE SET " + updates;
  Statement& st = db_.cached(sql);
  for (std::size_t i = 0; i < values_.size(); ++i) bind_value(st, static_cast<int>(i + 1), values_[i]);
  st.run();
  values_.clear();
  rows_ = 0;
}

ojson snapshot_of(const Columns& columns) {
  ojson snap = ojson::object();
  for (const auto& [name, v] : columns) snap.emplace(name, fingerprint(v));
  return snap;
}

ojson put_row(Database& db, RowBatch& batch, const char* table, const std::string& id, const Columns& columns,
              const Claim& claim) {
  auto snap = claim.notes.find("snap");
  if (!claim.existed || snap == claim.notes.end() || !snap->is_object()) {
    batch.add(id, columns);
    return snapshot_of(columns);
  }
  return write_row(db, table, id, columns, &*snap);
}

}  // namespace cs::legacy
