#pragma once

#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "vigie/agent/event_intake.h"
#include "vigie/agent/user_journal.h"
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
// Events stored are journaled for their person; a {"request":"my_data"} line is answered with
// the journal of the peer's user, never anyone else's.
class SensorServer {
 public:
  static constexpr size_t kMaxConnections = 64;

  SensorServer(platform::LocalListenerPtr listener, EventIntake& intake, UserJournal& journal,
               platform::Clock& clock);
  ~SensorServer();  // stops accepting, closes connections, joins threads

  SensorServer(const SensorServer&) = delete;
  SensorServer& operator=(const SensorServer&) = delete;

  // The sessions whose sensor is connected now, then those lost at or after `lost_since_ms`
  // (the last kMaxLostSessions are remembered). Thread-safe.
  std::vector<SensorSession> sessions(int64_t lost_since_ms) const;

  static constexpr size_t kMaxLostSessions = 64;

 private:
  struct Connection;
  // One line of a client's batch: either an event waiting to be stored, or a reply already known.
  struct LineResult {
    std::string reply;       // set when the line was refused or answered
    size_t event_index = 0;  // into the batch's events, when reply is empty
  };
  void acceptLoop();
  // Serves until the connection ends; returns the session still open on it, if any.
  std::optional<std::string> serve(Connection& connection);
  // Stores `events`, journals them, and appends one reply per line in order.
  void storeAndReply(Connection& connection, std::vector<LineResult>& lines,
                     std::vector<protocol::Event>& events, std::optional<std::string>& open_session,
                     std::string& replies);
  // The answer to a request line, terminator included.
  std::string answerRequest(const platform::PeerIdentity& peer, const std::string& request);
  // Records an agent.gap (reason sensor_lost) for a session sensor that went away unannounced.
  void recordSensorLost(Connection& connection, const std::string& session);

  platform::LocalListenerPtr listener_;
  EventIntake& intake_;
  UserJournal& journal_;
  platform::Clock& clock_;
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<Connection>> connections_;  // GUARDED_BY(mu_)
  std::deque<SensorSession> lost_;                        // GUARDED_BY(mu_), oldest first
  bool stopping_ = false;                                 // GUARDED_BY(mu_)
  std::thread acceptor_;
};

}  // namespace vigie::agent
