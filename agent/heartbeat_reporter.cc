#include "vigie/agent/heartbeat_reporter.h"

namespace vigie::agent {
namespace {

constexpr char kHeartbeatPath[] = "/v1/heartbeat";
constexpr char kJsonType[] = "application/json";

}  // namespace

HeartbeatReporter::HeartbeatReporter(HttpTransportPtr transport, Gather gather, Log log,
                                     std::chrono::milliseconds interval)
    : transport_(std::move(transport)),
      gather_(std::move(gather)),
      log_(std::move(log)),
      interval_(interval) {}

HeartbeatReporter::~HeartbeatReporter() { stop(); }

Status HeartbeatReporter::sendOnce() {
  const protocol::Heartbeat heartbeat = gather_(lost_since_ms_);
  auto response =
      transport_->post(kHeartbeatPath, protocol::toJson(heartbeat), kJsonType, /*gzip=*/false);
  Status outcome;
  if (!response.isOk()) {
    outcome = response.status();
  } else if (response->status < 200 || response->status >= 300) {
    // 401: the uploader re-enrolls; the next heartbeat connects again with the new certificate.
    if (response->status == 401) transport_->reconnect();
    outcome = Status::ioError("HTTP " + std::to_string(response->status) + ": " +
                              response->body.substr(0, 300));
  }
  {
    std::lock_guard lock(mutex_);
    ++(outcome.isOk() ? stats_.sent : stats_.failures);
  }
  if (outcome.isOk()) {
    lost_since_ms_ = heartbeat.sent_ms;
    if (failing_ && log_) log_("heartbeats resumed");
    failing_ = false;
  } else {
    if (!failing_ && log_) log_("heartbeat failing, will retry: " + outcome.message());
    failing_ = true;
  }
  return outcome;
}

void HeartbeatReporter::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { loop(); });
}

void HeartbeatReporter::stop() {
  {
    std::lock_guard lock(mutex_);
    if (!thread_.joinable()) return;
    stopping_ = true;
  }
  transport_->cancel();
  wake_.notify_all();
  thread_.join();
}

void HeartbeatReporter::setInterval(std::chrono::milliseconds interval) {
  {
    std::lock_guard lock(mutex_);
    interval_ = interval;
    interval_changed_ = true;
  }
  wake_.notify_all();
}

std::chrono::milliseconds HeartbeatReporter::interval() const {
  std::lock_guard lock(mutex_);
  return interval_;
}

HeartbeatStats HeartbeatReporter::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void HeartbeatReporter::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    (void)sendOnce();  // failures are logged and counted; the next interval tries again
    const auto sent_at = std::chrono::steady_clock::now();
    lock.lock();
    // Waits out the interval; a new interval moves the deadline, measured from the last send.
    while (!stopping_) {
      interval_changed_ = false;
      if (!wake_.wait_until(lock, sent_at + interval_,
                            [this] { return stopping_ || interval_changed_; })) {
        break;  // due
      }
    }
  }
}

}  // namespace vigie::agent
