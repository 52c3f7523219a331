// What a dispatcher keeps between calls: the open database (if any), the
// tables that committed transactions touched since the last call, and the
// bytes staged for ops whose bytes bypass JSON.
#pragma once

#include "db/database.hpp"
#include "sync/sync.hpp"
#include "vfs/transfer.hpp"

#include <memory>
#include <set>
#include <string>

namespace cs {

class Session {
 public:
  Session() = default;
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void open(const OpenOptions& options);
  void close();
  bool is_open() const { return db_ != nullptr; }

  // The open database; throws NOT_FOUND-free INVALID_ARGUMENT when closed so
  // callers get a clear "open first" instead of a null dereference.
  Database& db();

  // On the open, migrated database: the full-text index's commit hook and
  // sync capture.
  void start_engines();
  // The sync engine of the open database; throws when none is open.
  sync::Engine& sync();

  // Tables touched by transactions that committed since the last take.
  std::set<std::string> take_committed_changes();

  // This engine's staged bytes (the op table's bytes_in and bytes_out):
  // the caller fills the import slot before an op that reads bytes, and
  // copies out of the export slot what an op left there. Per engine, so two
  // engines in one module never see each other's bytes.
  vfs::ByteSlot& import_slot() { return import_slot_; }
  vfs::ByteSlot& export_slot() { return export_slot_; }

 private:
  static void on_update(void* self, int op, const char* db, const char* table, long long rowid);
  static int on_commit(void* self);
  static void on_rollback(void* self);

  std::unique_ptr<Database> db_;
  // Declared after db_ so it is destroyed first: it unregisters SQL
  // functions on the connection.
  std::unique_ptr<sync::Engine> sync_;
  std::set<std::string> pending_;
  std::set<std::string> committed_;
  vfs::ByteSlot import_slot_;
  vfs::ByteSlot export_slot_;
};

}  // namespace cs
