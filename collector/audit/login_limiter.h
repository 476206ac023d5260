#pragma once

// Slows password guessing: after too many failed logins for one account, or from one address,
// within a window, further attempts are refused (even with the right password) until the oldest
// failure leaves the window. In memory: a restart forgets, which costs an attacker a restart.

#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "vigie/platform/clock.h"

namespace vigie::collector {

struct LoginLimits {
  size_t failures_per_account = 5;
  size_t failures_per_address = 20;
  int64_t window_ms = 15 * 60 * 1000;
  size_t max_tracked_keys = 100000;  // bounds memory under a spray of names or addresses
};

class LoginLimiter {
 public:
  explicit LoginLimiter(platform::Clock& clock, LoginLimits limits = {})
      : clock_(clock), limits_(limits) {}

  // How long to wait before trying again, or nullopt when an attempt may be made now.
  std::optional<int64_t> retryAfterMs(const std::string& user, const std::string& address);
  void recordFailure(const std::string& user, const std::string& address);

 private:
  using Failures = std::unordered_map<std::string, std::deque<int64_t>>;
  std::optional<int64_t> wait(Failures& failures, const std::string& key, size_t limit,
                              int64_t now);
  void add(Failures& failures, const std::string& key, int64_t now);

  platform::Clock& clock_;
  const LoginLimits limits_;
  std::mutex mutex_;
  Failures by_account_;
  Failures by_address_;
};

}  // namespace vigie::collector
