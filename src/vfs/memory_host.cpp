#include "db/error.hpp"
#include "vfs/hosts.hpp"

#include <cstring>

namespace cs::vfs {

MemoryHost::MemoryHost(std::shared_ptr<MemoryVolume> volume, int capacity, bool can_grow)
    : volume_(std::move(volume)), can_grow_(can_grow) {
  if (volume_->held) throw Error(Code::Busy, "the memory volume is held by another open pool");
  volume_->held = true;
  while (static_cast<int>(volume_->files.size()) < capacity) volume_->files.emplace_back();
  for (std::size_t i = 0; i < volume_->files.size(); ++i) open_.insert(static_cast<int>(i));
}

MemoryHost::~MemoryHost() {
  if (!open_.empty()) volume_->held = false;
}

std::vector<int> MemoryHost::files() { return {open_.begin(), open_.end()}; }

int MemoryHost::grow(int n) {
  if (!can_grow_ || open_.empty()) return 0;
  for (int i = 0; i < n; ++i) {
    volume_->files.emplace_back();
    open_.insert(static_cast<int>(volume_->files.size() - 1));
  }
  return n;
}

std::vector<unsigned char>* MemoryHost::get(int file) {
  if (open_.count(file) == 0) {
    error_ = "pool file " + std::to_string(file) + " is not open";
    return nullptr;
  }
  return &volume_->files[static_cast<std::size_t>(file)];
}

std::int64_t MemoryHost::used() const {
  std::int64_t total = 0;
  for (const auto& f : volume_->files) total += static_cast<std::int64_t>(f.size());
  return total;
}

std::int64_t MemoryHost::read(int file, void* dst, std::size_t n, std::int64_t offset) {
  auto* f = get(file);
  if (f == nullptr) return kHostBadHandle;
  if (offset < 0) return kHostIo;
  const auto size = static_cast<std::int64_t>(f->size());
  std::int64_t avail = offset >= size ? 0 : size - offset;
  if (avail > static_cast<std::int64_t>(n)) avail = static_cast<std::int64_t>(n);
  if (avail > 0) std::memcpy(dst, f->data() + offset, static_cast<std::size_t>(avail));
  return avail;
}

std::int64_t MemoryHost::write(int file, const void* src, std::size_t n, std::int64_t offset) {
  auto* f = get(file);
  if (f == nullptr) return kHostBadHandle;
  if (offset < 0) return kHostIo;
  const auto end = static_cast<std::size_t>(offset) + n;
  if (end > f->size()) {
    const auto growth = static_cast<std::int64_t>(end - f->size());
    if (volume_->quota >= 0 && used() + growth > volume_->quota) {
      error_ = "QuotaExceededError: memory volume quota of " + std::to_string(volume_->quota) + " bytes";
      return kHostFull;
    }
    f->resize(end);
  }
  std::memcpy(f->data() + offset, src, n);
  return static_cast<std::int64_t>(n);
}

std::int64_t MemoryHost::truncate(int file, std::int64_t size) {
  auto* f = get(file);
  if (f == nullptr) return kHostBadHandle;
  if (size < 0) return kHostIo;
  const auto want = static_cast<std::size_t>(size);
  if (want > f->size() && volume_->quota >= 0 &&
      used() + static_cast<std::int64_t>(want - f->size()) > volume_->quota) {
    error_ = "QuotaExceededError: memory volume quota of " + std::to_string(volume_->quota) + " bytes";
    return kHostFull;
  }
  f->resize(want);
  return 0;
}

std::int64_t MemoryHost::flush(int file) { return get(file) ? std::int64_t{0} : std::int64_t{kHostBadHandle}; }

std::int64_t MemoryHost::size(int file) {
  auto* f = get(file);
  return f ? static_cast<std::int64_t>(f->size()) : kHostBadHandle;
}

void MemoryHost::close(int file) {
  if (open_.erase(file) && open_.empty()) volume_->held = false;  // last file: the volume is free
}

}  // namespace cs::vfs
