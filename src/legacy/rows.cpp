// Writing the rows a legacy item maps to, through the core's writer
// (model/row_store.hpp) with the old app's times as the rows' own. A first
// migration inserts; a re-migration (the value changed in localStorage)
// updates in place, keeping the row id, so foreign keys, the sync outbox and
// anything the app attached to the row (publications, drafts) stay valid.
// Each row remembers a fingerprint per column of what the migration wrote; a
// column whose value no longer matches was changed by the app since, and the
// re-migration leaves it alone. The export uses the same fingerprints to
// decide whether to write back the original field or the app's value.
#include "internal.hpp"

#include "db/cold_code.hpp"
#include "db/encoding.hpp"

#include <sqlite3.h>

CS_COLD_CODE_BEGIN

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

Value column_value(Statement& st, int i) {
  switch (sqlite3_column_type(st.handle(), i)) {
    case SQLITE_NULL: return Value::null();
    case SQLITE_INTEGER: return Value::of(st.column_int(i));
    default: return Value::of(st.column_text(i));
  }
}

// A value as the core's writer holds it.
model::Value cell(const Value& v) {
  switch (v.kind) {
    case Value::Int: return v.i;
    case Value::Text: return v.s;
    case Value::Null: break;
  }
  return {};
}

void insert(Database& db, const char* table, const std::string& id, const Columns& columns) {
  RowBatch one(db, table);
  one.add(id, columns);
  one.flush();
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
  if (snapshot == nullptr || !snapshot->is_object()) {
    insert(db, table, id, columns);
    return snapshot_of(columns);
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
    return snapshot_of(columns);
  }
  ojson snap = ojson::object();
  std::vector<std::string> names;
  std::vector<model::Value> values;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const std::string now = fingerprint(column_value(current, static_cast<int>(i)));
    const std::string wanted = fingerprint(columns[i].second);
    auto old = snapshot->find(columns[i].first);
    const bool untouched = old == snapshot->end() || !old->is_string() || old->get_ref<const std::string&>() == now;
    if (columns[i].second.weak) {
      // A stand-in never replaces what the row has.
      snap[columns[i].first] = untouched ? ojson(now) : *old;
    } else if (untouched) {
      if (wanted != now) {
        names.emplace_back(columns[i].first);
        values.push_back(cell(columns[i].second));
      }
      snap[columns[i].first] = wanted;
    } else {
      snap[columns[i].first] = *old;  // the app's edit wins, and stays marked as one
    }
  }
  current.reset();
  if (!names.empty()) model::update_columns(db, table, id, names, values);
  return snap;
}

RowBatch::RowBatch(Database& db, const char* table, std::vector<std::string> conflict)
    : db_(db), table_(table), conflict_(std::move(conflict)), with_id_(conflict_ == std::vector<std::string>{"id"}) {}

void RowBatch::add(std::string id, const Columns& values) {
  if (!upsert_) {
    std::vector<std::string> names;
    if (with_id_) names.emplace_back("id");
    for (const auto& [name, _] : values) names.emplace_back(name);
    upsert_.emplace(db_, table_, std::move(names), conflict_);
  }
  const auto& names = upsert_->columns();
  const std::size_t first = with_id_ ? 1 : 0;
  bool same = names.size() == values.size() + first;
  for (std::size_t i = 0; same && i < values.size(); ++i) same = names[first + i] == values[i].first;
  if (!same) throw Error(Code::Internal, "a batch of " + table_ + " rows got rows of different columns");
  std::vector<model::Value> row;
  row.reserve(names.size());
  if (with_id_) row.emplace_back(std::move(id));
  for (const auto& [_, v] : values) row.push_back(cell(v));
  upsert_->add(std::move(row));
}

void RowBatch::flush() {
  if (upsert_) upsert_->flush();
}

ojson snapshot_of(const Columns& columns) {
  ojson snap = ojson::object();
  for (const auto& [name, v] : columns) snap.emplace(name, fingerprint(v));
  return snap;
}

ojson RowBatch::put(const Claim& claim, const Columns& columns) {
  auto snap = claim.notes.find("snap");
  if (!claim.existed || snap == claim.notes.end() || !snap->is_object()) {
    add(claim.row_id, columns);
    return ojson{{"snap", snapshot_of(columns)}};
  }
  return ojson{{"snap", write_row(db_, table_.c_str(), claim.row_id, columns, &*snap)}};
}

}  // namespace cs::legacy

CS_COLD_CODE_END
