#include "db/args.hpp"
#include "model/schema.hpp"
#include "campaign_store/version.hpp"
#include "model/repos.hpp"
#include "ops.hpp"

#include <sqlite3.h>

namespace cs::ops {

json ping(Session&, const json& args) {
  Args a(args);
  json out{{"pong", true}};
  if (a.has("echo")) out["echo"] = a.raw("echo");
  return out;
}

json version(Session&, const json&) {
  return {{"version", kVersion},
          {"sqlite", sqlite3_libversion()},
          {"sqlite_source_id", sqlite3_sourceid()}};
}

// The op table as JS reads it (js/engine/engine.js opTraits): each op's
// shape and traits, so no list of ops is written twice.
json list_ops(Session&, const json&) {
  json out = json::array();
  for (const OpSpec& spec : op_table()) {
    json op = {{"op", spec.name},
               {"args", spec.args},
               {"access", spec.access == Access::Internal ? "internal" : "public"},
               {"replay", spec.replay == Replay::Rerun ? "rerun" : "once"}};
    if (!spec.method.empty()) op["method"] = spec.method;
    if (spec.method_by == Method::Facade) op["facade"] = true;
    if (spec.releases_storage) op["releasesStorage"] = true;
    if (spec.bytes_in == BytesIn::Member) op["bytesIn"] = "bytes";
    if (spec.bytes_in == BytesIn::Entries) op["bytesIn"] = "entries";
    if (!spec.bytes_out.empty()) op["bytesOut"] = spec.bytes_out;
    // The lean module lists the legacy ops it cannot run (ops_legacy_absent.cpp).
    if (spec.legacy_code) op["legacy"] = true;
    if (spec.legacy_code && !legacy_linked()) op["absent"] = true;
    out.push_back(std::move(op));
  }
  return out;
}

json open(Session& session, const json& args) {
  Args a(args);
  // storage: 'pool' = a persistent database on a storage host (ops_storage.cpp);
  // 'memory' (the default, and what `{}` means) = SQLite's in-memory database.
  const std::string storage = a.opt_string("storage").value_or(a.has("host") ? "pool" : "memory");
  if (storage == "pool") return open_pool(session, args);
  if (storage != "memory") a.fail("storage", "must be 'memory' or 'pool'");
  OpenOptions options;
  options.path = a.opt_string("path").value_or(":memory:");
  options.vfs = a.opt_string("vfs").value_or("");
  session.open(options);
  int schema_version = 0;
  try {
    schema_version = schema::migrate(session.db());
    session.start_engines();
  } catch (...) {
    session.close();  // a database we cannot migrate is not left half-open
    throw;
  }
  return {{"path", options.path}, {"schemaVersion", schema_version}, {"storage", {{"kind", "memory"}}}};
}

json close(Session& session, const json&) {
  bool was_open = session.is_open();
  session.close();
  return {{"closed", was_open}};
}

namespace {
Statement& prepare_user_sql(Session& session, const Args& a) {
  Statement& stmt = session.db().cached_user(a.string("sql"));
  stmt.bind_all(a.raw("params"));
  return stmt;
}
}  // namespace

json sql_query(Session& session, const json& args) {
  Args a(args);
  // A raw read sees every row written so far in the full-text index too,
  // through a view or not: the index is brought up to date at commit, and
  // raw SQL can write without one (one indexed EXISTS when nothing is queued).
  model::search::catch_up(session.db());
  Statement& stmt = prepare_user_sql(session, a);
  // query is for reading; writes go through exec so that the caller states
  // its intent (and a read never has change notifications to send).
  if (!sqlite3_stmt_readonly(stmt.handle()))
    a.fail("sql", "query only runs read-only statements; use sql.exec for writes");
  json columns = json::array();
  for (int i = 0; i < stmt.column_count(); ++i) columns.push_back(stmt.column_name(i));
  json rows = json::array();
  while (stmt.step()) rows.push_back(stmt.row_object());
  return {{"columns", std::move(columns)}, {"rows", std::move(rows)}};
}

json sql_exec(Session& session, const json& args) {
  Args a(args);
  Statement& stmt = prepare_user_sql(session, a);
  stmt.run();
  return {{"changes", session.db().changes()},
          {"lastInsertRowid", session.db().last_insert_rowid()}};
}

json batch(Session& session, const json& args) {
  Args a(args);
  const json& list = a.array("ops");
  Database& db = session.db();
  // All or nothing: steps share the batch's transaction without savepoints.
  Transaction tx(db, Transaction::Nested::Flatten);
  json results = json::array();
  for (std::size_t i = 0; i < list.size(); ++i) {
    Args item(list[i], "ops[" + std::to_string(i) + "]");
    std::string op = item.string("op");
    if (op == "open" || op == "close")
      item.fail("op", "cannot open or close the database inside a batch");
    const OpSpec* spec = find_op(op);
    if (spec == nullptr)
      throw Error(Code::NotFound, "unknown op '" + op + "' in batch", {{"index", i}, {"op", op}});
    try {
      results.push_back(spec->handler(session, item.raw("args")));
    } catch (const Error& e) {
      // Say which step failed; the transaction rolls back as tx unwinds.
      json details = e.details().is_object() ? e.details() : json::object();
      details["index"] = i;
      details["op"] = op;
      throw Error(e.code(), "batch step " + std::to_string(i) + " (" + op + "): " + e.message(),
                  std::move(details));
    }
  }
  tx.commit();
  return results;
}

}  // namespace cs::ops
