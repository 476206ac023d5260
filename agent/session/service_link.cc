#include "service_link.h"

#include <algorithm>
#include <iostream>

#include "vigie/platform/desktop_watcher.h"

namespace vigie::session {
namespace {
constexpr int64_t kFirstRetryMillis = 250;
constexpr int64_t kMaxRetryMillis = 15'000;
}  // namespace

ServiceLink::ServiceLink(std::string socket_path, std::string greeting_line)
    : socket_path_(std::move(socket_path)), greeting_(std::move(greeting_line)) {}

void ServiceLink::send(std::string line) {
  if (waiting_.size() >= kMaxWaiting) {
    waiting_.pop_front();
    ++dropped_;
  }
  waiting_.push_back(std::move(line));
  if (retry_delay_ == 0) flush();  // not while backing off: retry() will
}

void ServiceLink::open() { flush(); }

void ServiceLink::sendLastAndClose(std::string line) {
  send(std::move(line));
  if (stream_) stream_->closeWrite();
  stream_.reset();
  closed_ = true;
}

std::optional<int64_t> ServiceLink::retryDueMillis() const {
  if (closed_ || (stream_ && waiting_.empty())) return std::nullopt;
  return retry_due_;
}

void ServiceLink::retry() {
  if (platform::steadyMillis() >= retry_due_) flush();
}

void ServiceLink::flush() {
  if (closed_) return;
  while (true) {
    if (!ensureConnected() || (!waiting_.empty() && !deliver(waiting_.front()))) {
      retry_delay_ = std::clamp(retry_delay_ * 2, kFirstRetryMillis, kMaxRetryMillis);
      retry_due_ = platform::steadyMillis() + retry_delay_;
      return;
    }
    if (waiting_.empty()) break;
    waiting_.pop_front();
  }
  retry_delay_ = 0;
}

bool ServiceLink::ensureConnected() {
  if (stream_) return true;
  auto connected = platform::connectLocal(socket_path_);
  if (!connected.isOk()) {
    if (retry_delay_ == 0) {
      std::cerr << "vigie-session: agent service unreachable (" << connected.status().toString()
                << "); keeping events in memory and retrying\n";
    }
    return false;
  }
  stream_ = std::move(connected).value();
  replies_.clear();
  if (!deliver(greeting_)) return false;
  if (dropped_ > 0) {
    std::cerr << "vigie-session: " << dropped_
              << " events were dropped while the service was unreachable\n";
  }
  return true;
}

bool ServiceLink::deliver(const std::string& line) {
  if (!stream_->writeAll(line + "\n").isOk()) {
    stream_.reset();
    return false;
  }
  size_t newline;
  while ((newline = replies_.find('\n')) == std::string::npos) {
    char chunk[512];
    auto got = stream_->read(chunk, sizeof chunk);
    if (!got.isOk() || *got == 0) {
      stream_.reset();
      return false;
    }
    replies_.append(chunk, *got);
  }
  const std::string reply = replies_.substr(0, newline);
  replies_.erase(0, newline + 1);
  if (!reply.starts_with("ok ")) {
    ++refused_;
    std::cerr << "vigie-session: the service refused an event: " << reply << "\n";
  }
  return true;
}

}  // namespace vigie::session
