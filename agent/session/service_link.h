#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include "vigie/platform/local_socket.h"

namespace vigie::session {

// The session sensor's connection to the agent service's socket (docs/sensor-protocol.md).
// Every new connection starts with the greeting line (the session's session.logon), so the
// service knows a session sensor is attached and records it as lost if the connection drops
// without a session.logoff. While the service is unreachable, lines wait in memory (at most
// kMaxWaiting; the oldest are dropped and counted) and the link retries with a growing delay.
// Nothing is ever written to disk. Not thread-safe: the sensor's one thread uses it.
class ServiceLink {
 public:
  static constexpr size_t kMaxWaiting = 10000;

  ServiceLink(std::string socket_path, std::string greeting_line);

  // Connects and greets now (the service records the logon at once), or schedules a retry.
  void open();
  // Sends one draft line (without newline) and waits for the service's reply, or keeps it for
  // later when the service cannot be reached.
  void send(std::string line);
  // When retry() is wanted (monotonic ms): nullopt while connected with nothing waiting.
  std::optional<int64_t> retryDueMillis() const;
  void retry();

  // Closes the connection after sending `line` (the session.logoff), without greeting again.
  void sendLastAndClose(std::string line);

  size_t waiting() const { return waiting_.size(); }
  uint64_t dropped() const { return dropped_; }
  uint64_t refused() const { return refused_; }

 private:
  bool ensureConnected();
  bool deliver(const std::string& line);  // false when the connection failed
  void flush();

  const std::string socket_path_;
  const std::string greeting_;
  platform::LocalStreamPtr stream_;
  std::string replies_;  // bytes read past the last reply line
  std::deque<std::string> waiting_;
  int64_t retry_due_ = 0;
  int64_t retry_delay_ = 0;
  uint64_t dropped_ = 0;
  uint64_t refused_ = 0;
  bool closed_ = false;
};

}  // namespace vigie::session
