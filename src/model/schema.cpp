// The migration runner: one transaction per migration, the version recorded
// in PRAGMA user_version inside that same transaction, so a crash or a
// failing statement leaves the database at the previous version, whole.
#include "model/schema.hpp"

#include "db/cold_code.hpp"
#include "migrations.hpp"

#include <string>

CS_COLD_CODE_BEGIN

namespace cs::schema {

namespace {

std::int64_t pragma_int(Database& db, const char* sql) {
  Statement q(db, sql);
  return q.step() ? q.column_int(0) : 0;
}

void apply(Database& db, const Migration& m) {
  struct ForeignKeysBackOn {
    Database& db;
    bool active;
    ~ForeignKeysBackOn() {
      if (!active) return;
      try {
        db.exec("PRAGMA foreign_keys = ON");
      } catch (...) {
      }
    }
  } restore{db, m.foreign_keys_off};
  if (m.foreign_keys_off) db.exec("PRAGMA foreign_keys = OFF");

  Transaction tx(db);
  try {
    db.exec(m.sql);
    if (m.code != nullptr) m.code(db);
  } catch (const Error& e) {
    json details = e.details();
    details["migration"] = m.version;
    throw Error(e.code(), "migration " + std::to_string(m.version) + " (" + m.name + ") failed: " + e.message(),
                details);
  }
  if (m.foreign_keys_off) {
    Statement check(db, "PRAGMA foreign_key_check");
    if (check.step())
      throw Error(Code::Constraint,
                  "migration " + std::to_string(m.version) + " (" + m.name + ") broke a foreign key",
                  {{"migration", m.version}, {"table", check.column_text(0)}});
  }
  // user_version is not a bindable value; the number comes from our list.
  db.exec(("PRAGMA user_version = " + std::to_string(m.version)).c_str());
  tx.commit();
}

}  // namespace

int current_version() {
  const auto& list = migrations();
  return list.empty() ? 0 : list.back().version;
}

int migrate(Database& db) { return migrate(db, migrations()); }

int migrate(Database& db, const std::vector<Migration>& list) {
  const int latest = list.empty() ? 0 : list.back().version;
  const std::int64_t app = pragma_int(db, "PRAGMA application_id");
  if (app != 0 && app != kApplicationId)
    throw Error(Code::InvalidArgument, "this file is not a campaign-store database (application_id " +
                                           std::to_string(app) + ")",
                {{"applicationId", app}});
  const std::int64_t version = pragma_int(db, "PRAGMA user_version");
  if (version > latest)
    // Never touch it: an older build writing rows the newer schema does not
    // expect is how data gets corrupted. The user must update the app.
    throw Error(Code::Conflict,
                "database schema version " + std::to_string(version) +
                    " was written by a newer campaign-store; this build supports up to version " +
                    std::to_string(latest) + ". Update the app instead of opening it with this one.",
                {{"reason", "schema_too_new"}, {"schemaVersion", version}, {"supportedVersion", latest}});
  int expected = 1;
  for (const Migration& m : list) {
    if (m.version != expected++)
      throw Error(Code::Internal, "migrations are not numbered 1, 2, 3...", {{"migration", m.version}});
    if (m.version > version) apply(db, m);
  }
  return static_cast<int>(pragma_int(db, "PRAGMA user_version"));
}

}  // namespace cs::schema

CS_COLD_CODE_END
