#include "vigie/platform/posix_error.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace vigie::platform {

Status posixError(const std::string& context, int error) {
  std::string message = context + ": " + std::strerror(error);
  switch (error) {
    case ENOSPC:
    case EDQUOT:
      return Status::resourceExhausted(std::move(message));
    case ENOENT:
      return Status::notFound(std::move(message));
    case EACCES:
    case EPERM:
      return Status::permissionDenied(std::move(message));
    default:
      return Status::ioError(std::move(message));
  }
}

UniqueFd::~UniqueFd() {
  if (fd_ >= 0) ::close(fd_);
}

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.release();
  }
  return *this;
}

}  // namespace vigie::platform
