#pragma once

#include <cstdint>
#include <string>

#include "vigie/protocol/status.h"

namespace vigie::platform {

// Who is on the other end of a local socket, as the kernel says (never as the peer says).
// On Windows, `uid` is the relative id (last part) of the account's SID and `user` is
// DOMAIN\name.
struct PeerIdentity {
  uint32_t uid = 0;
  int32_t pid = 0;
  std::string user;  // login name for uid, or "uid:<n>" when the account has no name
};

#ifndef _WIN32
// The account name of `uid`, or "uid:<n>" when the account has no name.
std::string userNameOf(uint32_t uid);

// REQUIRES: fd is a connected local (Unix-domain) stream socket.
StatusOr<PeerIdentity> peerIdentityOf(int fd);
#endif

}  // namespace vigie::platform
