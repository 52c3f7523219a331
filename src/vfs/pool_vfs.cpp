// The sqlite3_vfs over a Pool: SQLite's C callbacks, each a thin adapter to
// the pool or the host. No exception may cross back into SQLite's C frames,
// so every callback that can allocate catches everything and returns a code.
// Omissions are listed in src/vfs/vfs.hpp.
#include "vfs/vfs.hpp"

#include "db/error.hpp"
#include "pool.hpp"
#include "temp_file.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <new>
#include <set>

namespace cs::vfs {

namespace {

// SQLite hands us sqlite3_file memory of szOsFile bytes; we keep a pointer
// to a C++ object there, so the struct SQLite sees stays plain C.
struct FileBox {
  sqlite3_file base;
  void* impl;
};

struct PoolFileImpl {
  std::shared_ptr<PoolStorage> owner;  // keeps the pool alive while open
  Slot* slot;
  int flags;
  int lock = SQLITE_LOCK_NONE;
};

PoolFileImpl& pool_file(sqlite3_file* f) { return *static_cast<PoolFileImpl*>(reinterpret_cast<FileBox*>(f)->impl); }
TempFile& temp_file(sqlite3_file* f) { return *static_cast<TempFile*>(reinterpret_cast<FileBox*>(f)->impl); }

std::set<int>& attached_hosts() {
  static std::set<int> ids;
  return ids;
}

// SQLite file types whose contents must outlive the connection.
constexpr int kPersistentTypes =
    SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_MAIN_JOURNAL | SQLITE_OPEN_SUPER_JOURNAL | SQLITE_OPEN_WAL;
// Data sits 4 KiB into each pool file; SQLite's sector is one such block.
constexpr int kSectorSize = 4096;

}  // namespace

// The C callbacks, gathered here so they may reach PoolStorage's privates.
struct PoolVfsAccess {
  static PoolStorage& storage(sqlite3_vfs* vfs) { return *static_cast<PoolStorage*>(vfs->pAppData); }
  static sqlite3_vfs* base(sqlite3_vfs* vfs) {
    // The platform VFS (unix natively, cs-base in wasm) knows time and
    // randomness; ours only knows files.
    sqlite3_vfs* b = sqlite3_vfs_find(nullptr);
    return b == vfs ? nullptr : b;
  }

  // ------------------------------------------------------- pool file I/O
  static int close(sqlite3_file* f) {
    auto* impl = &pool_file(f);
    int rc = impl->owner->pool().write_held(*impl->slot);
    impl->slot->open_count--;
    if ((impl->flags & SQLITE_OPEN_DELETEONCLOSE) && impl->slot->open_count == 0) {
      const int released = impl->owner->pool().release(*impl->slot, false);
      if (rc == SQLITE_OK) rc = released;
    }
    delete impl;  // may drop the last reference to the pool
    reinterpret_cast<FileBox*>(f)->impl = nullptr;
    return rc;
  }

  static int read(sqlite3_file* f, void* dst, int amt, sqlite3_int64 off) {
    auto& file = pool_file(f);
    Pool& pool = file.owner->pool();
    if (int rc = pool.write_held(*file.slot); rc != SQLITE_OK) return rc;
    const std::int64_t got = pool.host().read(file.slot->id, dst, static_cast<std::size_t>(amt), kHeaderSize + off);
    if (got < 0) {
      pool.set_message("read of " + file.slot->header.path + " failed: " + pool.host().last_error());
      return SQLITE_IOERR_READ;
    }
    if (got < amt) {
      // SQLite relies on the unread tail being zero (demovfs does the same).
      std::memset(static_cast<char*>(dst) + got, 0, static_cast<std::size_t>(amt - got));
      return SQLITE_IOERR_SHORT_READ;
    }
    return SQLITE_OK;
  }

  static int write(sqlite3_file* f, const void* src, int amt, sqlite3_int64 off) {
    auto& file = pool_file(f);
    try {
      // Only the WAL's writes come in header-then-page pairs (Pool::write).
      return file.owner->pool().write(*file.slot, src, static_cast<std::size_t>(amt), off,
                                      (file.flags & SQLITE_OPEN_WAL) != 0);
    } catch (const std::bad_alloc&) {
      return SQLITE_NOMEM;
    } catch (...) {
      return SQLITE_IOERR_WRITE;
    }
  }

  static int truncate(sqlite3_file* f, sqlite3_int64 size) {
    auto& file = pool_file(f);
    Pool& pool = file.owner->pool();
    if (int rc = pool.write_held(*file.slot); rc != SQLITE_OK) return rc;
    file.slot->dirty = true;
    const std::int64_t rc = pool.host().truncate(file.slot->id, kHeaderSize + size);
    if (rc >= 0) return SQLITE_OK;
    pool.set_message("truncate of " + file.slot->header.path + " failed: " + pool.host().last_error());
    return sqlite_rc_for(rc, SQLITE_IOERR_TRUNCATE);
  }

  static int sync(sqlite3_file* f, int) {
    auto& file = pool_file(f);
    Pool& pool = file.owner->pool();
    if (int rc = pool.write_held(*file.slot); rc != SQLITE_OK) return rc;
    const std::int64_t rc = pool.host().flush(file.slot->id);
    if (rc >= 0) {
      file.slot->dirty = false;
      return SQLITE_OK;
    }
    pool.set_message("flush of " + file.slot->header.path + " failed: " + pool.host().last_error());
    return sqlite_rc_for(rc, SQLITE_IOERR_FSYNC);
  }

  static int file_size(sqlite3_file* f, sqlite3_int64* out) {
    auto& file = pool_file(f);
    Pool& pool = file.owner->pool();
    if (int rc = pool.write_held(*file.slot); rc != SQLITE_OK) return rc;
    const std::int64_t size = pool.host().size(file.slot->id);
    if (size < 0) {
      pool.set_message("size of " + file.slot->header.path + " unknown: " + pool.host().last_error());
      return SQLITE_IOERR_FSTAT;
    }
    *out = std::max<std::int64_t>(size - kHeaderSize, 0);
    return SQLITE_OK;
  }

  // Locks only record the level: see "does NOT do" in vfs.hpp.
  static int lock(sqlite3_file* f, int level) {
    auto& file = pool_file(f);
    if (level > file.lock) file.lock = level;
    return SQLITE_OK;
  }
  static int unlock(sqlite3_file* f, int level) {
    auto& file = pool_file(f);
    if (level < file.lock) file.lock = level;
    return SQLITE_OK;
  }
  static int check_reserved(sqlite3_file* f, int* out) {
    *out = pool_file(f).lock >= SQLITE_LOCK_RESERVED;
    return SQLITE_OK;
  }

  static int file_control(sqlite3_file*, int, void*) { return SQLITE_NOTFOUND; }
  static int sector_size(sqlite3_file*) { return kSectorSize; }
  static int device_characteristics(sqlite3_file*) {
    // Pool files are never deleted while open (the pool only reassigns them
    // after xDelete), and data is block-aligned behind the header, so a
    // write never disturbs bytes outside its own range.
    return SQLITE_IOCAP_UNDELETABLE_WHEN_OPEN | SQLITE_IOCAP_POWERSAFE_OVERWRITE;
  }

  // ------------------------------------------------------- temp file I/O
  static int temp_close(sqlite3_file* f) {
    delete &temp_file(f);
    reinterpret_cast<FileBox*>(f)->impl = nullptr;
    return SQLITE_OK;
  }
  static int temp_read(sqlite3_file* f, void* dst, int amt, sqlite3_int64 off) {
    return temp_file(f).read(dst, amt, off);
  }
  static int temp_write(sqlite3_file* f, const void* src, int amt, sqlite3_int64 off) {
    return temp_file(f).write(src, amt, off);
  }
  static int temp_truncate(sqlite3_file* f, sqlite3_int64 size) { return temp_file(f).truncate(size); }
  static int temp_sync(sqlite3_file*, int) { return SQLITE_OK; }
  static int temp_size(sqlite3_file* f, sqlite3_int64* out) {
    *out = temp_file(f).size();
    return SQLITE_OK;
  }
  static int temp_lock(sqlite3_file*, int) { return SQLITE_OK; }
  static int temp_check_reserved(sqlite3_file*, int* out) {
    *out = 0;
    return SQLITE_OK;
  }

  // --------------------------------------------------------- VFS methods
  static int open(sqlite3_vfs* vfs, const char* name, sqlite3_file* f, int flags, int* out_flags);

  static int remove(sqlite3_vfs* vfs, const char* name, int sync_dir) {
    Pool& pool = storage(vfs).pool();
    try {
      Slot* slot = pool.find(name);
      if (slot == nullptr) return SQLITE_IOERR_DELETE_NOENT;
      return pool.release(*slot, sync_dir != 0);
    } catch (const std::bad_alloc&) {
      return SQLITE_NOMEM;
    } catch (...) {
      return SQLITE_IOERR_DELETE;
    }
  }

  static int access(sqlite3_vfs* vfs, const char* name, int, int* out) {
    try {
      *out = storage(vfs).pool().find(name) != nullptr;
      return SQLITE_OK;
    } catch (...) {
      *out = 0;
      return SQLITE_IOERR_ACCESS;
    }
  }

  static int full_pathname(sqlite3_vfs*, const char* name, int n, char* out) {
    // Pool paths are names, not filesystem paths: use them as given.
    const std::size_t len = std::strlen(name);
    if (len + 1 > static_cast<std::size_t>(n)) return SQLITE_CANTOPEN;
    std::memcpy(out, name, len + 1);
    return SQLITE_OK;
  }

  static int randomness(sqlite3_vfs* vfs, int n, char* out) {
    sqlite3_vfs* b = base(vfs);
    return b ? b->xRandomness(b, n, out) : 0;
  }
  static int sleep(sqlite3_vfs*, int micros) { return micros; }  // never waits: single connection
  static int current_time(sqlite3_vfs* vfs, double* out) {
    sqlite3_vfs* b = base(vfs);
    return b ? b->xCurrentTime(b, out) : SQLITE_ERROR;
  }
  static int current_time_int64(sqlite3_vfs* vfs, sqlite3_int64* out) {
    sqlite3_vfs* b = base(vfs);
    if (b && b->iVersion >= 2 && b->xCurrentTimeInt64) return b->xCurrentTimeInt64(b, out);
    double now = 0;
    int rc = current_time(vfs, &now);
    *out = static_cast<sqlite3_int64>(now * 86400000.0);
    return rc;
  }
  static int last_error(sqlite3_vfs* vfs, int n, char* out) {
    const std::string& m = storage(vfs).pool().message();
    if (n > 0) sqlite3_snprintf(n, out, "%s", m.c_str());
    return m.empty() ? SQLITE_OK : SQLITE_IOERR;
  }
};

namespace {

const sqlite3_io_methods kPoolMethods = {
    1,
    &PoolVfsAccess::close,
    &PoolVfsAccess::read,
    &PoolVfsAccess::write,
    &PoolVfsAccess::truncate,
    &PoolVfsAccess::sync,
    &PoolVfsAccess::file_size,
    &PoolVfsAccess::lock,
    &PoolVfsAccess::unlock,
    &PoolVfsAccess::check_reserved,
    &PoolVfsAccess::file_control,
    &PoolVfsAccess::sector_size,
    &PoolVfsAccess::device_characteristics,
    nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
};

const sqlite3_io_methods kTempMethods = {
    1,
    &PoolVfsAccess::temp_close,
    &PoolVfsAccess::temp_read,
    &PoolVfsAccess::temp_write,
    &PoolVfsAccess::temp_truncate,
    &PoolVfsAccess::temp_sync,
    &PoolVfsAccess::temp_size,
    &PoolVfsAccess::temp_lock,
    &PoolVfsAccess::temp_lock,
    &PoolVfsAccess::temp_check_reserved,
    &PoolVfsAccess::file_control,
    &PoolVfsAccess::sector_size,
    [](sqlite3_file*) { return 0; },
    nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
};

}  // namespace

int PoolVfsAccess::open(sqlite3_vfs* vfs, const char* name, sqlite3_file* f, int flags, int* out_flags) {
  f->pMethods = nullptr;  // SQLite skips xClose when open fails
  auto* box = reinterpret_cast<FileBox*>(f);
  PoolStorage& self = storage(vfs);
  Pool& pool = self.pool();
  try {
    if (name == nullptr || (flags & kPersistentTypes) == 0) {
      // Temp databases, sorter spills, statement journals: memory only.
      box->impl = new TempFile();
      f->pMethods = &kTempMethods;
      if (out_flags) *out_flags = flags;
      return SQLITE_OK;
    }
    const std::string path(name);
    Slot* slot = pool.find(path);
    if (slot != nullptr && (flags & SQLITE_OPEN_EXCLUSIVE) && (flags & SQLITE_OPEN_CREATE)) {
      pool.set_message(path + " already exists");
      return SQLITE_CANTOPEN;
    }
    if (slot != nullptr && (flags & SQLITE_OPEN_MAIN_DB) && slot->open_count > 0) {
      // Two pagers on one file with recorded-only locks would corrupt it.
      pool.set_message(path + " is already open on this pool (one connection per pool)");
      return SQLITE_CANTOPEN;
    }
    if (slot == nullptr) {
      if ((flags & SQLITE_OPEN_CREATE) == 0) {
        pool.set_message(path + " does not exist in the pool");
        return SQLITE_CANTOPEN;
      }
      int rc = pool.assign(path, static_cast<std::uint32_t>(flags & kPersistentTypes), &slot);
      if (rc != SQLITE_OK) return rc;
    }
    box->impl = new PoolFileImpl{self.self_ref(), slot, flags};
    slot->open_count++;
    f->pMethods = &kPoolMethods;
    if (out_flags) *out_flags = flags;
    return SQLITE_OK;
  } catch (const std::bad_alloc&) {
    return SQLITE_NOMEM;
  } catch (const std::exception& e) {
    pool.set_message(e.what());
    return SQLITE_CANTOPEN;
  }
}

// ------------------------------------------------------------ PoolStorage

PoolStorage::PoolStorage(int host_id, std::shared_ptr<StorageHost> host)
    : host_id_(host_id),
      name_("cs-pool-" + std::to_string(host_id)),
      pool_(std::make_unique<Pool>(std::move(host))),
      vfs_(std::make_unique<sqlite3_vfs>()) {
  sqlite3_vfs& v = *vfs_;
  std::memset(&v, 0, sizeof v);
  v.iVersion = 2;
  v.szOsFile = sizeof(FileBox);
  v.mxPathname = static_cast<int>(kMaxPath);
  v.zName = name_.c_str();
  v.pAppData = this;
  v.xOpen = &PoolVfsAccess::open;
  v.xDelete = &PoolVfsAccess::remove;
  v.xAccess = &PoolVfsAccess::access;
  v.xFullPathname = &PoolVfsAccess::full_pathname;
  v.xRandomness = &PoolVfsAccess::randomness;
  v.xSleep = &PoolVfsAccess::sleep;
  v.xCurrentTime = &PoolVfsAccess::current_time;
  v.xGetLastError = &PoolVfsAccess::last_error;
  v.xCurrentTimeInt64 = &PoolVfsAccess::current_time_int64;
}

std::shared_ptr<PoolStorage> PoolStorage::open(int host_id) {
  if (attached_hosts().count(host_id) != 0)
    throw Error(Code::Busy,
                "storage host " + std::to_string(host_id) +
                    " already backs an open database in this engine (one connection per pool)",
                {{"host", host_id}});
  auto host = find_host(host_id);
  if (!host)
    throw Error(Code::NotFound, "no storage host with id " + std::to_string(host_id) +
                                    " is installed (js/hosts/index.js openStorage installs one)",
                {{"host", host_id}});
  std::shared_ptr<PoolStorage> self(new PoolStorage(host_id, host));
  self->weak_self_ = self;
  if (self->pool_->stats().files == 0 && host->grow(1) == 0)
    throw Error(Code::Io, "storage host " + std::to_string(host_id) +
                              " has no open pool files (it was closed; open the storage again)",
                {{"host", host_id}});
  int rc = sqlite3_vfs_register(self->vfs_.get(), 0);
  if (rc != SQLITE_OK)
    throw Error(Code::Internal, "cannot register the pool VFS", {{"sqlite_code", rc}});
  attached_hosts().insert(host_id);
  return self;
}

PoolStorage::~PoolStorage() {
  sqlite3_vfs_unregister(vfs_.get());
  attached_hosts().erase(host_id_);
  if (!delete_on_release_.empty()) {
    try {
      delete_database(delete_on_release_);
    } catch (...) {
      // Best effort in a destructor; storage.delete reports the file count.
    }
  }
}

std::shared_ptr<PoolStorage> PoolStorage::self_ref() { return weak_self_.lock(); }

sqlite3_vfs* PoolStorage::vfs() { return vfs_.get(); }

PoolStats PoolStorage::stats() { return pool_->stats(); }

std::string PoolStorage::last_error() const { return pool_->message(); }

int PoolStorage::delete_database(const std::string& path) {
  int freed = 0;
  for (const char* suffix : {"", "-journal", "-wal"}) {
    Slot* slot = pool_->find(path + suffix);
    if (slot == nullptr || slot->open_count > 0) continue;
    if (pool_->release(*slot, true) != SQLITE_OK)
      throw Error(Code::Io, "cannot delete " + path + suffix + ": " + pool_->message(),
                  {{"path", path + suffix}});
    ++freed;
  }
  return freed;
}

int PoolStorage::flush() {
  int flushed = 0;
  if (pool_->flush_dirty(&flushed) != SQLITE_OK)
    throw Error(Code::Io, "cannot flush the storage pool: " + pool_->message());
  return flushed;
}

int PoolStorage::wipe() {
  const int before = pool_->stats().used + pool_->stats().damaged;
  if (pool_->wipe() != SQLITE_OK)
    throw Error(Code::Io, "cannot wipe the storage pool: " + pool_->message());
  return before;
}

PoolStorage* PoolStorage::of(sqlite3* db) {
  sqlite3_vfs* vfs = nullptr;
  if (db == nullptr || sqlite3_file_control(db, "main", SQLITE_FCNTL_VFS_POINTER, &vfs) != SQLITE_OK ||
      vfs == nullptr || vfs->xOpen != &PoolVfsAccess::open)
    return nullptr;
  return static_cast<PoolStorage*>(vfs->pAppData);
}

}  // namespace cs::vfs
