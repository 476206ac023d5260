#pragma once

// Sends the heartbeat (docs/fleet.md, POST /v1/heartbeat) at start and every interval, on its own
// connection to the collector so that a long upload never delays it. A failed heartbeat is
// logged when heartbeats start failing and when they resume, and tried again at the next
// interval; it never touches the queue or the uploads. A 401 is left to the uploader, which
// re-enrolls: the reporter only reconnects, so that the next heartbeat presents the new
// certificate.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "vigie/agent/http_transport.h"
#include "vigie/protocol/heartbeat.h"

namespace vigie::agent {

struct HeartbeatStats {
  uint64_t sent = 0;      // answered 2xx
  uint64_t failures = 0;  // no answer, or another status
};

class HeartbeatReporter {
 public:
  // The heartbeat to send now; `lost_since_ms` is the sent_ms of the last heartbeat the collector
  // took (0 before the first), from which on lost session sensors are to be reported.
  using Gather = std::function<protocol::Heartbeat(int64_t lost_since_ms)>;
  using Log = std::function<void(const std::string& line)>;

  HeartbeatReporter(HttpTransportPtr transport, Gather gather, Log log,
                    std::chrono::milliseconds interval);
  ~HeartbeatReporter();  // stop()
  HeartbeatReporter(const HeartbeatReporter&) = delete;
  HeartbeatReporter& operator=(const HeartbeatReporter&) = delete;

  // One heartbeat; what the thread repeats. Not to be called while start()ed.
  Status sendOnce();

  // Sends one at once, then one every interval, on a thread, until stop().
  void start();
  // Cancels the request under way and joins the thread. Returns at once even mid-wait.
  void stop();

  // The next heartbeat is due `interval` after the previous one (at once if that is past).
  // Thread-safe; REQUIRES: interval > 0.
  void setInterval(std::chrono::milliseconds interval);
  std::chrono::milliseconds interval() const;

  HeartbeatStats stats() const;

 private:
  void loop();

  HttpTransportPtr transport_;
  Gather gather_;
  Log log_;
  int64_t lost_since_ms_ = 0;  // used by the sending thread only
  bool failing_ = false;       // for logging transitions only

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::chrono::milliseconds interval_;  // GUARDED_BY(mutex_)
  bool interval_changed_ = false;       // GUARDED_BY(mutex_)
  bool stopping_ = false;               // GUARDED_BY(mutex_)
  HeartbeatStats stats_;                // GUARDED_BY(mutex_)
  std::thread thread_;
};

}  // namespace vigie::agent
