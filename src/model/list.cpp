#include "list.hpp"

#include "row_store.hpp"

#include "db/encoding.hpp"
#include "json/json_text.hpp"
#include "model/limits.hpp"

#include <algorithm>

namespace cs::model {

namespace {

// Cursors are base64url of [sort, desc, value, rowid]: opaque to callers,
// who must not build them, and safe in a URL.
std::string encode_cursor(const json& parts) {
  std::string text = json_text::dump(parts);
  std::string b = base64_encode(text.data(), text.size());
  std::string out;
  for (char c : b) {
    if (c == '=') break;
    out.push_back(c == '+' ? '-' : c == '/' ? '_' : c);
  }
  return out;
}

json decode_cursor(const std::string& cursor) {
  std::string b;
  for (char c : cursor) b.push_back(c == '-' ? '+' : c == '_' ? '/' : c);
  auto bytes = base64_decode(b);
  if (!bytes) return nullptr;
  const json parts = json_text::parse_or_null(std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()));
  if (!parts.is_array() || parts.size() != 4 || !parts[0].is_string() || !parts[1].is_number_integer() ||
      !(parts[2].is_string() || parts[2].is_number()) || !parts[3].is_number_integer())
    return nullptr;
  return parts;
}

}  // namespace

ListFilter filter_on(const TableSpec& spec, const std::string& api) {
  const Field& f = spec.field(api);
  return {api, "\"" + f.column + "\"", &f, ""};
}

ListSpec list_over(const TableSpec& spec, const std::vector<std::string>& filters, std::vector<ListSort> more_sorts) {
  ListSpec s;
  s.table = &spec;
  for (const auto& api : filters) s.filters.push_back(filter_on(spec, api));
  s.sorts = {{"createdAt", "created_at"}, {"updatedAt", "updated_at"}};
  for (auto& sort : more_sorts) s.sorts.push_back(std::move(sort));
  return s;
}

std::int64_t page_limit(const json& args) {
  return integer_arg(args, "limit", 1, limits::kMaxPageSize).value_or(limits::kDefaultPageSize);
}

json list_rows(Database& db, const ListSpec& spec, const json& args) {
  if (!args.is_null() && !args.is_object()) fail_field("args", "must be a JSON object");
  const json& a = args.is_object() ? args : json::object();
  const TableSpec& t = *spec.table;

  for (auto it = a.begin(); it != a.end(); ++it) {
    const std::string& key = it.key();
    bool known = key == "sort" || key == "order" || key == "limit" || key == "cursor" ||
                 std::any_of(spec.filters.begin(), spec.filters.end(), [&](const ListFilter& f) { return f.api == key; });
    if (!known) fail_field(key, "is not a filter of this list");
  }
  for (const std::string& r : spec.required)
    if (!a.contains(r) || a[r].is_null()) fail_field(r, "is required");

  // Sort and order.
  const ListSort* sort = &spec.sorts.front();
  if (a.contains("sort") && !a["sort"].is_null()) {
    if (!a["sort"].is_string()) fail_field("sort", "must be a string");
    const std::string& s = a["sort"].get_ref<const std::string&>();
    auto found = std::find_if(spec.sorts.begin(), spec.sorts.end(), [&](const ListSort& x) { return x.api == s; });
    if (found == spec.sorts.end()) {
      std::string allowed;
      for (const auto& x : spec.sorts) allowed += (allowed.empty() ? "" : ", ") + x.api;
      fail_field("sort", "must be one of " + allowed);
    }
    sort = &*found;
  }
  bool desc = spec.default_desc;
  if (a.contains("order") && !a["order"].is_null()) {
    if (a["order"] == "asc") desc = false;
    else if (a["order"] == "desc") desc = true;
    else fail_field("order", "must be 'asc' or 'desc'");
  }
  const std::int64_t limit = page_limit(a);

  // WHERE: filters in a fixed order so that the SQL text (the statement
  // cache key) depends only on which filters are present.
  std::string where;
  std::vector<Value> bound;
  for (const ListFilter& f : spec.filters) {
    auto it = a.find(f.api);
    if (it == a.end()) continue;
    if (!f.guard.empty()) where += " AND " + f.guard;
    if (it->is_null()) {
      where += " AND " + f.expr + " IS NULL";
      continue;
    }
    if (f.field != nullptr) {
      bound.push_back(parse_value(*f.field, *it, f.api));  // type, size, choices
    } else if (it->is_string()) {
      bound.push_back(std::string_view(it->get_ref<const std::string&>()));
    } else if (auto n = it->is_number_integer() ? json_text::to_int64(*it) : std::nullopt) {
      bound.push_back(*n);
    } else {
      fail_field(f.api, "must be a string or an integer");
    }
    where += " AND " + f.expr + " = ?";
  }
  json cursor;
  if (a.contains("cursor") && !a["cursor"].is_null()) {
    if (!a["cursor"].is_string()) fail_field("cursor", "must be a string from nextCursor");
    cursor = decode_cursor(a["cursor"].get<std::string>());
    if (cursor.is_null()) fail_field("cursor", "is not a cursor this store made");
    if (cursor[0] != sort->api || cursor[1] != (desc ? 1 : 0))
      fail_field("cursor", "was made for another sort or order; start again without it");
    where += std::string(" AND (") + sort->expr + ", rowid) " + (desc ? "<" : ">") + " (?, ?)";
  }
  const char* dir = desc ? " DESC" : " ASC";
  std::string sql = "SELECT " + t.select_list + ", " + sort->expr + ", rowid FROM \"" + t.name +
                    "\" WHERE 1" + where + " ORDER BY " + sort->expr + dir + ", rowid" + dir + " LIMIT ?";

  Statement& q = db.cached(sql);
  int p = 0;
  for (const Value& v : bound) bind_value(q, ++p, v);
  if (!cursor.is_null()) {
    q.bind_json(++p, cursor[2]);
    q.bind(++p, cursor[3].get<std::int64_t>());
  }
  q.bind(++p, limit + 1);

  json items = json::array();
  const int key_col = static_cast<int>(t.fields.size()) + 3;
  json last_key, last_rowid;
  bool more = false;
  while (q.step()) {
    if (static_cast<std::int64_t>(items.size()) == limit) {
      more = true;
      break;
    }
    items.push_back(read_row_raw(t, q));
    last_key = q.column_json(key_col);
    last_rowid = q.column_json(key_col + 1);
  }
  q.reset();
  json next = more ? json(encode_cursor({sort->api, desc ? 1 : 0, last_key, last_rowid})) : json(nullptr);
  return {{"items", std::move(items)}, {"nextCursor", std::move(next)}};
}

}  // namespace cs::model
