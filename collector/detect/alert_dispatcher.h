#pragma once

// Delivers the alerts of the AlertStore to the configured outputs (docs/alert-outputs.md): in id
// order, at least once, nothing lost across restarts. Each output has its own cursor in the store
// (AlertStore::deliveredThrough) that moves only after the output has the alert, and its own
// thread and backoff, so that a dead webhook never holds back syslog or the file.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "audit/pseudonyms.h"
#include "detect/alert_outputs.h"
#include "detect/alerts.h"

namespace vigie::collector {

struct DispatcherOptions {
  // After a failure, an output waits uniform(0, min(cap, base * 2^(failures - 1))): full jitter.
  int64_t backoff_base_ms = 1000;
  int64_t backoff_cap_ms = 300'000;
  // Looks for new alerts this often even when nobody calls wake().
  int64_t poll_ms = 5000;
  size_t batch_alerts = 100;  // alerts read from the store, and given to an output, at a time
  uint64_t jitter_seed = 0;   // 0: seeded from the OS
};

// One output's counters since start.
struct OutputStats {
  std::string output;
  int64_t delivered_through = 0;  // its cursor
  uint64_t delivered = 0;         // alerts accepted
  uint64_t refused = 0;           // alerts the receiver refused for good (skipped, logged)
  uint64_t failures = 0;          // attempts that ended in a retry
  bool failing = false;           // the last attempt failed
  std::string last_error;         // why (no alert content in it)
};

class AlertDispatcher {
 public:
  // Starts one delivery thread per output; with no outputs it does nothing. `alerts` and
  // `pseudonyms` outlive the dispatcher.
  AlertDispatcher(AlertStore& alerts, const Pseudonyms& pseudonyms,
                  std::vector<AlertOutputPtr> outputs, DispatcherOptions options = {});
  // Stops: wakes every thread and joins it. An attempt under way finishes first: against a
  // receiver that accepts connections and never answers, that can take a few times the output's
  // timeout (the handshake, the request and closing each wait that long). What it did not settle
  // is delivered after the next start.
  ~AlertDispatcher();
  AlertDispatcher(const AlertDispatcher&) = delete;
  AlertDispatcher& operator=(const AlertDispatcher&) = delete;

  // New alerts are waiting: outputs that are not backing off deliver them now. Thread-safe,
  // cheap, never blocks on delivery.
  void wake();

  std::vector<OutputStats> stats() const;

  // Waits until `output`'s cursor reaches `id` or `timeout` passes; true if it did.
  bool waitForDeliveryForTest(std::string_view output, int64_t id,
                              std::chrono::milliseconds timeout) const;

 private:
  struct Worker;
  void run(Worker& worker);
  // Delivers what `worker`'s output has not had yet, batch after batch. Ok when nothing is left.
  Status deliverPending(Worker& worker);

  AlertStore& alerts_;
  const Pseudonyms& pseudonyms_;
  const DispatcherOptions options_;

  mutable std::mutex mutex_;  // guards stopping_, every Worker's `pending` and `stats`
  mutable std::condition_variable changed_;
  bool stopping_ = false;
  std::vector<std::unique_ptr<Worker>> workers_;
};

}  // namespace vigie::collector
