// The Campaign Builder schema, created and upgraded by versioned migrations
// tracked in PRAGMA user_version (src/model/schema.cpp).
#pragma once

#include "db/database.hpp"

namespace cs::schema {

// The version this build writes. A database with a higher user_version was
// written by a newer campaign-store and is refused (never downgraded).
int current_version();

// Applies every migration above the database's user_version, each in its own
// transaction. Returns the version the database is at afterwards.
int migrate(Database& db);

}  // namespace cs::schema
