// Host ids for the `open` op. Single-threaded like the rest of the engine.
#include "vfs/vfs.hpp"
#include "host_bridge.hpp"

#include <map>

namespace cs::vfs {

namespace {
std::map<int, std::shared_ptr<StorageHost>>& registry() {
  static std::map<int, std::shared_ptr<StorageHost>> hosts;
  return hosts;
}
int next_id = 1;
}  // namespace

int register_host(std::shared_ptr<StorageHost> host) {
  registry()[next_id] = std::move(host);
  return next_id++;
}

void unregister_host(int id) { registry().erase(id); }

std::shared_ptr<StorageHost> find_host(int id) {
  auto it = registry().find(id);
  if (it != registry().end()) return it->second;
  return platform_host(id);
}

}  // namespace cs::vfs
