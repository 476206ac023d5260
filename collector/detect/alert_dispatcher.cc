#include "detect/alert_dispatcher.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <random>

#include "detect/alert_json.h"
#include "vigie/platform/thread_signals.h"

namespace vigie::collector {

struct AlertDispatcher::Worker {
  AlertOutputPtr output;
  std::string name;
  std::minstd_rand jitter;
  uint32_t failures_in_a_row = 0;  // the delivery thread's own
  bool pending = true;             // guarded by mutex_: wake() since the last look
  OutputStats stats;               // guarded by mutex_
  std::thread thread;
};

AlertDispatcher::AlertDispatcher(AlertStore& alerts, const Pseudonyms& pseudonyms,
                                 std::vector<AlertOutputPtr> outputs, DispatcherOptions options)
    : alerts_(alerts), pseudonyms_(pseudonyms), options_(options) {
  std::random_device os_random;
  for (AlertOutputPtr& output : outputs) {
    auto worker = std::make_unique<Worker>();
    worker->name = std::string(output->name());
    worker->output = std::move(output);
    const uint64_t seed =
        options_.jitter_seed != 0 ? options_.jitter_seed + workers_.size() : uint64_t{os_random()};
    worker->jitter.seed(static_cast<std::minstd_rand::result_type>(seed | 1));
    worker->stats.output = worker->name;
    workers_.push_back(std::move(worker));
  }
  // Started once every worker exists: the threads read workers_ (stats, waits).
  for (auto& worker : workers_) worker->thread = std::thread([this, &w = *worker] { run(w); });
}

AlertDispatcher::~AlertDispatcher() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  for (auto& worker : workers_) worker->thread.join();
}

void AlertDispatcher::wake() {
  {
    std::lock_guard lock(mutex_);
    for (auto& worker : workers_) worker->pending = true;
  }
  changed_.notify_all();
}

std::vector<OutputStats> AlertDispatcher::stats() const {
  std::lock_guard lock(mutex_);
  std::vector<OutputStats> all;
  for (const auto& worker : workers_) all.push_back(worker->stats);
  return all;
}

bool AlertDispatcher::waitForDeliveryForTest(std::string_view output, int64_t id,
                                             std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] {
    return std::any_of(workers_.begin(), workers_.end(), [&](const auto& worker) {
      return worker->name == output && worker->stats.delivered_through >= id;
    });
  });
}

void AlertDispatcher::run(Worker& worker) {
  platform::ignoreBrokenPipeInThisThread();
  auto& log = Poco::Logger::get("vigie-collector");
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    worker.pending = false;
    lock.unlock();
    const Status delivered = deliverPending(worker);
    int64_t wait_ms = options_.poll_ms;
    if (delivered.isOk()) {
      if (worker.failures_in_a_row > 0) {
        log.information("alert output %s: delivering again after %u failed attempts", worker.name,
                        static_cast<unsigned>(worker.failures_in_a_row));
      }
      worker.failures_in_a_row = 0;
    } else {
      ++worker.failures_in_a_row;
      // Full jitter over base * 2^(failures - 1), capped: retries from many collectors spread.
      const uint32_t exponent = std::min<uint32_t>(worker.failures_in_a_row - 1, 20);
      const int64_t ceiling =
          std::min(options_.backoff_cap_ms, options_.backoff_base_ms * (int64_t{1} << exponent));
      wait_ms =
          std::uniform_int_distribution<int64_t>(0, std::max<int64_t>(0, ceiling))(worker.jitter);
    }
    lock.lock();
    if (stopping_) break;
    worker.stats.failing = !delivered.isOk();
    if (!delivered.isOk()) {
      ++worker.stats.failures;
      worker.stats.last_error = delivered.toString();
      log.warning("alert output %s: attempt %u failed, next in %s ms: %s", worker.name,
                  static_cast<unsigned>(worker.failures_in_a_row), std::to_string(wait_ms),
                  delivered.toString());
    }
    changed_.notify_all();
    // A backoff is not cut short by wake(): only the poll interval is.
    const bool backing_off = !delivered.isOk();
    changed_.wait_for(lock, std::chrono::milliseconds(wait_ms),
                      [&] { return stopping_ || (!backing_off && worker.pending); });
  }
}

Status AlertDispatcher::deliverPending(Worker& worker) {
  while (true) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return Status::ok();
    }
    auto through = alerts_.deliveredThrough(worker.name);
    if (!through.isOk()) return through.status().withContext("alert store");
    {
      std::lock_guard lock(mutex_);
      worker.stats.delivered_through = *through;
    }
    auto batch = alerts_.after(*through, options_.batch_alerts);
    if (!batch.isOk()) return batch.status().withContext("alert store");
    if (batch->empty()) return Status::ok();

    std::vector<OutgoingAlert> outgoing;
    outgoing.reserve(batch->size());
    for (const Alert& alert : *batch) {
      outgoing.push_back({alert.id, alert.draft.rule, alert.draft.severity, alert.raised_ms,
                          alertJson(alert, pseudonyms_)});
    }
    size_t settled_count = 0;
    const Status delivered = worker.output->deliver(
        outgoing, [&](size_t through_index, std::string_view refusal) -> Status {
          // Stored first: once the cursor is past an alert it is never sent again.
          VIGIE_RETURN_IF_ERROR(alerts_.setDeliveredThrough(worker.name, outgoing[through_index].id)
                                    .withContext("alert store"));
          if (!refusal.empty()) {
            Poco::Logger::get("vigie-collector")
                .error("alert output %s: alert %s refused for good (%s), skipped", worker.name,
                       std::to_string(outgoing[through_index].id), std::string(refusal));
          }
          std::lock_guard lock(mutex_);
          const size_t newly = through_index + 1 - settled_count;
          const size_t refused = refusal.empty() ? 0 : 1;
          worker.stats.delivered += newly - refused;
          worker.stats.refused += refused;
          worker.stats.delivered_through = outgoing[through_index].id;
          worker.stats.failing = false;
          settled_count = through_index + 1;
          changed_.notify_all();
          // Stopping cuts a batch short; what is left is delivered after the next start.
          if (stopping_) return Status::failedPrecondition("stopping");
          return Status::ok();
        });
    if (!delivered.isOk()) return delivered;
    if (batch->size() < options_.batch_alerts) return Status::ok();
  }
}

}  // namespace vigie::collector
