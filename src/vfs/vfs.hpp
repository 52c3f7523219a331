// Persistent storage: a SQLite VFS over a pool of pre-opened host files.
//
// SQLite's persistent files (main database, rollback journal, WAL,
// super-journal) each live in one pool file of a StorageHost, behind a
// header naming the file (src/vfs/pool_header.hpp). Temporary files (temp
// tables, sorter spills, statement journals) live in memory and never touch
// the host.
//
// What this VFS does NOT do, on purpose:
//   - no shared memory (xShm*): WAL works only with locking_mode=EXCLUSIVE,
//     which is how the `open` op sets it up (the wal-index is then on the heap);
//   - locks are recorded, not enforced: xLock/xUnlock keep the level, and
//     xCheckReservedLock reports this connection's own. Exclusion between
//     processes/tabs is the host's job, done once when the pool opens (OPFS
//     access handles are exclusive; the Node host keeps a lock file), and
//     within a process a host can back only one open pool at a time;
//   - one connection per pool: opening a main database file that is already
//     open (ATTACH of the same name) fails with SQLITE_CANTOPEN;
//   - xDelete does not flush unless SQLite asks for a directory sync
//     (synchronous=EXTRA), like the unix VFS;
//   - no mmap, no dlopen, no sleeping (nothing to wait for).
#pragma once

#include "vfs/host.hpp"

#include <memory>
#include <string>

struct sqlite3;
struct sqlite3_vfs;

namespace cs::vfs {

class Pool;
struct PoolStats;

// ------------------------------------------------------------- host ids
// The `open` op names its host by a number. Natively, tests register C++
// hosts here; in wasm, ids not found here are looked up among the JS hosts
// installed on the module (js/hosts/index.js installHost).
int register_host(std::shared_ptr<StorageHost> host);
void unregister_host(int id);
// The host for id, or nullptr.
std::shared_ptr<StorageHost> find_host(int id);

// ------------------------------------------------------------ the VFS
// One registered sqlite3_vfs over one pool. It stays alive as long as a
// shared_ptr to it exists; every file SQLite opens through it holds one, so
// closing the connection releases the pool (and the host's files) by itself.
class PoolStorage {
 public:
  // Scans the host's pool files and registers a VFS with a unique name.
  // Throws cs::Error: BUSY when host_id already backs an open pool in this
  // process, IO when the host fails or has no files left.
  static std::shared_ptr<PoolStorage> open(int host_id);
  ~PoolStorage();
  PoolStorage(const PoolStorage&) = delete;
  PoolStorage& operator=(const PoolStorage&) = delete;

  // The name to pass to sqlite3_open_v2.
  const std::string& vfs_name() const { return name_; }
  sqlite3_vfs* vfs();
  int host_id() const { return host_id_; }
  Pool& pool() { return *pool_; }
  PoolStats stats();

  // Frees the files of database `path` (main, -journal, -wal) that are not
  // open. Returns how many were freed; throws cs::Error(IO) on host failure.
  int delete_database(const std::string& path);
  // Frees every pool file, damaged ones included. Throws on host failure.
  int wipe();
  // Flushes every pool file written since its last flush, making every
  // commit so far durable whatever PRAGMA synchronous says: with
  // synchronous=NORMAL this is the "flush soon after commit" of batched
  // durability (storage.sync). Returns the number of files flushed.
  int flush();
  // When the last reference goes (the connection closed), free `path`'s
  // files before closing the host's: storage.delete of an open database.
  void delete_on_release(std::string path) { delete_on_release_ = std::move(path); }

  // The last failure the VFS saw (pool exhausted, host message).
  std::string last_error() const;

  // The pool storage behind db's main database, or nullptr when db is not
  // a pool database (in-memory, other VFS).
  static PoolStorage* of(sqlite3* db);

 private:
  PoolStorage(int host_id, std::shared_ptr<StorageHost> host);
  std::shared_ptr<PoolStorage> self_ref();

  int host_id_;
  std::string name_;
  std::unique_ptr<Pool> pool_;
  std::unique_ptr<sqlite3_vfs> vfs_;
  std::weak_ptr<PoolStorage> weak_self_;
  std::string delete_on_release_;
  friend struct PoolVfsAccess;
};

}  // namespace cs::vfs
