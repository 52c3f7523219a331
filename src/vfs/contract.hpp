// The VFS contract: one check per VFS method, written once and run against
// every host. Natively Catch2 runs it over MemoryHost and PosixHost; in wasm
// the `storage.selfTest` op runs it over the installed JS host (memory and
// Node under node:test, OPFS in Chromium and Firefox). The op reaches the
// contract only through install_contract_runner(), so a build that never
// installs it (the shipped wasm) leaves the contract's code out; the test
// build (tests/wasm/self_test.cpp) installs it.
#pragma once

#include <string>
#include <vector>

namespace cs::vfs {

struct ContractResult {
  std::string name;
  bool ok;
  std::string message;  // why it failed
};

struct ContractOptions {
  // Also write and read at offsets past 4 GiB. Only for hosts with sparse
  // files (Node, POSIX): the memory host would allocate it all.
  bool large_offsets = false;
};

// Runs every case on a new pool over host host_id; each case cleans up the
// files it made. Afterwards the pool is closed, and with it the host's files
// (a host backs one pool). Throws cs::Error when the pool cannot be opened.
std::vector<ContractResult> run_contract(int host_id, const ContractOptions& options = {});

// What storage.selfTest runs; nullptr (the op answers NOT_FOUND) until a
// build installs run_contract.
using ContractRunner = std::vector<ContractResult> (*)(int host_id, const ContractOptions& options);
void install_contract_runner(ContractRunner runner) noexcept;
ContractRunner contract_runner() noexcept;

}  // namespace cs::vfs
