// Where storage.selfTest finds the VFS contract. Kept apart from contract.cpp
// so that a build which never installs the runner links none of its cases.
#include "vfs/contract.hpp"

namespace cs::vfs {

namespace {
ContractRunner installed = nullptr;
}  // namespace

void install_contract_runner(ContractRunner runner) noexcept { installed = runner; }
ContractRunner contract_runner() noexcept { return installed; }

}  // namespace cs::vfs
