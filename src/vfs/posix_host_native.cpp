#include "db/error.hpp"
#include "vfs/hosts.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace cs::vfs {

namespace {
std::string pool_name(int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d.pool", i);
  return buf;
}
}  // namespace

PosixHost::PosixHost(std::string dir, int capacity) : dir_(std::move(dir)) {
  if (::mkdir(dir_.c_str(), 0700) != 0 && errno != EEXIST)
    throw Error(Code::Io, "cannot create storage directory " + dir_ + ": " + std::strerror(errno));
  lock_fd_ = ::open((dir_ + "/.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd_ < 0) throw Error(Code::Io, "cannot open lock file in " + dir_ + ": " + std::strerror(errno));
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    ::close(lock_fd_);
    throw Error(Code::Busy, "storage directory " + dir_ + " is in use by another opener");
  }
  // Existing pool files keep their numbers, so ids are stable across runs.
  int existing = 0;
  if (DIR* d = ::opendir(dir_.c_str())) {
    while (dirent* e = ::readdir(d)) {
      int n = -1;
      char tail[8] = {};
      if (std::sscanf(e->d_name, "%d.%7s", &n, tail) == 2 && std::strcmp(tail, "pool") == 0)
        existing = std::max(existing, n + 1);
    }
    ::closedir(d);
  }
  if (grow(std::max(existing, capacity)) <= 0 && fds_.empty()) {
    ::close(lock_fd_);
    throw Error(Code::Io, "cannot open pool files in " + dir_ + ": " + error_);
  }
}

PosixHost::~PosixHost() {
  for (int f : fds_)
    if (f >= 0) ::close(f);
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

std::vector<int> PosixHost::files() {
  std::vector<int> ids;
  for (std::size_t i = 0; i < fds_.size(); ++i)
    if (fds_[i] >= 0) ids.push_back(static_cast<int>(i));
  return ids;
}

int PosixHost::grow(int n) {
  if (lock_fd_ < 0) return 0;  // spent: every file was closed
  int added = 0;
  const int target = static_cast<int>(fds_.size()) + n;
  while (static_cast<int>(fds_.size()) < target) {
    const std::string path = dir_ + "/" + pool_name(static_cast<int>(fds_.size()));
    int f = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (f < 0) {
      error_ = "cannot open " + path + ": " + std::strerror(errno);
      break;
    }
    fds_.push_back(f);
    ++added;
  }
  return added;
}

int PosixHost::fd(int file) {
  if (file < 0 || file >= static_cast<int>(fds_.size()) || fds_[static_cast<std::size_t>(file)] < 0) {
    error_ = "pool file " + std::to_string(file) + " is not open";
    return -1;
  }
  return fds_[static_cast<std::size_t>(file)];
}

std::int64_t PosixHost::fail(const char* verb, int file) {
  const int e = errno;
  error_ = std::string(verb) + " of pool file " + std::to_string(file) + ": " + std::strerror(e);
  return (e == ENOSPC || e == EDQUOT) ? kHostFull : kHostIo;
}

std::int64_t PosixHost::read(int file, void* dst, std::size_t n, std::int64_t offset) {
  const int f = fd(file);
  if (f < 0) return kHostBadHandle;
  std::size_t done = 0;
  while (done < n) {
    ssize_t got = ::pread(f, static_cast<char*>(dst) + done, n - done, offset + static_cast<off_t>(done));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return fail("read", file);
    if (got == 0) break;  // end of file
    done += static_cast<std::size_t>(got);
  }
  return static_cast<std::int64_t>(done);
}

std::int64_t PosixHost::write(int file, const void* src, std::size_t n, std::int64_t offset) {
  const int f = fd(file);
  if (f < 0) return kHostBadHandle;
  std::size_t done = 0;
  while (done < n) {
    ssize_t put = ::pwrite(f, static_cast<const char*>(src) + done, n - done, offset + static_cast<off_t>(done));
    if (put < 0 && errno == EINTR) continue;
    if (put < 0) return fail("write", file);
    done += static_cast<std::size_t>(put);
  }
  return static_cast<std::int64_t>(done);
}

std::int64_t PosixHost::truncate(int file, std::int64_t size) {
  const int f = fd(file);
  if (f < 0) return kHostBadHandle;
  return ::ftruncate(f, size) == 0 ? 0 : fail("truncate", file);
}

std::int64_t PosixHost::flush(int file) {
  const int f = fd(file);
  if (f < 0) return kHostBadHandle;
  return ::fdatasync(f) == 0 ? 0 : fail("flush", file);
}

std::int64_t PosixHost::size(int file) {
  const int f = fd(file);
  if (f < 0) return kHostBadHandle;
  struct stat st;
  return ::fstat(f, &st) == 0 ? static_cast<std::int64_t>(st.st_size) : fail("stat", file);
}

void PosixHost::close(int file) {
  if (fd(file) < 0) return;
  ::close(fds_[static_cast<std::size_t>(file)]);
  fds_[static_cast<std::size_t>(file)] = -1;
  if (files().empty() && lock_fd_ >= 0) {
    ::close(lock_fd_);  // last file closed: another opener may take the pool
    lock_fd_ = -1;
  }
}

}  // namespace cs::vfs
