// Generic repository operations over a table descriptor: get, create, update,
// delete with the checks that give every rejection a code and a field
// (reference to nothing -> CONSTRAINT, taken unique value or id -> CONFLICT,
// missing row -> NOT_FOUND). Entity repositories build on these.
#pragma once

#include "row_store.hpp"

#include <optional>

namespace cs::model {

// The row as JSON, or nullopt.
std::optional<json> find_row(Database& db, const TableSpec& spec, std::string_view id);
// The row as JSON; NOT_FOUND naming `field` when absent.
json get_row(Database& db, const TableSpec& spec, std::string_view id, const std::string& field = "id");
// The same as RawJson (read_row_raw), for answers.
json get_row_raw(Database& db, const TableSpec& spec, std::string_view id, const std::string& field = "id");
bool row_exists(Database& db, const TableSpec& spec, std::string_view id);
// NOT_FOUND naming `field` unless the row exists.
void require_row(Database& db, const TableSpec& spec, std::string_view id, const std::string& field);

// Before writing: every reference given points at a row, every unique value
// is free, a caller-chosen id on create is free.
void check_references(Database& db, const TableSpec& spec, const Row& row, const std::string& prefix,
                      const std::vector<std::string_view>& skip = {});
void check_unique(Database& db, const TableSpec& spec, const Row& row, const std::string& prefix);
void check_new_id(Database& db, const TableSpec& spec, const Row& row, const json& args, const std::string& prefix);

// parse + checks + insert, inside the caller's transaction; returns the row.
json create_checked(Database& db, const TableSpec& spec, const json& args, const ParseOptions& options = {});

// Whole ops (each its own transaction, nested ones become savepoints).
json create_entity(Database& db, const TableSpec& spec, const json& args);
json get_entity(Database& db, const TableSpec& spec, const json& args);
json update_entity(Database& db, const TableSpec& spec, const json& args, const ParseOptions& options = {});
json delete_entity(Database& db, const TableSpec& spec, const json& args);

const TableSpec& table_named(std::string_view name);

// A Row for update_row with no field set yet: fill it with Row::set.
Row patch_row(const TableSpec& spec, std::string id);

// "product" for products, "product image" for product_images: for messages.
std::string noun(const TableSpec& spec);

}  // namespace cs::model
