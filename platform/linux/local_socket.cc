#include "vigie/platform/local_socket.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "vigie/platform/posix_error.h"

namespace vigie::platform {
namespace {

StatusOr<sockaddr_un> addressOf(const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof address.sun_path) {
    return Status::invalidArgument("socket path must be 1-" +
                                   std::to_string(sizeof address.sun_path - 1) + " bytes: " + path);
  }
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  return address;
}

class UnixStream final : public LocalStream {
 public:
  UnixStream(int fd, PeerIdentity peer) : fd_(fd), peer_(std::move(peer)) {}
  ~UnixStream() override { ::close(fd_); }

  StatusOr<size_t> read(char* buffer, size_t size) override {
    while (true) {
      const ssize_t got = ::recv(fd_, buffer, size, 0);
      if (got >= 0) return static_cast<size_t>(got);
      if (errno == EINTR) continue;
      if (errno == ECONNRESET) return size_t{0};
      return posixError("read from local socket", errno);
    }
  }

  Status writeAll(std::string_view data) override {
    while (!data.empty()) {
      const ssize_t sent = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (sent < 0) {
        if (errno == EINTR) continue;
        return posixError("write to local socket", errno);
      }
      data.remove_prefix(static_cast<size_t>(sent));
    }
    return Status::ok();
  }

  const PeerIdentity& peer() const override { return peer_; }
  void closeWrite() override { ::shutdown(fd_, SHUT_WR); }
  void shutdown() override { ::shutdown(fd_, SHUT_RDWR); }

 private:
  const int fd_;
  const PeerIdentity peer_;
};

class UnixListener final : public LocalListener {
 public:
  UnixListener(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~UnixListener() override {
    ::close(fd_);
    ::unlink(path_.c_str());
  }

  StatusOr<LocalStreamPtr> accept() override {
    while (!stopped_) {
      const int client = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (client < 0) {
        if (errno == EINTR || errno == ECONNABORTED) continue;
        if (stopped_) break;
        return posixError("accept on " + path_, errno);
      }
      auto peer = peerIdentityOf(client);
      if (!peer.isOk()) {
        ::close(client);
        continue;  // a client whose identity cannot be known is not served
      }
      return LocalStreamPtr(std::make_unique<UnixStream>(client, std::move(peer).value()));
    }
    return LocalStreamPtr();
  }

  void shutdown() override {
    stopped_ = true;
    ::shutdown(fd_, SHUT_RDWR);  // wakes accept() with EINVAL on Linux
  }

 private:
  const int fd_;
  const std::string path_;
  std::atomic<bool> stopped_{false};
};

}  // namespace

StatusOr<LocalListenerPtr> listenLocal(const std::string& path, unsigned mode) {
  auto address = addressOf(path);
  if (!address.isOk()) return address.status();
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) {
      return Status::failedPrecondition(path +
                                        " exists and is not a socket; refusing to replace it");
    }
    ::unlink(path.c_str());
  }
  // Bound and listening under a temporary name, then renamed: once `path` exists, connecting to
  // it succeeds, and the mode is right from the first connection.
  const std::string temp = path + ".new";
  auto temp_address = addressOf(temp);
  if (!temp_address.isOk()) return temp_address.status();
  ::unlink(temp.c_str());
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return posixError("socket", errno);
  auto fail = [&](const std::string& what) {
    const int error = errno;
    ::close(fd);
    ::unlink(temp.c_str());
    return posixError(what + " " + path, error);
  };
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&*temp_address), sizeof(sockaddr_un)) != 0) {
    return fail("cannot bind");
  }
  if (::chmod(temp.c_str(), static_cast<mode_t>(mode)) != 0) return fail("cannot chmod");
  if (::listen(fd, 64) != 0) return fail("cannot listen on");
  if (::rename(temp.c_str(), path.c_str()) != 0) return fail("cannot rename socket to");
  return LocalListenerPtr(std::make_unique<UnixListener>(fd, path));
}

StatusOr<LocalStreamPtr> connectLocal(const std::string& path) {
  auto address = addressOf(path);
  if (!address.isOk()) return address.status();
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return posixError("socket", errno);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&*address), sizeof(sockaddr_un)) != 0) {
    const int error = errno;
    ::close(fd);
    return posixError("cannot connect to " + path, error);
  }
  auto peer = peerIdentityOf(fd);
  if (!peer.isOk()) {
    ::close(fd);
    return peer.status();
  }
  return LocalStreamPtr(std::make_unique<UnixStream>(fd, std::move(peer).value()));
}

}  // namespace vigie::platform
