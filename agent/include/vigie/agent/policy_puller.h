#pragma once

// Asks the collector for the active workstation policy (POST /v1/policy) at start and then every
// interval, on its own connection so that a long upload never delays it, and hands a policy that
// passed RemotePolicy's checks to the service.

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "vigie/agent/http_transport.h"
#include "vigie/agent/remote_policy.h"

namespace vigie::agent {

class PolicyPuller {
 public:
  using Applied = std::function<void(const policy::WorkstationPolicy& policy)>;
  // Called once per distinct refusal (a policy refused again at the next pull is not repeated).
  using Refused = std::function<void(const std::string& reason)>;
  using Log = std::function<void(const std::string& line)>;

  PolicyPuller(RemotePolicy& policy, HttpTransportPtr transport, int64_t interval_ms,
               Applied applied, Refused refused, Log log);
  ~PolicyPuller();  // stop()

  // One request; what the thread repeats. Not to be called while start()ed.
  void pullOnce();
  void start();
  // Cancels the request under way and joins the thread.
  void stop();
  // Takes effect after the current wait. Thread-safe.
  void setInterval(int64_t interval_ms);

 private:
  void loop();

  RemotePolicy& policy_;
  HttpTransportPtr transport_;
  Applied applied_;
  Refused refused_;
  Log log_;
  std::string last_refusal_;
  bool failing_ = false;  // for logging transitions only

  std::mutex mu_;
  std::condition_variable wake_;
  int64_t interval_ms_;    // GUARDED_BY(mu_)
  bool stopping_ = false;  // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace vigie::agent
