// The wasm side of the host bridge: a StorageHost whose verbs are JS imports
// (src/vfs/storage.host.js), which forward to the host object installed on
// the module (js/hosts/index.js installHost). Reads and writes pass heap
// pointers, so the JS host reads and writes wasm memory in place.
// Offsets and sizes cross as doubles: exact to 2^53, no BigInt needed.
#include "host_bridge.hpp"

#include <string>
#include <vector>

extern "C" {
int cs_host_installed(int host);
int cs_host_files(int host, int* out, int max);
int cs_host_grow(int host, int n);
double cs_host_read(int host, int file, void* dst, int n, double offset);
double cs_host_write(int host, int file, const void* src, int n, double offset);
double cs_host_truncate(int host, int file, double size);
double cs_host_flush(int host, int file);
double cs_host_size(int host, int file);
void cs_host_close(int host, int file);
int cs_host_last_error(int host, char* buf, int n);
}

namespace cs::vfs {

namespace {

class BridgeHost final : public StorageHost {
 public:
  explicit BridgeHost(int id) : id_(id) {}

  std::vector<int> files() override {
    std::vector<int> ids(64);
    int n = cs_host_files(id_, ids.data(), static_cast<int>(ids.size()));
    if (n > static_cast<int>(ids.size())) {
      ids.resize(static_cast<std::size_t>(n));
      n = cs_host_files(id_, ids.data(), n);
    }
    ids.resize(static_cast<std::size_t>(n < 0 ? 0 : n));
    return ids;
  }
  int grow(int n) override { return cs_host_grow(id_, n); }
  std::int64_t read(int file, void* dst, std::size_t n, std::int64_t offset) override {
    return static_cast<std::int64_t>(
        cs_host_read(id_, file, dst, static_cast<int>(n), static_cast<double>(offset)));
  }
  std::int64_t write(int file, const void* src, std::size_t n, std::int64_t offset) override {
    return static_cast<std::int64_t>(
        cs_host_write(id_, file, src, static_cast<int>(n), static_cast<double>(offset)));
  }
  std::int64_t truncate(int file, std::int64_t size) override {
    return static_cast<std::int64_t>(cs_host_truncate(id_, file, static_cast<double>(size)));
  }
  std::int64_t flush(int file) override { return static_cast<std::int64_t>(cs_host_flush(id_, file)); }
  std::int64_t size(int file) override { return static_cast<std::int64_t>(cs_host_size(id_, file)); }
  void close(int file) override { cs_host_close(id_, file); }
  std::string last_error() override {
    char buf[512];
    int n = cs_host_last_error(id_, buf, sizeof buf);
    return n > 0 ? std::string(buf) : std::string();
  }

 private:
  int id_;
};

}  // namespace

std::shared_ptr<StorageHost> platform_host(int id) {
  if (!cs_host_installed(id)) return nullptr;
  return std::make_shared<BridgeHost>(id);
}

}  // namespace cs::vfs
