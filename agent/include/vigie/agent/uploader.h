#pragma once

// Moves queued events to the collector (docs/collector-protocol.md, "Uploader"): leases the
// oldest events, sends them as one gzip batch on the persistent connection, deletes them only
// after a 2xx answer. Failures back off with full jitter; the server's Retry-After wins on 429 and
// 503; 413 halves the batch; 401 re-enrolls; a batch the collector calls malformed (400) is
// halved until the one event it refuses is found, which is then deleted and reported in an
// agent.gap (reason "rejected") so that the rest still flows.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>

#include "vigie/agent/event_queue.h"
#include "vigie/agent/http_transport.h"
#include "vigie/platform/clock.h"

namespace vigie::agent {

struct UploaderOptions {
  size_t batch_events = 2000;      // events per batch at most...
  size_t batch_bytes = 4u << 20;   // ...and stored JSON bytes per batch at most
  int64_t linger_ms = 1000;        // a batch that is not full waits this long for company
  int64_t backoff_base_ms = 1000;  // full jitter: wait uniform(0, min(cap, base * 2^failures))
  int64_t backoff_cap_ms = 300'000;
  platform::Clock* clock = nullptr;  // for UploaderStats::last_delivered_ms; nullptr: the system's
};

struct UploadOutcome {
  enum class Kind {
    kIdle,       // nothing queued
    kDelivered,  // acknowledged and deleted from the queue
    kRetry,      // nothing deleted; try again after wait_ms
    kRejected,   // one event refused as malformed, deleted and reported
  };
  Kind kind = Kind::kIdle;
  int64_t wait_ms = 0;  // before the next attempt
  size_t events = 0;    // delivered or rejected
  std::string detail;   // why a retry, for the log
};

struct UploaderStats {
  uint64_t delivered = 0;
  uint64_t batches = 0;
  uint64_t failures = 0;  // attempts that ended in a retry
  uint64_t rejected = 0;
  uint64_t reenrollments = 0;
  std::optional<int64_t> last_delivered_ms;  // when the collector last acknowledged a batch
};

class Uploader {
 public:
  // Re-enrolls after a 401; the uploader then reconnects.
  using Reenroll = std::function<Status()>;
  // Records that the collector refused `event` (its stored JSON) for `reason`.
  using RejectedEvent = std::function<void(const LeasedEvent& event, const std::string& reason)>;
  // Reports what happened, for the service's log (called on changes, not on every batch).
  using Log = std::function<void(const std::string& line)>;

  Uploader(EventQueue& queue, HttpTransport& transport, UploaderOptions options, Reenroll reenroll,
           RejectedEvent rejected, Log log, uint64_t jitter_seed);
  ~Uploader();  // stop()

  // One attempt; what the background thread repeats. Not to be called while start()ed.
  UploadOutcome uploadOnce();

  // `due` tells whether the client certificate should be renewed (close to expiry); when it says
  // so, uploadOnce() re-enrolls and reconnects before sending. REQUIRES: not started.
  void setRenewalCheck(std::function<bool()> due) { renewal_due_ = std::move(due); }

  // Changes the batch size and linger (a new workstation policy); taken at the next attempt.
  // Thread-safe.
  void setBatching(size_t batch_events, int64_t linger_ms);

  // Runs uploadOnce() on a thread, waiting wait_ms between attempts, until stop().
  void start();
  // Cancels the request under way and joins the thread; leased events go back to the queue.
  void stop();

  UploaderStats stats() const;
  size_t currentBatchLimit() const { return batch_limit_; }

 private:
  UploadOutcome retry(std::string detail, std::optional<int64_t> server_wait_ms = std::nullopt);
  // Deletes the one event of `lease` the collector refuses, after reporting it.
  UploadOutcome rejectAlone(const Lease& lease, const std::string& reason);
  // Re-enrolls and reconnects; counts and logs it. False when re-enrollment failed.
  bool reenrollAndReconnect(const std::string& why);
  void loop();

  EventQueue& queue_;
  HttpTransport& transport_;
  const UploaderOptions options_;
  Reenroll reenroll_;
  std::function<bool()> renewal_due_;
  RejectedEvent rejected_;
  Log log_;
  std::minstd_rand jitter_;
  std::atomic<size_t> batch_events_;
  std::atomic<int64_t> linger_ms_;
  size_t batch_limit_;
  uint32_t consecutive_failures_ = 0;
  bool failing_ = false;  // for logging transitions only

  mutable std::mutex mutex_;  // guards stats_, stopping_
  std::condition_variable wake_;
  bool stopping_ = false;
  UploaderStats stats_;
  std::thread thread_;
};

}  // namespace vigie::agent
