#include "audit/login_limiter.h"

#include <algorithm>

namespace vigie::collector {

std::optional<int64_t> LoginLimiter::wait(Failures& failures, const std::string& key, size_t limit,
                                          int64_t now) {
  auto found = failures.find(key);
  if (found == failures.end()) return std::nullopt;
  std::deque<int64_t>& times = found->second;
  while (!times.empty() && times.front() <= now - limits_.window_ms) times.pop_front();
  if (times.empty()) {
    failures.erase(found);
    return std::nullopt;
  }
  if (times.size() < limit) return std::nullopt;
  return times[times.size() - limit] + limits_.window_ms - now;
}

void LoginLimiter::add(Failures& failures, const std::string& key, int64_t now) {
  if (failures.size() >= limits_.max_tracked_keys && !failures.contains(key)) {
    // Forget keys whose failures have all left the window; if none has, refuse to grow and
    // count the failure against nothing rather than run out of memory.
    std::erase_if(failures, [&](const auto& entry) {
      return entry.second.empty() || entry.second.back() <= now - limits_.window_ms;
    });
    if (failures.size() >= limits_.max_tracked_keys) return;
  }
  std::deque<int64_t>& times = failures[key];
  times.push_back(now);
  // Only the last `limit` failures matter; older ones would never decide anything.
  const size_t keep = std::max(limits_.failures_per_account, limits_.failures_per_address);
  while (times.size() > keep) times.pop_front();
}

std::optional<int64_t> LoginLimiter::retryAfterMs(const std::string& user,
                                                  const std::string& address) {
  std::lock_guard lock(mutex_);
  const int64_t now = clock_.nowUnixMillis();
  auto account = wait(by_account_, user, limits_.failures_per_account, now);
  auto from_address = wait(by_address_, address, limits_.failures_per_address, now);
  if (!account) return from_address;
  if (!from_address) return account;
  return std::max(*account, *from_address);
}

void LoginLimiter::recordFailure(const std::string& user, const std::string& address) {
  std::lock_guard lock(mutex_);
  const int64_t now = clock_.nowUnixMillis();
  add(by_account_, user, now);
  add(by_address_, address, now);
}

}  // namespace vigie::collector
