#pragma once

// POSIX helpers for the POSIX implementations (platform/linux/, crypto/posix/). Not for code that
// must build on Windows.

#include <string>

#include "vigie/protocol/status.h"

namespace vigie::platform {

// The one place an errno becomes a Status: ENOSPC/EDQUOT -> resource exhausted, ENOENT -> not
// found, EACCES/EPERM -> permission denied, anything else -> I/O error. "context: strerror".
Status posixError(const std::string& context, int error);

// Owns a file descriptor; closes it when destroyed.
class UniqueFd {
 public:
  explicit UniqueFd(int fd = -1) : fd_(fd) {}
  ~UniqueFd();
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

}  // namespace vigie::platform
