#pragma once

// Local stream sockets between the session sensor and the agent service (Unix-domain sockets on
// Linux). The service learns who connected from the kernel (PeerIdentity), never from the data.

#include <memory>
#include <string>
#include <string_view>

#include "vigie/platform/peer_identity.h"
#include "vigie/protocol/status.h"

namespace vigie::platform {

class LocalStream {
 public:
  virtual ~LocalStream() = default;
  // Bytes read into `buffer`; 0 when the peer closed or shutdown() was called.
  virtual StatusOr<size_t> read(char* buffer, size_t size) = 0;
  virtual Status writeAll(std::string_view data) = 0;
  // Identity of the peer at connect time, as the kernel reports it. On Windows a server learns
  // its client's account with the first bytes read (the OS lets it read the client's token only
  // then; read() fails rather than hand over bytes from a client it cannot identify): read
  // before relying on `user` and `uid`.
  virtual const PeerIdentity& peer() const = 0;
  // Tells the peer no more data will come (it reads end of input); reading stays possible.
  virtual void closeWrite() = 0;
  // Wakes a blocked read(); safe to call from another thread.
  virtual void shutdown() = 0;
};
using LocalStreamPtr = std::unique_ptr<LocalStream>;

class LocalListener {
 public:
  virtual ~LocalListener() = default;
  // Waits for the next client; nullptr once shutdown() was called.
  virtual StatusOr<LocalStreamPtr> accept() = 0;
  // Wakes accept() for good; safe to call from another thread.
  virtual void shutdown() = 0;
};
using LocalListenerPtr = std::unique_ptr<LocalListener>;

// Listens at `path` (a stale socket file there is replaced; any other file is refused) with the
// socket file's permission bits set to `mode`.
StatusOr<LocalListenerPtr> listenLocal(const std::string& path, unsigned mode);
StatusOr<LocalStreamPtr> connectLocal(const std::string& path);

}  // namespace vigie::platform
