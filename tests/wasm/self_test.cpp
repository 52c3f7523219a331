// The test build's one addition to the shipped module: it installs the VFS
// contract, so `storage.selfTest` runs it over a JS host (Node files and
// memory under node:test, OPFS in Chromium and Firefox). Linked into
// dist/campaign_store_test.{mjs,wasm} only.
#include "vfs/contract.hpp"

namespace {

const bool installed = [] {
  cs::vfs::install_contract_runner(&cs::vfs::run_contract);
  return true;
}();

}  // namespace
