// The VFS contract (src/vfs/contract.cpp) over every native host. The same
// cases run over the JS hosts through the storage.selfTest op
// (tests/node/vfs-contract.test.mjs, tests/browser/opfs.test.mjs).
#include "vfs/contract.hpp"
#include "test_vfs_support.hpp"

using namespace cs::vfs;
using namespace cs::vfs::testing;

namespace {
void check_all(const std::vector<ContractResult>& results) {
  REQUIRE(results.size() >= 15);
  for (const auto& r : results) {
    INFO(r.name << ": " << r.message);
    CHECK(r.ok);
  }
}
}  // namespace

TEST_CASE("contract: memory host") {
  HostId host(std::make_shared<MemoryHost>(std::make_shared<MemoryVolume>()));
  check_all(run_contract(host));
}

TEST_CASE("contract: memory host that cannot grow inside a call (like OPFS)") {
  HostId host(std::make_shared<MemoryHost>(std::make_shared<MemoryVolume>(), 4, /*can_grow=*/false));
  check_all(run_contract(host));
}

TEST_CASE("contract: POSIX files, offsets past 4 GiB included") {
  ScratchDir dir;
  HostId host(std::make_shared<PosixHost>(dir.str()));
  ContractOptions options;
  options.large_offsets = true;
  check_all(run_contract(host, options));
}

TEST_CASE("contract: the runner reports a failing host instead of crashing") {
  // A host whose every flush fails must fail the xSync case, and say so.
  auto faulty = std::make_shared<FaultHost>(std::make_shared<MemoryHost>(std::make_shared<MemoryVolume>()));
  faulty->fail_flush_at = 1;
  faulty->sticky = true;
  HostId host(faulty);
  bool sync_failed = false;
  for (const auto& r : run_contract(host))
    if (r.name == "xSync succeeds") sync_failed = !r.ok && r.message.find("xSync") != std::string::npos;
  CHECK(sync_failed);
}

TEST_CASE("contract: storage.selfTest runs it only where a build installed the runner") {
  HostId host(std::make_shared<MemoryHost>(std::make_shared<MemoryVolume>()));
  cs::Dispatcher d;
  install_contract_runner(nullptr);
  CHECK(error_code(call(d, "storage.selfTest", {{"host", host.id}})) == "NOT_FOUND");

  install_contract_runner(&run_contract);
  cs::json r = ok(d, "storage.selfTest", {{"host", host.id}});
  install_contract_runner(nullptr);
  CHECK(r["failed"] == 0);
  CHECK(r["passed"].get<int>() >= 15);
}
