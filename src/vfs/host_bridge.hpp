// The platform's own hosts, for ids the C++ registry does not know: in wasm
// the JS hosts installed on the module (host_bridge_wasm.cpp); natively
// none (host_bridge_native.cpp).
#pragma once

#include "vfs/host.hpp"

#include <memory>

namespace cs::vfs {
std::shared_ptr<StorageHost> platform_host(int id);
}  // namespace cs::vfs
