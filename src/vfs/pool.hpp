// The pool: which host file holds which SQLite file. It reads every pool
// file's header when it starts, hands free files to SQLite's xOpen, frees
// them again on xDelete, and asks the host for more files when it runs out.
// It owns the host's files: the destructor closes every one of them.
#pragma once

#include "vfs/host.hpp"
#include "pool_header.hpp"

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace cs::vfs {

// A short write held back by Pool::write until the write that continues it.
struct HeldWrite {
  std::int64_t at = 0;  // offset in SQLite's file (the pool header excluded)
  std::vector<unsigned char> bytes;
};

struct Slot {
  enum class State { Free, Used, Damaged };
  int id = -1;  // the host's file id
  State state = State::Free;
  PoolHeader header;
  std::int64_t damaged_bytes = 0;  // data behind a damaged header
  int open_count = 0;              // sqlite3_files open on it right now
  bool dirty = false;              // written since its last flush
  HeldWrite held;                  // see Pool::write
};

struct PoolStats {
  int files = 0;
  int free = 0;
  int used = 0;
  int damaged = 0;
  std::int64_t bytes = 0;  // total size of the host files, headers included
  int sizes_unknown = 0;   // files whose size the host could not report (not in bytes)
  struct File {
    std::string path;
    std::uint32_t flags;
    std::int64_t size;  // data bytes, header excluded; -1: the host could not say
  };
  std::vector<File> used_files;
  std::vector<int> damaged_ids;
};

// Maps a failed host verb to a SQLite result code: quota/disk full is
// SQLITE_FULL whatever the verb, anything else the verb's own IOERR code.
int sqlite_rc_for(std::int64_t status, int ioerr_code);

class Pool {
 public:
  // Scans the host's files. Throws cs::Error(IO) if the host cannot report
  // a file's size or header.
  explicit Pool(std::shared_ptr<StorageHost> host);
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  StorageHost& host() { return *host_; }

  // The used file holding path, or nullptr.
  Slot* find(const std::string& path);
  // Gives a free file to path (writes its header). Returns a SQLite code;
  // on success *out is the slot. On exhaustion asks the host to grow and
  // fails with SQLITE_CANTOPEN and a message saying so.
  int assign(const std::string& path, std::uint32_t flags, Slot** out);
  // Frees slot: drops its data first, then writes a free header, so a crash
  // in between leaves an empty file (reclaimable), never a stale mapping.
  int release(Slot& slot, bool sync);
  // Frees every file, damaged ones included (storage.delete {all:true}).
  int wipe();
  // Flushes every file written since its last flush; returns a SQLite code
  // and, in *flushed, how many files it flushed.
  int flush_dirty(int* flushed);

  // Writes n bytes at offset of the SQLite file in slot. Returns a SQLite
  // code. With `join`, a write of at most kJoinMax bytes is held in the slot
  // and sent with the write that continues it. SQLite writes a WAL frame as
  // two calls, its 24-byte header and then its page right after it (and the
  // 32-byte WAL header before the first frame), and a host write costs about
  // the same whatever its size (a FileSystemSyncAccessHandle.write in
  // Firefox: ~0.2 ms), so joining makes each frame one host write instead
  // of two. Held bytes are written before any other verb on the file
  // (write_held) and before a flush; a crash loses them only together with
  // the rest of their frame, which SQLite's frame checksums reject anyway.
  int write(Slot& slot, const void* src, std::size_t n, std::int64_t offset, bool join);
  // Writes what slot holds back, if anything. Returns a SQLite code.
  int write_held(Slot& slot);
  static constexpr std::size_t kJoinMax = 64;

  PoolStats stats();
  // The message of the last failure, for xGetLastError and error details.
  const std::string& message() const { return message_; }
  void set_message(std::string m) { message_ = std::move(m); }

 private:
  void scan(int id);
  void refresh();
  Slot* first_free();
  // One host write of n bytes at data offset `offset`; a SQLite code.
  int put(Slot& slot, const void* src, std::size_t n, std::int64_t offset);
  int fail(std::int64_t status, int ioerr_code, const std::string& what);

  std::shared_ptr<StorageHost> host_;
  // A deque: refresh() appends while open files hold Slot pointers.
  std::deque<Slot> slots_;
  std::string message_;
};

}  // namespace cs::vfs
