#include "vigie/agent/policy_puller.h"

#include <chrono>

namespace vigie::agent {

PolicyPuller::PolicyPuller(RemotePolicy& policy, HttpTransportPtr transport, int64_t interval_ms,
                           Applied applied, Refused refused, Log log)
    : policy_(policy),
      transport_(std::move(transport)),
      applied_(std::move(applied)),
      refused_(std::move(refused)),
      log_(std::move(log)),
      interval_ms_(interval_ms) {}

PolicyPuller::~PolicyPuller() { stop(); }

void PolicyPuller::pullOnce() {
  const std::string body = "{\"have\":" + std::to_string(policy_.state().serial) + "}";
  auto response = transport_->post("/v1/policy", body, "application/json", false);
  if (!response.isOk() || (response->status != 200 && response->status != 204)) {
    if (!failing_ && log_) {
      log_("policy pull failed: " + (response.isOk() ? "HTTP " + std::to_string(response->status) +
                                                           " " + response->body.substr(0, 200)
                                                     : response.status().toString()));
    }
    failing_ = true;
    // A 401 is the uploader's to fix (it re-enrolls); the next pull reloads the certificate.
    if (response.isOk() && response->status == 401) transport_->reconnect();
    return;
  }
  if (failing_ && log_) log_("policy pulls resumed");
  failing_ = false;
  if (response->status == 204) return;
  auto accepted = policy_.accept(response->body);
  if (accepted.isOk()) {
    last_refusal_.clear();
    if (applied_) applied_(*accepted);
    return;
  }
  if (accepted.status().code() == Status::Code::kFailedPrecondition) return;  // already in force
  const std::string reason = accepted.status().message();
  if (reason != last_refusal_) {
    last_refusal_ = reason;
    if (log_) log_(reason);
    if (refused_ && accepted.status().code() == Status::Code::kInvalidArgument) refused_(reason);
  }
}

void PolicyPuller::start() {
  thread_ = std::thread([this] { loop(); });
}

void PolicyPuller::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  transport_->cancel();
  if (thread_.joinable()) thread_.join();
}

void PolicyPuller::setInterval(int64_t interval_ms) {
  std::lock_guard lock(mu_);
  interval_ms_ = interval_ms;
}

void PolicyPuller::loop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    pullOnce();
    lock.lock();
    wake_.wait_for(lock, std::chrono::milliseconds(interval_ms_), [this] { return stopping_; });
  }
}

}  // namespace vigie::agent
