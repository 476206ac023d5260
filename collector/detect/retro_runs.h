#pragma once

// Rules run after the fact over stored history ("run this rule over the last 90 days"): one run
// at a time on a background thread, each recorded (who asked, which rules, which period, how many
// events and alerts). Alerts from a run carry origin "run:<id>" and meet the real-time ones by key.

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "detect/detection_engine.h"
#include "vigie/collector/event_store.h"
#include "vigie/platform/clock.h"

namespace vigie::collector {

inline constexpr int64_t kMaxRunDays = 366;

struct RunRequest {
  std::vector<std::string> rules;  // empty: every rule the policy enables
  int64_t from_ms = 0;
  int64_t to_ms = 0;
  std::string requested_by;
};

struct RunInfo {
  int64_t id = 0;
  RunRequest request;
  int64_t requested_ms = 0;
  std::string state;  // queued, running, done, failed
  uint64_t events = 0;
  uint64_t alerts = 0;  // alerts created (not those it added evidence to)
  int64_t finished_ms = 0;
  std::string error;
};

class RetroRuns {
 public:
  RetroRuns(EventStore& store, AuditDb& db, const DetectionPolicy& policy, DetectionInputs inputs,
            platform::Clock& clock, std::function<void()> on_alert = {});
  ~RetroRuns();  // a run under way stops at its next hour of history

  // Queues a run. kInvalidArgument for an unknown rule or a bad period.
  StatusOr<int64_t> start(RunRequest request);
  // kNotFound for an unknown id.
  StatusOr<RunInfo> get(int64_t id);
  StatusOr<std::vector<RunInfo>> list(size_t limit);
  // Blocks until the queue is empty (tests, benchmarks).
  void waitIdle();

  // The run itself, on the calling thread (the worker, benchmarks).
  StatusOr<RunInfo> execute(int64_t id, const RunRequest& request);

 private:
  void work();
  Status record(const RunInfo& info);

  EventStore& store_;
  AuditDb& db_;
  DetectionPolicy policy_;
  DetectionInputs inputs_;
  platform::Clock& clock_;
  std::function<void()> on_alert_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::pair<int64_t, RunRequest>> queue_;
  bool busy_ = false;
  bool stopping_ = false;
  std::atomic<bool> cancel_{false};
  std::thread thread_;
};

}  // namespace vigie::collector
