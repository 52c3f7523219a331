#include "repo.hpp"
#include "repos.hpp"

#include <algorithm>

namespace cs::model {

const TableSpec& table_named(std::string_view name) {
  for (const TableSpec* t : all_tables())
    if (t->name == name) return *t;
  throw Error(Code::Internal, "no table " + std::string(name));
}

Row patch_row(const TableSpec& spec, std::string id) {
  Row row;
  row.id = std::move(id);
  row.values.resize(spec.fields.size());
  return row;
}

std::string noun(const TableSpec& spec) {
  std::string n = spec.name;
  for (char& c : n)
    if (c == '_') c = ' ';
  if (!n.empty() && n.back() == 's') n.pop_back();
  return n;
}

std::optional<json> find_row(Database& db, const TableSpec& spec, std::string_view id) {
  Statement& q = db.cached(spec.select_by_id);
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  json row = read_row(spec, q);
  q.reset();
  return row;
}

namespace {

[[noreturn]] void no_such_row(const TableSpec& spec, std::string_view id, const std::string& field) {
  throw Error(Code::NotFound, field + ": no " + noun(spec) + " with id '" + std::string(id) + "'",
              {{"field", field}, {"table", spec.name}, {"id", std::string(id)}});
}

}  // namespace

json get_row(Database& db, const TableSpec& spec, std::string_view id, const std::string& field) {
  auto row = find_row(db, spec, id);
  if (!row) no_such_row(spec, id, field);
  return std::move(*row);
}

json get_row_raw(Database& db, const TableSpec& spec, std::string_view id, const std::string& field) {
  Statement& q = db.cached(spec.select_by_id);
  q.bind(1, id);
  if (!q.step()) no_such_row(spec, id, field);
  json row = read_row_raw(spec, q);
  q.reset();
  return row;
}

bool row_exists(Database& db, const TableSpec& spec, std::string_view id) {
  Statement& q = db.cached(spec.exists_by_id);
  q.bind(1, id);
  bool found = q.step();
  q.reset();
  return found;
}

void require_row(Database& db, const TableSpec& spec, std::string_view id, const std::string& field) {
  if (!row_exists(db, spec, id)) no_such_row(spec, id, field);
}

void check_references(Database& db, const TableSpec& spec, const Row& row, const std::string& prefix,
                      const std::vector<std::string_view>& skip) {
  for (std::size_t i = 0; i < spec.fields.size(); ++i) {
    const Field& f = spec.fields[i];
    if (f.kind != Kind::Id || f.ref.empty() || !row.values[i] || is_null(*row.values[i])) continue;
    if (std::find(skip.begin(), skip.end(), f.api) != skip.end()) continue;
    const TableSpec& parent = table_named(f.ref);
    std::string_view id = text_of(*row.values[i]);
    if (!row_exists(db, parent, id)) {
      // Checked here rather than left to SQLite, whose "FOREIGN KEY
      // constraint failed" does not say which field.
      const std::string path = field_path(prefix, f.api);
      throw Error(Code::Constraint, path + ": no " + noun(parent) + " with id '" + std::string(id) + "'",
                  {{"field", path}, {"table", parent.name}, {"id", std::string(id)}});
    }
  }
}

void check_unique(Database& db, const TableSpec& spec, const Row& row, const std::string& prefix) {
  for (std::size_t i = 0; i < spec.fields.size(); ++i) {
    const Field& f = spec.fields[i];
    if (!f.unique || !row.values[i] || is_null(*row.values[i])) continue;
    // The column's own collation applies (email is NOCASE).
    Statement& q = db.cached("SELECT id FROM \"" + spec.name + "\" WHERE \"" + f.column + "\" = ?1 AND id <> ?2");
    bind_value(q, 1, *row.values[i]);
    q.bind(2, std::string_view(row.id));
    if (q.step()) {
      std::string other = q.column_text(0);
      q.reset();
      const std::string path = field_path(prefix, f.api);
      throw Error(Code::Conflict, path + ": '" + std::string(text_of(*row.values[i])) + "' is taken by " +
                                      noun(spec) + " " + other,
                  {{"field", path}, {"table", spec.name}, {"id", other}});
    }
  }
}

void check_new_id(Database& db, const TableSpec& spec, const Row& row, const json& args, const std::string& prefix) {
  // Generated ids are random UUIDs; only an id the caller chose can be taken.
  if (!args.is_object() || !args.contains("id") || args["id"].is_null()) return;
  if (row_exists(db, spec, row.id)) {
    const std::string path = field_path(prefix, "id");
    throw Error(Code::Conflict, path + ": a " + noun(spec) + " with id '" + row.id + "' already exists",
                {{"field", path}, {"table", spec.name}, {"id", row.id}});
  }
}

json create_checked(Database& db, const TableSpec& spec, const json& args, const ParseOptions& options) {
  Row row = parse_create(spec, args, options);
  check_new_id(db, spec, row, args, options.prefix);
  check_references(db, spec, row, options.prefix);
  check_unique(db, spec, row, options.prefix);
  insert_row(db, spec, row);
  return row_raw(spec, row);
}

json create_entity(Database& db, const TableSpec& spec, const json& args) {
  Transaction tx(db);
  json out = create_checked(db, spec, args);
  tx.commit();
  return out;
}

json get_entity(Database& db, const TableSpec& spec, const json& args) {
  return get_row_raw(db, spec, parse_id(args, "id"));
}

json update_entity(Database& db, const TableSpec& spec, const json& args, const ParseOptions& options) {
  Row row = parse_update(spec, args, options);
  Transaction tx(db);
  require_row(db, spec, row.id, "id");
  if (!row.empty()) {
    check_references(db, spec, row, options.prefix);
    check_unique(db, spec, row, options.prefix);
    update_row(db, spec, row);
  }
  json out = get_row_raw(db, spec, row.id);
  tx.commit();
  return out;
}

json delete_entity(Database& db, const TableSpec& spec, const json& args) {
  std::string id = parse_id(args, "id");
  Transaction tx(db);
  if (!delete_row(db, spec, id))
    throw Error(Code::NotFound, "id: no " + noun(spec) + " with id '" + id + "'",
                {{"field", "id"}, {"table", spec.name}, {"id", id}});
  tx.commit();
  return {{"id", id}, {"deleted", true}};
}

// What goes with a removed row is the schema's (ON DELETE CASCADE / SET
// NULL), as the op table's descriptions say.
template <TableOf T> json Plain<T>::create(Database& db, const json& a) { return create_entity(db, T(), a); }
template <TableOf T> json Plain<T>::get(Database& db, const json& a) { return get_entity(db, T(), a); }
template <TableOf T> json Plain<T>::update(Database& db, const json& a) { return update_entity(db, T(), a); }
template <TableOf T> json Plain<T>::remove(Database& db, const json& a) { return delete_entity(db, T(), a); }

template struct Plain<spec::users>;
template struct Plain<spec::platform_integrations>;
template struct Plain<spec::campaign_publications>;
template struct Plain<spec::ai_generations>;
template struct Plain<spec::creative_assets>;
template struct Plain<spec::creatives>;
template struct Plain<spec::campaigns>;
template struct Plain<spec::products>;
template struct Plain<spec::product_images>;

}  // namespace cs::model
