// The ordered list of schema migrations and the runner that applies them.
// Internal to the core; src/model/schema.hpp is the public face.
#pragma once

#include "db/database.hpp"

#include <vector>

namespace cs::schema {

struct Migration {
  int version;       // 1, 2, 3... contiguous; the database's user_version after it
  const char* name;  // for error messages
  const char* sql;   // one or more statements, run in one transaction
  // Table rebuilds (SQLite's 12-step ALTER) need foreign keys off, which
  // only takes effect outside a transaction; the runner then checks them
  // with PRAGMA foreign_key_check before committing.
  bool foreign_keys_off = false;
  // What SQL alone cannot say (a column added only where it is missing):
  // run after `sql`, in the same transaction.
  void (*code)(Database&) = nullptr;
};

// PRAGMA application_id of a campaign-store database ("CSDB").
inline constexpr int kApplicationId = 0x43534442;

// The migrations of this build (src/model/migrations.cpp).
const std::vector<Migration>& migrations();

// Applies `list` to db (see schema.hpp); exposed so tests can run a prefix
// of the list or a failing migration.
int migrate(Database& db, const std::vector<Migration>& list);

}  // namespace cs::schema
