#include "model_tables.hpp"

#include "json/json_text.hpp"
#include "model/table.hpp"
#include "model/values.hpp"

namespace cs::model {

namespace {

sync::ColumnSpec text_column(const char* name) {
  sync::ColumnSpec c;
  c.name = name;
  return c;
}

// A value from the server through the data API's own check of the field
// (type, size, range, choices, JSON kind, timestamp), as the data API
// would store it: the same rules for a row whether it was written here or
// pulled. Nulls are the sync engine's to judge (by the column's NOT NULL).
// One exception: a JSON document goes in as the text the server sent
// (json_text::raw), without the data API's rule that JSON.parse must read it
// back the same. An integer in it that no double holds (raw SQL on another
// device wrote it) is kept with every digit, so every device holds the same
// row; refusing it would leave the row missing here while the device that
// wrote it keeps it.
std::function<json(const json&)> decode_as(Field f) {
  const bool document = f.kind == Kind::Object || f.kind == Kind::Array || f.kind == Kind::Json;
  return [f = std::move(f), document](const json& remote) -> json {
    Value v = document && remote.is_structured() ? parse_value(f, json_text::raw(json_text::dump(remote)), f.column)
                                                 : parse_value(f, remote, f.column);
    if (auto* n = std::get_if<std::int64_t>(&v)) return *n;
    if (is_null(v)) return nullptr;
    return std::string(text_of(v));
  };
}

Field timestamp_field(const char* column) {
  Field f;
  f.api = column;
  f.column = column;
  f.kind = Kind::Timestamp;
  return f;
}

}  // namespace
}  // namespace cs::model

namespace cs::sync {

std::vector<TableSpec> model_tables() {
  using model::Field;
  using model::Kind;
  using model::text_column;
  std::vector<TableSpec> out;
  for (const model::TableSpec* t : model::all_tables()) {
    TableSpec s;
    s.name = t->name;
    // users: one row per user, the owner's; products.user_id references it
    // here only (the server scopes every table by user_id instead).
    s.owner_table = t->name == "users";
    s.columns.push_back(text_column("id"));
    for (const Field& f : t->fields) {
      ColumnSpec c;
      c.name = f.column;
      switch (f.kind) {
        case Kind::Integer: c.kind = ColumnKind::Integer; break;
        case Kind::Boolean: c.kind = ColumnKind::Boolean; break;
        case Kind::Object:
        case Kind::Array:
        case Kind::Json: c.kind = ColumnKind::Json; break;
        case Kind::Money2: c.kind = ColumnKind::Decimal; c.scale = 2; break;
        case Kind::Money4: c.kind = ColumnKind::Decimal; c.scale = 4; break;
        default: c.kind = ColumnKind::Text; break;
      }
      c.decode = model::decode_as(f);
      if (f.kind == Kind::Id && f.ref == "users") s.local_parents.push_back(f.ref);
      s.columns.push_back(std::move(c));
    }
    for (const char* stamp : {"created_at", "updated_at"}) {
      ColumnSpec c = text_column(stamp);
      c.decode = model::decode_as(model::timestamp_field(stamp));
      s.columns.push_back(std::move(c));
    }
    s.columns.push_back(text_column("hlc"));
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace cs::sync
