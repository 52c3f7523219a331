// The write path. Every insert, update and delete of a Campaign Builder row
// made by the data API goes through these three functions, which stamp
// updated_at (and created_at) and the row's hybrid logical clock. The sync
// engine's capture triggers then record each written row, cascaded deletes
// included, in its outbox within the same transaction (src/sync/capture.cpp).
#pragma once

#include "values.hpp"

namespace cs::model {

// Inserts every column of row. Fills row.created_at/updated_at when empty.
void insert_row(Database& db, const TableSpec& spec, Row& row);

// Writes the fields row gives (nullopt ones are kept). Returns false when no
// row has that id. Sets row.updated_at.
bool update_row(Database& db, const TableSpec& spec, Row& row);

// Deletes the row (ON DELETE actions of the schema apply). False when absent.
bool delete_row(Database& db, const TableSpec& spec, std::string_view id);

// Binds a stored value.
void bind_value(Statement& stmt, int index, const Value& v);

}  // namespace cs::model
