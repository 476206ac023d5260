#include "vigie/agent/uploader.h"

#include <algorithm>

#include "vigie/protocol/batch_codec.h"
#include "vigie/protocol/messages.h"

namespace vigie::agent {
namespace {

constexpr char kBatchPath[] = "/v1/batches";
constexpr char kBatchType[] = "application/x-ndjson";

std::string shortReason(const HttpResponse& response) {
  std::string reason = "HTTP " + std::to_string(response.status);
  if (!response.body.empty()) reason += ": " + response.body.substr(0, 300);
  return reason;
}

}  // namespace

Uploader::Uploader(EventQueue& queue, HttpTransport& transport, UploaderOptions options,
                   Reenroll reenroll, RejectedEvent rejected, Log log, uint64_t jitter_seed)
    : queue_(queue),
      transport_(transport),
      options_(options),
      reenroll_(std::move(reenroll)),
      rejected_(std::move(rejected)),
      log_(std::move(log)),
      jitter_(static_cast<std::minstd_rand::result_type>(jitter_seed | 1)),
      batch_events_(std::max<size_t>(1, options.batch_events)),
      linger_ms_(options.linger_ms),
      batch_limit_(batch_events_) {}

void Uploader::setBatching(size_t batch_events, int64_t linger_ms) {
  batch_events_ = std::max<size_t>(1, batch_events);
  linger_ms_ = linger_ms;
}

Uploader::~Uploader() { stop(); }

UploaderStats Uploader::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

UploadOutcome Uploader::retry(std::string detail, std::optional<int64_t> server_wait_ms) {
  const uint32_t exponent = std::min<uint32_t>(consecutive_failures_, 30);
  const int64_t ceiling = std::min(options_.backoff_cap_ms, options_.backoff_base_ms << exponent);
  ++consecutive_failures_;
  int64_t wait_ms =
      std::uniform_int_distribution<int64_t>(0, std::max<int64_t>(0, ceiling))(jitter_);
  if (server_wait_ms) wait_ms = std::min(*server_wait_ms, options_.backoff_cap_ms);
  {
    std::lock_guard lock(mutex_);
    ++stats_.failures;
  }
  if (!failing_ && log_) log_("upload failing, will retry: " + detail);
  failing_ = true;
  return {UploadOutcome::Kind::kRetry, wait_ms, 0, std::move(detail)};
}

bool Uploader::reenrollAndReconnect(const std::string& why) {
  Status enrolled = reenroll_ ? reenroll_() : Status::failedPrecondition("cannot re-enroll");
  if (!enrolled.isOk()) {
    if (log_) log_("re-enrollment (" + why + ") failed: " + enrolled.message());
    return false;
  }
  {
    std::lock_guard lock(mutex_);
    ++stats_.reenrollments;
  }
  if (log_) log_("re-enrolled: " + why);
  transport_.reconnect();
  return true;
}

UploadOutcome Uploader::uploadOnce() {
  // A certificate close to expiry is renewed while the collector still accepts it; if that fails
  // the current one is used until the next check.
  if (renewal_due_ && renewal_due_()) reenrollAndReconnect("client certificate close to expiry");
  batch_limit_ = std::min<size_t>(batch_limit_, batch_events_);
  auto lease = queue_.lease(batch_limit_, options_.batch_bytes);
  if (!lease.isOk()) return retry("queue: " + lease.status().toString());
  if (lease->empty()) return {UploadOutcome::Kind::kIdle, linger_ms_, 0, {}};

  std::vector<std::string_view> lines;
  lines.reserve(lease->events.size());
  for (const LeasedEvent& event : lease->events) lines.push_back(event.json);
  const std::string body = protocol::gzipCompress(protocol::joinBatchLines(lines));
  auto response = transport_.post(kBatchPath, body, kBatchType, /*gzip_encoded=*/true);

  const size_t count = lease->events.size();
  auto give_back = [&] { (void)queue_.release(lease->id); };
  if (!response.isOk()) {
    give_back();
    return retry(response.status().message());
  }
  const long status = response->status;
  if (status >= 200 && status < 300) {
    Status acked = queue_.ack(lease->id);
    if (!acked.isOk()) {
      // Delivered but still queued: the collector will count the resend as duplicates.
      give_back();
      return retry("queue ack: " + acked.toString());
    }
    if (auto receipt = protocol::batchReceiptFromJson(response->body);
        receipt.isOk() && receipt->incidents > 0 && log_) {
      log_("collector reported " + std::to_string(receipt->incidents) +
           " integrity incident(s) in the last batch");
    }
    {
      std::lock_guard lock(mutex_);
      stats_.delivered += count;
      ++stats_.batches;
      stats_.last_delivered_ms =
          (options_.clock != nullptr ? *options_.clock : platform::systemClock()).nowUnixMillis();
    }
    if (failing_ && log_) log_("uploads resumed");
    failing_ = false;
    consecutive_failures_ = 0;
    const bool full = count >= batch_limit_;
    batch_limit_ = std::min<size_t>(batch_events_, batch_limit_ * 2);
    return {UploadOutcome::Kind::kDelivered, full ? 0 : linger_ms_.load(), count, {}};
  }

  // The collector refuses this one event itself: report and delete it so the rest can flow.
  if (status == 400 && count == 1) return rejectAlone(*lease, shortReason(*response));
  give_back();
  switch (status) {
    case 413:  // the batch is too large for the collector: halve it
      if (count > 1) {
        batch_limit_ = std::max<size_t>(1, count / 2);
        return {UploadOutcome::Kind::kRetry, 0, 0, shortReason(*response)};
      }
      return retry(shortReason(*response));
    case 400:  // several events, one of them refused: halve until it is alone
      batch_limit_ = std::max<size_t>(1, count / 2);
      return {UploadOutcome::Kind::kRetry, 0, 0, shortReason(*response)};
    case 401:
      if (!reenrollAndReconnect("the collector answered 401")) {
        return retry("re-enrollment failed after " + shortReason(*response));
      }
      return {UploadOutcome::Kind::kRetry, 0, 0, shortReason(*response)};
    case 429:
    case 503:
      return retry(shortReason(*response), response->retry_after_ms);
    default:
      return retry(shortReason(*response));
  }
}

UploadOutcome Uploader::rejectAlone(const Lease& lease, const std::string& reason) {
  const LeasedEvent& refused = lease.events.front();
  if (rejected_) rejected_(refused, reason);
  Status acked = queue_.ack(lease.id);
  if (!acked.isOk()) {
    (void)queue_.release(lease.id);
    return retry("queue ack: " + acked.toString());
  }
  {
    std::lock_guard lock(mutex_);
    ++stats_.rejected;
  }
  if (log_) {
    log_("collector refused event " + std::to_string(refused.seq) + " (" + reason +
         "); deleted and reported in agent.gap");
  }
  return {UploadOutcome::Kind::kRejected, 0, 1, reason};
}

void Uploader::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { loop(); });
}

void Uploader::stop() {
  {
    std::lock_guard lock(mutex_);
    if (!thread_.joinable()) return;
    stopping_ = true;
  }
  transport_.cancel();
  wake_.notify_all();
  thread_.join();
}

void Uploader::loop() {
  for (;;) {
    const UploadOutcome outcome = uploadOnce();
    std::unique_lock lock(mutex_);
    if (stopping_) return;
    wake_.wait_for(lock, std::chrono::milliseconds(outcome.wait_ms), [&] { return stopping_; });
    if (stopping_) return;
  }
}

}  // namespace vigie::agent
