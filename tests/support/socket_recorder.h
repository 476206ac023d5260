#pragma once

// A recording relay between a local-socket client and its server: everything that crosses it,
// both ways, is kept so a test can inspect what travelled over the IPC (an "IPC capture").

#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "vigie/platform/local_socket.h"

namespace vigie::testing {

class SocketRecorder {
 public:
  // Listens at `path` (mode 0666) and relays each connection to `upstream`.
  SocketRecorder(const std::string& path, std::string upstream);
  ~SocketRecorder();
  SocketRecorder(const SocketRecorder&) = delete;
  SocketRecorder& operator=(const SocketRecorder&) = delete;

  std::string captured();  // all bytes relayed so far, both directions

 private:
  void acceptLoop();
  void pump(platform::LocalStream& from, platform::LocalStream& to);

  std::string upstream_;
  platform::LocalListenerPtr listener_;
  std::mutex mu_;
  std::string captured_;                           // GUARDED_BY(mu_)
  std::vector<platform::LocalStreamPtr> streams_;  // GUARDED_BY(mu_)
  std::vector<std::thread> pumps_;                 // GUARDED_BY(mu_)
  bool stopping_ = false;                          // GUARDED_BY(mu_)
  std::thread acceptor_;
};

}  // namespace vigie::testing
