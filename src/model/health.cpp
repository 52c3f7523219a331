// health: is a database open and sound (quick_check, foreign keys)?
// metrics: how big is it (rows per table, bytes, pages, free pages)?
#include "repos.hpp"
#include "table.hpp"

#include "db/cold_code.hpp"
#include "model/schema.hpp"

CS_COLD_CODE_BEGIN

namespace cs::model::health {

namespace {

std::int64_t pragma_int(Database& db, const char* sql) {
  Statement q(db, sql);
  return q.step() ? q.column_int(0) : 0;
}

}  // namespace

json check(Database* db) {
  if (db == nullptr) return {{"ok", false}, {"open", false}};
  // quick_check is O(database) without the index cross-checks of
  // integrity_check: cheap enough for a health probe. 10 problems at most.
  json problems = json::array();
  {
    Statement q(*db, "PRAGMA quick_check(10)");
    while (q.step()) {
      std::string line = q.column_text(0);
      if (line != "ok") problems.push_back(line);
    }
  }
  std::int64_t fk_violations = 0;
  {
    Statement q(*db, "PRAGMA foreign_key_check");
    while (q.step() && fk_violations < 1000) ++fk_violations;
  }
  const std::int64_t version = pragma_int(*db, "PRAGMA user_version");
  // A row whose parent is missing is not ok: sync leaves none once a pull
  // is complete (src/sync/pull.cpp), so one here is damage to report.
  return {{"ok", problems.empty() && fk_violations == 0 && version == schema::current_version()},
          {"open", true},
          {"quickCheck", problems.empty() ? json("ok") : problems},
          {"foreignKeyViolations", fk_violations},
          {"schemaVersion", version},
          {"supportedSchemaVersion", schema::current_version()}};
}

json metrics(Database& db) {
  json tables = json::object();
  for (const TableSpec* t : all_tables()) {
    Statement& q = db.cached("SELECT count(*) FROM \"" + t->name + "\"");
    q.step();
    tables[t->name] = q.column_int(0);
    q.reset();
  }
  {
    Statement& q = db.cached("SELECT count(*) FROM cache_entries");
    q.step();
    tables["cache_entries"] = q.column_int(0);
    q.reset();
  }
  const std::int64_t page_size = pragma_int(db, "PRAGMA page_size");
  const std::int64_t page_count = pragma_int(db, "PRAGMA page_count");
  const std::int64_t freelist = pragma_int(db, "PRAGMA freelist_count");
  return {{"tables", std::move(tables)},
          {"bytes", page_size * page_count},
          {"pageSize", page_size},
          {"pageCount", page_count},
          {"freelistCount", freelist},
          {"freeBytes", page_size * freelist},
          {"schemaVersion", pragma_int(db, "PRAGMA user_version")}};
}

}  // namespace cs::model::health

CS_COLD_CODE_END
