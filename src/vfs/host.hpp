// The storage host: the narrow, synchronous interface between the pool VFS
// (src/vfs/) and whatever actually keeps the bytes. Its verbs are exactly
// those of an OPFS FileSystemSyncAccessHandle (read, write, truncate, flush,
// getSize, close) applied to a pool of files the host opened beforehand, plus
// two pool queries (which files are open, add more). Implementations:
//   - OPFS, Node fs, memory: js/hosts/, reached through src/vfs/host_bridge_wasm.cpp
//   - memory and POSIX files natively (memory_host.cpp, posix_host_native.cpp),
//     so the VFS itself is tested with Catch2 under sanitizers.
//
// A verb never throws: failure is a negative HostStatus, and last_error()
// says why in words. Offsets and sizes are in bytes from the start of the
// pool file (the VFS's own header included); the host knows nothing of it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cs::vfs {

// Negative results of a host verb. Kept as plain integers because they cross
// the wasm boundary as numbers (js/hosts/ and storage.host.js use the same).
enum HostStatus : std::int64_t {
  kHostIo = -1,         // the storage failed to read, write, truncate or flush
  kHostFull = -2,       // disk full or quota exceeded
  kHostBusy = -3,       // another opener holds the file
  kHostBadHandle = -4,  // no such open pool file (closed, or never opened)
};

class StorageHost {
 public:
  virtual ~StorageHost() = default;

  // Pool query: the ids of the pool files this host holds open now, in a
  // stable order. Ids are small non-negative integers chosen by the host.
  virtual std::vector<int> files() = 0;
  // Asks for n more pool files. A host that can open files synchronously
  // (memory, Node, POSIX) adds them now and returns how many it added; OPFS
  // can only open asynchronously, so it returns 0 and adds them before the
  // next call into the engine (js/hosts/opfs.js maintain()).
  virtual int grow(int n) = 0;

  // Reads up to n bytes at offset into dst. Returns the bytes read, fewer
  // than n only at end of file, or a HostStatus.
  virtual std::int64_t read(int file, void* dst, std::size_t n, std::int64_t offset) = 0;
  // Writes n bytes at offset, extending the file as needed. Returns n or a
  // HostStatus (kHostFull when the quota or disk is exhausted).
  virtual std::int64_t write(int file, const void* src, std::size_t n, std::int64_t offset) = 0;
  // Sets the file's size (shrinks or zero-extends). Returns 0 or a HostStatus.
  virtual std::int64_t truncate(int file, std::int64_t size) = 0;
  // Makes written data durable. Returns 0 or a HostStatus.
  virtual std::int64_t flush(int file) = 0;
  // The file's size in bytes, or a HostStatus.
  virtual std::int64_t size(int file) = 0;
  // Releases one pool file. The pool calls it for every file when the
  // database closes; a host whose files are all closed is spent.
  virtual void close(int file) = 0;

  // Why the last failing verb failed (empty when it did not say).
  virtual std::string last_error() = 0;
};

}  // namespace cs::vfs

// The verbs as override declarations, for a host class that defines them out
// of line (the native hosts in src/vfs/hosts.hpp), so the list is written once.
#define CS_STORAGE_HOST_VERBS                                                                 \
  std::vector<int> files() override;                                                          \
  int grow(int n) override;                                                                   \
  std::int64_t read(int file, void* dst, std::size_t n, std::int64_t offset) override;        \
  std::int64_t write(int file, const void* src, std::size_t n, std::int64_t offset) override; \
  std::int64_t truncate(int file, std::int64_t size) override;                                \
  std::int64_t flush(int file) override;                                                      \
  std::int64_t size(int file) override;                                                       \
  void close(int file) override;
