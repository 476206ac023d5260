#include "vigie/platform/peer_identity.h"

#include <pwd.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace vigie::platform {

std::string userNameOf(uint32_t uid) {
  struct passwd entry {};
  struct passwd* found = nullptr;
  std::vector<char> buffer(16384);
  if (::getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found) == 0 && found != nullptr) {
    return found->pw_name;
  }
  return "uid:" + std::to_string(uid);
}

StatusOr<PeerIdentity> peerIdentityOf(int fd) {
  struct ucred credentials {};
  socklen_t length = sizeof credentials;
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0) {
    return Status::ioError(std::string("SO_PEERCRED: ") + std::strerror(errno));
  }
  PeerIdentity peer;
  peer.uid = credentials.uid;
  peer.pid = credentials.pid;
  peer.user = userNameOf(credentials.uid);
  return peer;
}

}  // namespace vigie::platform
