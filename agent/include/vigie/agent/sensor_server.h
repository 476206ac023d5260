#pragma once

#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "vigie/agent/event_intake.h"
#include "vigie/platform/clock.h"
#include "vigie/platform/local_socket.h"

namespace vigie::agent {

// A session sensor as the service sees it: attached now, or gone without a session.logoff.
struct SensorSession {
  std::string session;
  std::string user;
  int64_t since_ms = 0;  // when its session.logon was stored
  bool connected = true;
  int64_t lost_ms = 0;  // when its connection ended (lost ones only)
};

// Takes events from session sensors over a local socket (docs/sensor-protocol.md): one Draft
// JSON object per line in, one reply per line out, "ok <seq>" once the event is durable or
// "error <reason>". The user is the socket peer's account as the kernel reports it; the sensor
// cannot name another. Lines over the size limit, malformed drafts and agent.* types are refused
// one by one; the connection stays open. A connection that sent session.logon and ends without
// session.logoff (the sensor was killed or crashed) leaves an agent.gap with reason sensor_lost.
class SensorServer {
 public:
  static constexpr size_t kMaxConnections = 64;

  SensorServer(platform::LocalListenerPtr listener, EventIntake& intake, platform::Clock& clock);
  ~SensorServer();  // stops accepting, closes connections, joins threads

  SensorServer(const SensorServer&) = delete;
  SensorServer& operator=(const SensorServer&) = delete;

  // The sessions whose sensor is connected now, then those lost at or after `lost_since_ms`
  // (the last kMaxLostSessions are remembered). Thread-safe.
  std::vector<SensorSession> sessions(int64_t lost_since_ms) const;

  static constexpr size_t kMaxLostSessions = 64;

 private:
  struct Connection;
  void acceptLoop();
  // Serves until the connection ends; returns the session still open on it, if any.
  std::optional<std::string> serve(Connection& connection);
  // Records an agent.gap (reason sensor_lost) for a session sensor that went away unannounced.
  void recordSensorLost(Connection& connection, const std::string& session);

  platform::LocalListenerPtr listener_;
  EventIntake& intake_;
  platform::Clock& clock_;
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<Connection>> connections_;  // GUARDED_BY(mu_)
  std::deque<SensorSession> lost_;                        // GUARDED_BY(mu_), oldest first
  bool stopping_ = false;                                 // GUARDED_BY(mu_)
  std::thread acceptor_;
};

}  // namespace vigie::agent
