// The C++ storage hosts. In the browser and in Node the hosts are JS
// (js/hosts/); these two exist so the VFS is tested natively, under
// sanitizers, against the same verbs:
//   MemoryHost  pool files in a MemoryVolume that outlives the host, so a
//               "restart" is a new host over the same volume;
//   PosixHost   real files in a directory (native builds only), with an
//               flock()ed lock file so a second opener gets BUSY.
#pragma once

#include "vfs/host.hpp"

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace cs::vfs {

struct MemoryVolume {
  std::vector<std::vector<unsigned char>> files;
  bool held = false;         // a MemoryHost has it open
  std::int64_t quota = -1;   // total bytes over all files; -1 = unlimited
};

class MemoryHost final : public StorageHost {
 public:
  // Opens every file of volume and adds files up to capacity. Throws
  // cs::Error(BUSY) while another MemoryHost holds the volume. With
  // can_grow false, grow() adds nothing (like OPFS inside a call).
  explicit MemoryHost(std::shared_ptr<MemoryVolume> volume, int capacity = 4, bool can_grow = true);
  ~MemoryHost() override;

  CS_STORAGE_HOST_VERBS
  std::string last_error() override { return error_; }

 private:
  std::vector<unsigned char>* get(int file);
  std::int64_t used() const;
  std::shared_ptr<MemoryVolume> volume_;
  std::set<int> open_;
  bool can_grow_;
  std::string error_;
};

class PosixHost final : public StorageHost {
 public:
  // Creates dir if needed, takes its lock, opens every NNNN.pool file in it
  // and creates more up to capacity. Throws cs::Error: BUSY when another
  // opener holds the lock, IO when the directory is unusable.
  explicit PosixHost(std::string dir, int capacity = 4);
  ~PosixHost() override;

  CS_STORAGE_HOST_VERBS
  std::string last_error() override { return error_; }

 private:
  int fd(int file);
  std::int64_t fail(const char* verb, int file);
  std::string dir_;
  int lock_fd_ = -1;
  std::vector<int> fds_;  // index = file id; -1 once closed
  std::string error_;
};

}  // namespace cs::vfs
