#include "pool.hpp"

#include "db/error.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <set>

namespace cs::vfs {

int sqlite_rc_for(std::int64_t status, int ioerr_code) {
  return status == kHostFull ? SQLITE_FULL : ioerr_code;
}

Pool::Pool(std::shared_ptr<StorageHost> host) : host_(std::move(host)) {
  try {
    refresh();
  } catch (...) {
    for (int id : host_->files()) host_->close(id);  // the pool owns them, even half-built
    throw;
  }
  // Two headers naming the same file would make the mapping ambiguous; the
  // pool never writes such a pair, so it is damage: refuse to guess.
  std::set<std::string> seen;
  for (Slot& s : slots_) {
    if (s.state != Slot::State::Used) continue;
    if (!seen.insert(s.header.path).second) {
      s.state = Slot::State::Damaged;
      s.damaged_bytes = std::max<std::int64_t>(host_->size(s.id) - kHeaderSize, 1);
    }
  }
}

Pool::~Pool() {
  for (const Slot& s : slots_) host_->close(s.id);
}

void Pool::refresh() {
  for (int id : host_->files()) {
    bool known = std::any_of(slots_.begin(), slots_.end(), [id](const Slot& s) { return s.id == id; });
    if (!known) scan(id);
  }
}

void Pool::scan(int id) {
  Slot slot;
  slot.id = id;
  const std::int64_t size = host_->size(id);
  if (size < 0)
    throw Error(Code::Io, "storage host cannot report the size of pool file " + std::to_string(id),
                {{"file", id}, {"host", host_->last_error()}});
  unsigned char bytes[kHeaderUsed] = {};
  std::int64_t got = 0;
  if (size > 0) {
    got = host_->read(id, bytes, kHeaderUsed, 0);
    if (got < 0)
      throw Error(Code::Io, "storage host cannot read the header of pool file " + std::to_string(id),
                  {{"file", id}, {"host", host_->last_error()}});
  }
  switch (decode_header(bytes, static_cast<std::size_t>(got), slot.header)) {
    case HeaderState::Blank: break;
    case HeaderState::Valid:
      if (!slot.header.is_free()) slot.state = Slot::State::Used;
      break;
    case HeaderState::Damaged:
      // Headers are only rewritten while the file holds no data (see
      // release/assign), so damage with no data behind it lost nothing.
      if (size > kHeaderSize) {
        slot.state = Slot::State::Damaged;
        slot.damaged_bytes = size - kHeaderSize;
      }
      slot.header = PoolHeader{};
      break;
  }
  slots_.push_back(std::move(slot));
}

Slot* Pool::find(const std::string& path) {
  for (Slot& s : slots_)
    if (s.state == Slot::State::Used && s.header.path == path) return &s;
  return nullptr;
}

Slot* Pool::first_free() {
  for (Slot& s : slots_)
    if (s.state == Slot::State::Free) return &s;
  return nullptr;
}

int Pool::fail(std::int64_t status, int ioerr_code, const std::string& what) {
  std::string why = host_->last_error();
  message_ = what + (why.empty() ? "" : ": " + why);
  return sqlite_rc_for(status, ioerr_code);
}

int Pool::assign(const std::string& path, std::uint32_t flags, Slot** out) {
  *out = nullptr;
  if (path.size() > kMaxPath) {
    message_ = "file name longer than " + std::to_string(kMaxPath) + " bytes: " + path;
    return SQLITE_CANTOPEN;
  }
  Slot* s = first_free();
  if (s == nullptr) {
    refresh();  // an asynchronous host may have added files since
    s = first_free();
  }
  if (s == nullptr && host_->grow(1) > 0) {
    refresh();
    s = first_free();
  }
  if (s == nullptr) {
    message_ = "storage pool exhausted: all " + std::to_string(slots_.size()) +
               " pool files are in use (needed one for " + path +
               "); the host adds files before the next call, retry it";
    return SQLITE_CANTOPEN;
  }
  std::int64_t rc = host_->truncate(s->id, kHeaderSize);
  if (rc < 0) return fail(rc, SQLITE_CANTOPEN, "cannot prepare pool file for " + path);
  PoolHeader header{flags, path};
  auto block = encode_header(header);
  rc = host_->write(s->id, block.data(), block.size(), 0);
  if (rc < 0) return fail(rc, SQLITE_CANTOPEN, "cannot write pool header for " + path);
  s->state = Slot::State::Used;
  s->header = std::move(header);
  // Keep one spare so an asynchronous host (OPFS) has time to add files
  // before SQLite needs them.
  if (first_free() == nullptr && host_->grow(1) > 0) refresh();
  *out = s;
  return SQLITE_OK;
}

int Pool::release(Slot& slot, bool sync) {
  slot.held.bytes.clear();  // the file's data is being dropped
  std::int64_t rc = host_->truncate(slot.id, kHeaderSize);
  if (rc < 0) return fail(rc, SQLITE_IOERR_DELETE, "cannot free pool file of " + slot.header.path);
  auto block = encode_header(PoolHeader{});
  rc = host_->write(slot.id, block.data(), block.size(), 0);
  if (rc < 0) return fail(rc, SQLITE_IOERR_DELETE, "cannot write free header for " + slot.header.path);
  if (sync) {
    rc = host_->flush(slot.id);
    if (rc < 0) return fail(rc, SQLITE_IOERR_DELETE, "cannot flush pool file of " + slot.header.path);
  }
  slot.state = Slot::State::Free;
  slot.header = PoolHeader{};
  slot.damaged_bytes = 0;
  slot.dirty = false;
  return SQLITE_OK;
}

int Pool::wipe() {
  for (Slot& s : slots_) {
    if (s.state == Slot::State::Free && s.header.is_free()) continue;
    int rc = release(s, true);
    if (rc != SQLITE_OK) return rc;
  }
  return SQLITE_OK;
}

int Pool::write(Slot& slot, const void* src, std::size_t n, std::int64_t offset, bool join) {
  slot.dirty = true;
  HeldWrite& held = slot.held;
  if (!held.bytes.empty() && offset != held.at + static_cast<std::int64_t>(held.bytes.size())) {
    const int rc = write_held(slot);
    if (rc != SQLITE_OK) return rc;
  }
  const bool hold = join && n <= kJoinMax;
  if (held.bytes.empty() && !hold) return put(slot, src, n, offset);
  if (held.bytes.empty()) held.at = offset;
  const auto* bytes = static_cast<const unsigned char*>(src);
  held.bytes.insert(held.bytes.end(), bytes, bytes + n);
  return hold && held.bytes.size() <= kJoinMax ? SQLITE_OK : write_held(slot);
}

int Pool::write_held(Slot& slot) {
  HeldWrite& held = slot.held;
  if (held.bytes.empty()) return SQLITE_OK;
  const int rc = put(slot, held.bytes.data(), held.bytes.size(), held.at);
  held.bytes.clear();  // keeps its capacity: the next frame reuses it
  return rc;
}

int Pool::put(Slot& slot, const void* src, std::size_t n, std::int64_t offset) {
  const std::int64_t done = host_->write(slot.id, src, n, kHeaderSize + offset);
  if (done == static_cast<std::int64_t>(n)) return SQLITE_OK;
  return fail(done < 0 ? done : kHostIo, SQLITE_IOERR_WRITE, "write to " + slot.header.path + " failed");
}

int Pool::flush_dirty(int* flushed) {
  *flushed = 0;
  for (Slot& s : slots_) {
    if (s.state != Slot::State::Used || !s.dirty) continue;
    if (int rc = write_held(s); rc != SQLITE_OK) return rc;
    std::int64_t rc = host_->flush(s.id);
    if (rc < 0) return fail(rc, SQLITE_IOERR_FSYNC, "cannot flush " + s.header.path);
    s.dirty = false;
    ++*flushed;
  }
  return SQLITE_OK;
}

PoolStats Pool::stats() {
  PoolStats st;
  st.files = static_cast<int>(slots_.size());
  for (const Slot& s : slots_) {
    const std::int64_t size = host_->size(s.id);
    if (size < 0) ++st.sizes_unknown;
    if (size > 0) st.bytes += size;
    switch (s.state) {
      case Slot::State::Free: ++st.free; break;
      case Slot::State::Used:
        ++st.used;
        st.used_files.push_back(
            {s.header.path, s.header.flags, size < 0 ? -1 : std::max<std::int64_t>(size - kHeaderSize, 0)});
        break;
      case Slot::State::Damaged:
        ++st.damaged;
        st.damaged_ids.push_back(s.id);
        break;
    }
  }
  return st;
}

}  // namespace cs::vfs
