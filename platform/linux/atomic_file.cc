#include "vigie/platform/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

#include "vigie/platform/posix_error.h"

namespace vigie::platform {
namespace {

std::string parentOf(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

Status writeAll(int fd, std::string_view content, const std::string& path) {
  while (!content.empty()) {
    const ssize_t written = ::write(fd, content.data(), content.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return posixError("cannot write " + path, errno);
    }
    content.remove_prefix(static_cast<size_t>(written));
  }
  return Status::ok();
}

}  // namespace

Status writeFileAtomically(const std::string& path, std::string_view content, unsigned mode) {
  const std::string temp = path + ".tmp";
  Status status;
  {
    UniqueFd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode));
    if (fd.get() < 0) return posixError("cannot create " + temp, errno);
    // The umask may have narrowed `mode`; a file meant to be read by others must be.
    if (::fchmod(fd.get(), static_cast<mode_t>(mode)) != 0) {
      return posixError("cannot chmod " + temp, errno);
    }
    status = writeAll(fd.get(), content, temp);
    if (status.isOk() && ::fsync(fd.get()) != 0) status = posixError("cannot sync " + temp, errno);
  }
  if (status.isOk()) status = renameDurably(temp, path);
  if (!status.isOk()) ::unlink(temp.c_str());
  return status;
}

Status renameDurably(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) return posixError("cannot rename " + from, errno);
  const std::string dir = parentOf(to);
  UniqueFd dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir_fd.get() < 0 || ::fsync(dir_fd.get()) != 0)
    return posixError("cannot sync " + dir, errno);
  return Status::ok();
}

StatusOr<std::string> readSmallFile(const std::string& path, size_t max_bytes) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (fd.get() < 0) return posixError("cannot open " + path, errno);
  std::string content;
  char buffer[4096];
  while (true) {
    const ssize_t got = ::read(fd.get(), buffer, sizeof buffer);
    if (got < 0) {
      if (errno == EINTR) continue;
      return posixError("cannot read " + path, errno);
    }
    if (got == 0) break;
    content.append(buffer, static_cast<size_t>(got));
    if (content.size() > max_bytes) {
      return Status::invalidArgument(path + " is larger than " + std::to_string(max_bytes) +
                                     " bytes");
    }
  }
  return content;
}

Status createPrivateFile(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (fd.get() < 0) return posixError("cannot create " + path, errno);
  if (::fchmod(fd.get(), 0600) != 0) return posixError("cannot chmod " + path, errno);
  return Status::ok();
}

Status createPrivateDirectory(const std::string& path) {
  std::error_code error;
  std::filesystem::create_directories(path, error);
  if (error) return Status::ioError("cannot create " + path + ": " + error.message());
  if (::chmod(path.c_str(), 0700) != 0) return posixError("cannot chmod " + path, errno);
  return Status::ok();
}

StatusOr<std::string> readOneLineFile(const std::string& path, size_t max_bytes) {
  auto text = readSmallFile(path, max_bytes);
  if (!text.isOk()) return text.status();
  while (!text->empty() && (text->back() == '\n' || text->back() == '\r' || text->back() == ' ')) {
    text->pop_back();
  }
  return text;
}

}  // namespace vigie::platform
