// Persistent storage ops: opening a pool database with its durability
// settings, reporting on it, export/import, deletion, and the VFS self-test.
// The VFS itself is in src/vfs/; these handlers only adapt arguments.
#include "db/args.hpp"
#include "db/cold_code.hpp"
#include "model/schema.hpp"
#include "vfs/vfs.hpp"
#include "vfs/contract.hpp"
#include "vfs/transfer.hpp"
#include "ops.hpp"
#include "vfs/pool.hpp"

#include <sqlite3.h>

#include <algorithm>

CS_COLD_CODE_BEGIN

namespace cs::ops {

namespace {

// Durability defaults, chosen by measurement (bench/vfs/README.md): WAL
// with the exclusive lock costs one flush per commit at synchronous=FULL,
// against 3-4 for a rollback journal. The bare `open` op defaults to FULL:
// it cannot promise a timed flush. The JS side (js/hosts/index.js) defaults
// to "batched" (synchronous=NORMAL plus storage.sync within 200 ms).
constexpr const char* kDefaultJournalMode = "wal";
constexpr const char* kDefaultSynchronous = "full";
constexpr std::int64_t kDefaultJournalSizeLimit = 8 << 20;
constexpr const char* kDefaultName = "campaign-store.db";

struct Durability {
  std::string journal_mode;
  std::string synchronous;
  std::string locking_mode;
  std::int64_t journal_size_limit;
};

std::string one_of(const Args& a, const char* field, const char* fallback,
                   std::initializer_list<const char*> allowed) {
  std::string v = a.opt_string(field).value_or(fallback);
  std::transform(v.begin(), v.end(), v.begin(), [](unsigned char ch) { return std::tolower(ch); });
  for (const char* ok : allowed)
    if (v == ok) return v;
  std::string list;
  for (const char* ok : allowed) list += std::string(list.empty() ? "" : ", ") + "'" + ok + "'";
  a.fail(field, "must be one of " + list);
}

Durability parse_durability(const Args& a) {
  Durability d;
  // MEMORY and OFF journals are not crash safe, so they are not offered.
  d.journal_mode = one_of(a, "journalMode", kDefaultJournalMode, {"wal", "delete", "truncate", "persist"});
  d.synchronous = one_of(a, "synchronous", kDefaultSynchronous, {"full", "normal", "extra", "off"});
  // WAL without shared memory needs the exclusive lock; rollback modes may
  // release it between transactions (normal), which is what makes DELETE
  // actually delete the journal (SQLite persists it in exclusive mode).
  d.locking_mode = one_of(a, "lockingMode", d.journal_mode == "wal" ? "exclusive" : "normal",
                          {"exclusive", "normal"});
  if (d.journal_mode == "wal" && d.locking_mode != "exclusive")
    a.fail("lockingMode", "WAL needs lockingMode 'exclusive' (the pool VFS has no shared memory)");
  d.journal_size_limit = a.integer_or("journalSizeLimit", kDefaultJournalSizeLimit, -1, std::int64_t{1} << 40);
  return d;
}

std::string pragma_text(Database& db, const std::string& sql) {
  Statement stmt(db, sql);
  return stmt.step() ? stmt.column_text(0) : std::string();
}

void apply_durability(Database& db, const Durability& d) {
  // Exclusive first, before SQLite reads anything: an existing WAL file can
  // only be opened without shared memory in exclusive mode.
  db.exec("PRAGMA locking_mode=EXCLUSIVE");
  const std::string mode = pragma_text(db, "PRAGMA journal_mode=" + d.journal_mode);
  if (mode != d.journal_mode)
    throw Error(Code::Internal, "SQLite refused journal_mode=" + d.journal_mode + " (still " + mode + ")");
  if (d.locking_mode == "normal") db.exec("PRAGMA locking_mode=NORMAL");
  db.exec(("PRAGMA synchronous=" + d.synchronous).c_str());
  db.exec(("PRAGMA journal_size_limit=" + std::to_string(d.journal_size_limit)).c_str());
}

const char* synchronous_name(std::int64_t level) {
  switch (level) {
    case 0: return "off";
    case 1: return "normal";
    case 2: return "full";
    default: return "extra";
  }
}

json pool_json(vfs::PoolStorage& storage) {
  vfs::PoolStats st = storage.stats();
  json files = json::array();
  for (const auto& f : st.used_files)
    files.push_back({{"path", f.path}, {"bytes", f.size < 0 ? json(nullptr) : json(f.size)}});
  json out = {{"files", st.files},  {"free", st.free},   {"used", st.used},
              {"damaged", st.damaged}, {"bytes", st.bytes}, {"usedFiles", std::move(files)}};
  // A size the host could not report is not in bytes: say so rather than
  // answer a total that only looks whole.
  if (st.sizes_unknown > 0) out["sizesUnknown"] = st.sizes_unknown;
  return out;
}

json storage_json(Database& db) {
  vfs::PoolStorage* storage = vfs::PoolStorage::of(db.handle());
  const char* file = sqlite3_db_filename(db.handle(), "main");
  json out{{"kind", storage ? "pool" : (file == nullptr || *file == '\0') ? "memory" : "file"},
           {"journalMode", pragma_text(db, "PRAGMA journal_mode")},
           {"synchronous", synchronous_name(std::stoll(pragma_text(db, "PRAGMA synchronous")))},
           {"lockingMode", pragma_text(db, "PRAGMA locking_mode")},
           {"pageSize", std::stoll(pragma_text(db, "PRAGMA page_size"))},
           {"pageCount", std::stoll(pragma_text(db, "PRAGMA page_count"))},
           {"freelistCount", std::stoll(pragma_text(db, "PRAGMA freelist_count"))}};
  if (storage) {
    out["host"] = storage->host_id();
    out["name"] = sqlite3_db_filename(db.handle(), "main");
    out["pool"] = pool_json(*storage);
  }
  return out;
}

int host_arg(const Args& a) { return static_cast<int>(a.integer_or("host", -1, 0, 1 << 30)); }

std::string name_arg(const Args& a) {
  std::string name = a.opt_string("name").value_or(kDefaultName);
  // Room for SQLite's "-journal" suffix inside a pool header's path.
  if (name.empty() || name.size() > vfs::kMaxPath - 16 || name.find('\0') != std::string::npos ||
      name == ":memory:")
    a.fail("name", "must be a non-empty file name of at most " + std::to_string(vfs::kMaxPath - 16) + " bytes");
  return name;
}

// Adds what the VFS knows (pool exhausted, host message) to a failure.
[[noreturn]] void rethrow_with(const Error& e, vfs::PoolStorage& storage) {
  json details = e.details().is_object() ? e.details() : json::object();
  const std::string why = storage.last_error();
  if (!why.empty()) details["storage"] = why;
  throw Error(e.code(), why.empty() ? e.message() : e.message() + " (" + why + ")", std::move(details));
}

}  // namespace

json open_pool(Session& session, const json& args) {
  Args a(args);
  if (session.is_open())
    throw Error(Code::Conflict, "a database is already open in this engine; close it first");
  if (!a.has("host")) a.fail("host", "is required for storage 'pool' (an id from installHost)");
  const int host_id = host_arg(a);
  const std::string name = name_arg(a);
  const Durability durability = parse_durability(a);

  std::shared_ptr<vfs::PoolStorage> storage = vfs::PoolStorage::open(host_id);
  const vfs::PoolStats st = storage->stats();
  if (st.damaged > 0)
    throw Error(Code::Corrupt,
                std::to_string(st.damaged) +
                    " pool file(s) have a damaged header with data behind it; refusing to open, since "
                    "that data may belong to this database. storage.delete {host, all: true} wipes the pool.",
                {{"damagedFiles", st.damaged_ids}});

  OpenOptions options;
  options.path = name;
  options.vfs = storage->vfs_name();
  try {
    session.open(options);  // the main file now holds its own reference to storage
  } catch (const Error& e) {
    rethrow_with(e, *storage);
  }
  int schema_version = 0;
  try {
    apply_durability(session.db(), durability);
    schema_version = schema::migrate(session.db());
    session.start_engines();  // as `open` does for memory databases
  } catch (const Error& e) {
    session.close();  // not left half-open
    rethrow_with(e, *storage);
  } catch (...) {
    session.close();
    throw;
  }
  return {{"path", name}, {"schemaVersion", schema_version}, {"storage", storage_json(session.db())}};
}

json storage_info(Session& session, const json&) {
  if (!session.is_open()) return {{"open", false}};
  json out = storage_json(session.db());
  out["open"] = true;
  return out;
}

json storage_export(Session& session, const json&) {
  vfs::ImageInfo info = vfs::export_database(session.db().handle(), session.export_slot());
  return {{"bytes", info.bytes}, {"pageSize", info.page_size}, {"pageCount", info.page_count}};
}

json storage_import(Session& session, const json&) {
  Database& db = session.db();
  if (db.in_transaction()) {
    session.import_slot().reset();
    throw Error(Code::Conflict, "cannot import inside a transaction or batch");
  }
  if (session.import_slot().data() == nullptr)
    throw Error(Code::InvalidArgument, "no bytes staged: fill the import slot with the file first", {{"field", "bytes"}});
  vfs::ImageInfo info = vfs::import_database(db.handle(), session.import_slot(), schema::current_version());
  const int schema_version = schema::migrate(db);
  // The imported file brings its own outbox and clock (or none): capture
  // and the clock are set up again for it. It is a copy (a backup, another
  // device's export), so it pushes under a client id of its own: the
  // original's mutation ids are taken on the server.
  sync::Engine::forget_identity(db);
  session.start_engines();
  return {{"bytes", info.bytes}, {"pageSize", info.page_size}, {"schemaVersion", schema_version}};
}

json storage_delete(Session& session, const json& args) {
  Args a(args);
  if (session.is_open()) {
    // Closing under an open transaction (a batch) would pull the database
    // out from under it.
    if (session.db().in_transaction())
      throw Error(Code::Conflict, "cannot delete the database inside a transaction or batch");
    if (a.has("host") || a.has("name") || a.has("all"))
      a.fail("host", "a database is open: storage.delete {} deletes it; close it first to delete another");
    vfs::PoolStorage* storage = vfs::PoolStorage::of(session.db().handle());
    if (storage == nullptr)
      a.fail("storage", "the open database is in memory: close it to discard it");
    const std::string name = sqlite3_db_filename(session.db().handle(), "main");
    storage->delete_on_release(name);
    session.close();  // the last file closes, the pool frees name's files, then closes
    return {{"deleted", true}, {"name", name}, {"closed", true}};
  }
  if (!a.has("host")) a.fail("host", "is required when no database is open");
  std::shared_ptr<vfs::PoolStorage> storage = vfs::PoolStorage::open(host_arg(a));
  if (a.boolean_or("all", false)) {
    const int freed = storage->wipe();
    return {{"deleted", freed > 0}, {"files", freed}};
  }
  const std::string name = name_arg(a);
  const int freed = storage->delete_database(name);
  return {{"deleted", freed > 0}, {"name", name}, {"files", freed}};
}

json storage_last_error(Session& session, const json&) {
  if (!session.is_open()) return {{"message", ""}};
  vfs::PoolStorage* storage = vfs::PoolStorage::of(session.db().handle());
  if (storage == nullptr) return {{"message", ""}};
  std::string message = storage->last_error();
  storage->pool().set_message("");  // taken: a later failure will not inherit it
  return {{"message", message}};
}

json storage_sync(Session& session, const json&) {
  vfs::PoolStorage* storage = vfs::PoolStorage::of(session.db().handle());
  return {{"flushed", storage ? storage->flush() : 0}};
}

json storage_checkpoint(Session& session, const json& args) {
  Args a(args);
  std::string mode = one_of(a, "mode", "truncate", {"passive", "full", "restart", "truncate"});
  std::transform(mode.begin(), mode.end(), mode.begin(), [](unsigned char ch) { return std::toupper(ch); });
  vfs::reset_idle_statements(session.db().handle());
  Statement stmt(session.db(), "PRAGMA wal_checkpoint(" + mode + ")");
  if (!stmt.step()) return {{"busy", false}, {"log", -1}, {"checkpointed", -1}};
  return {{"busy", stmt.column_int(0) != 0}, {"log", stmt.column_int(1)}, {"checkpointed", stmt.column_int(2)}};
}

json storage_self_test(Session&, const json& args) {
  const vfs::ContractRunner run_contract = vfs::contract_runner();
  if (run_contract == nullptr)
    throw Error(Code::NotFound, "storage.selfTest is not in this build: it runs in the test build (dist/campaign_store_test.*)",
                {{"op", "storage.selfTest"}});
  Args a(args);
  if (!a.has("host")) a.fail("host", "is required");
  vfs::ContractOptions options;
  options.large_offsets = a.boolean_or("largeOffsets", false);
  json cases = json::array();
  int failed = 0;
  for (const auto& r : run_contract(host_arg(a), options)) {
    cases.push_back({{"name", r.name}, {"ok", r.ok}, {"message", r.message}});
    failed += r.ok ? 0 : 1;
  }
  return {{"passed", static_cast<int>(cases.size()) - failed}, {"failed", failed}, {"cases", std::move(cases)}};
}

}  // namespace cs::ops

CS_COLD_CODE_END
