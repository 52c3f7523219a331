// Shared by the test_vfs_*.cpp executables: a host that fails on cue, a
// scratch directory, and a dispatcher call helper.
#pragma once

#include "api/session.hpp"
#include "campaign_store/dispatcher.hpp"
#include "vfs/vfs.hpp"
#include "vfs/hosts.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

namespace cs::vfs::testing {

// Wraps a host, records the size of every write, and fails the k-th write,
// flush or truncate (1-based; 0 = never) with `status`. `torn` makes the failing write store its first half
// before failing; `sticky` makes every later write/flush fail too (a device
// that died), instead of just the one.
class FaultHost final : public StorageHost {
 public:
  explicit FaultHost(std::shared_ptr<StorageHost> inner) : inner_(std::move(inner)) {}

  int fail_write_at = 0;
  int fail_flush_at = 0;
  int fail_truncate_at = 0;
  std::int64_t status = kHostIo;
  bool torn = false;
  bool sticky = false;
  int writes = 0, flushes = 0, truncates = 0;
  std::vector<std::size_t> write_sizes;  // of every write asked for, in order
  bool fired = false;

  std::vector<int> files() override { return inner_->files(); }
  int grow(int n) override { return inner_->grow(n); }
  std::int64_t read(int f, void* dst, std::size_t n, std::int64_t off) override { return inner_->read(f, dst, n, off); }
  std::int64_t write(int f, const void* src, std::size_t n, std::int64_t off) override {
    write_sizes.push_back(n);
    if (due(++writes, fail_write_at)) {
      if (torn && n > 1) inner_->write(f, src, n / 2, off);
      return status;
    }
    return inner_->write(f, src, n, off);
  }
  std::int64_t truncate(int f, std::int64_t size) override {
    return due(++truncates, fail_truncate_at) ? status : inner_->truncate(f, size);
  }
  std::int64_t flush(int f) override { return due(++flushes, fail_flush_at) ? status : inner_->flush(f); }
  std::int64_t size(int f) override { return inner_->size(f); }
  void close(int f) override { inner_->close(f); }
  std::string last_error() override { return fired ? "injected fault" : inner_->last_error(); }

 private:
  bool due(int count, int at) {
    if ((at > 0 && count == at) || (sticky && fired)) {
      fired = true;
      return true;
    }
    return false;
  }
  std::shared_ptr<StorageHost> inner_;
};

// A fresh directory under the system temp dir, removed afterwards.
struct ScratchDir {
  std::filesystem::path path;
  ScratchDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "cs-vfs-XXXXXX").string();
    path = ::mkdtemp(tmpl.data());
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string str() const { return path.string(); }
};

// A registered host that is unregistered when the test ends.
struct HostId {
  int id;
  explicit HostId(std::shared_ptr<StorageHost> host) : id(register_host(std::move(host))) {}
  ~HostId() { unregister_host(id); }
  operator int() const { return id; }
};

inline json call(Dispatcher& d, const char* op, const json& args = json::object()) {
  return json::parse(d.call(op, args.dump()));
}
// The result of an op that must succeed.
inline json ok(Dispatcher& d, const char* op, const json& args = json::object()) {
  json e = call(d, op, args);
  INFO(op << " " << args.dump() << " -> " << e.dump());
  REQUIRE(e["ok"] == true);
  return e["result"];
}
inline std::string error_code(const json& envelope) {
  return envelope["ok"] == false ? envelope["error"]["code"].get<std::string>() : "";
}

}  // namespace cs::vfs::testing
