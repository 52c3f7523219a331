#include "campaign_store/model.hpp"

#include "table.hpp"

namespace cs::model {

namespace {
sync::ColumnSpec text_column(const char* name) {
  sync::ColumnSpec c;
  c.name = name;
  return c;
}
}  // namespace

std::vector<sync::TableSpec> sync_tables() {
  std::vector<sync::TableSpec> out;
  for (const TableSpec* t : all_tables()) {
    sync::TableSpec s;
    s.name = t->name;
    s.columns.push_back(text_column("id"));
    for (const Field& f : t->fields) {
      sync::ColumnSpec c;
      c.name = f.column;
      switch (f.kind) {
        case Kind::Integer: c.kind = sync::ColumnKind::Integer; break;
        case Kind::Boolean: c.kind = sync::ColumnKind::Boolean; break;
        case Kind::Object:
        case Kind::Array:
        case Kind::Json: c.kind = sync::ColumnKind::Json; break;
        case Kind::Money2: c.kind = sync::ColumnKind::Decimal; c.scale = 2; break;
        case Kind::Money4: c.kind = sync::ColumnKind::Decimal; c.scale = 4; break;
        default: c.kind = sync::ColumnKind::Text; break;
      }
      s.columns.push_back(std::move(c));
    }
    s.columns.push_back(text_column("created_at"));
    s.columns.push_back(text_column("updated_at"));
    s.columns.push_back(text_column("hlc"));
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace cs::model
