#include "vigie/platform/append_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "vigie/platform/posix_error.h"

namespace vigie::platform {
namespace {

StatusOr<UniqueFd> openForAppend(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!fd.valid()) return posixError("cannot open " + path, errno);
  return fd;
}

class PosixAppendFile final : public AppendFile {
 public:
  PosixAppendFile(std::string path, UniqueFd fd) : path_(std::move(path)), fd_(std::move(fd)) {}

  Status append(std::string_view data) override {
    VIGIE_RETURN_IF_ERROR(reopenIfMoved());
    struct stat before {};
    if (::fstat(fd_.get(), &before) != 0) return posixError("cannot stat " + path_, errno);
    Status written = writeAll(data);
    // O_APPEND and one writer: the file ends where this append began, so cutting it there
    // removes exactly the torn part.
    if (!written.isOk()) (void)::ftruncate(fd_.get(), before.st_size);
    return written;
  }

  Status sync() override {
    if (::fsync(fd_.get()) != 0) return posixError("cannot sync " + path_, errno);
    return Status::ok();
  }

 private:
  Status writeAll(std::string_view data) {
    while (!data.empty()) {
      const ssize_t written = ::write(fd_.get(), data.data(), data.size());
      if (written < 0) {
        if (errno == EINTR) continue;
        return posixError("cannot write " + path_, errno);
      }
      data.remove_prefix(static_cast<size_t>(written));
    }
    return Status::ok();
  }

  // Rotation renames or deletes the file: the path then names another file, or none.
  Status reopenIfMoved() {
    struct stat open_file {};
    struct stat at_path {};
    if (::fstat(fd_.get(), &open_file) != 0) return posixError("cannot stat " + path_, errno);
    if (::stat(path_.c_str(), &at_path) == 0 && at_path.st_dev == open_file.st_dev &&
        at_path.st_ino == open_file.st_ino) {
      return Status::ok();
    }
    auto reopened = openForAppend(path_);
    if (!reopened.isOk()) return reopened.status();
    // What was written to the old file is synced before the handle goes.
    VIGIE_RETURN_IF_ERROR(sync());
    fd_ = std::move(reopened).value();
    return Status::ok();
  }

  std::string path_;
  UniqueFd fd_;
};

}  // namespace

StatusOr<AppendFilePtr> openAppendFile(const std::string& path) {
  auto fd = openForAppend(path);
  if (!fd.isOk()) return fd.status();
  return AppendFilePtr(std::make_unique<PosixAppendFile>(path, std::move(fd).value()));
}

}  // namespace vigie::platform
