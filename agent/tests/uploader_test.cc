// The uploader's decisions, against a scripted transport: what is deleted from the queue, how
// long it waits, how the batch size moves. Real TLS and a real collector are in
// tests/delivery_test.cc.
#include "vigie/agent/uploader.h"

#include <gtest/gtest.h>

#include <deque>

#include "queue_test_util.h"
#include "temp_dir.h"
#include "vigie/protocol/batch_codec.h"

namespace vigie::agent {
namespace {

using Kind = UploadOutcome::Kind;

// Answers requests from a script and keeps what it was sent.
class ScriptedTransport final : public HttpTransport {
 public:
  std::deque<StatusOr<HttpResponse>> answers;
  std::vector<std::vector<protocol::Event>> batches;  // decoded bodies, in order
  int reconnects = 0;

  StatusOr<HttpResponse> post(std::string_view path, std::string_view body,
                              std::string_view content_type, bool gzip_encoded) override {
    EXPECT_EQ(path, "/v1/batches");
    EXPECT_EQ(content_type, "application/x-ndjson");
    EXPECT_TRUE(gzip_encoded);
    auto decoded = protocol::decodeBatch(body, {});
    EXPECT_TRUE(decoded.isOk()) << decoded.status().toString();
    batches.push_back(decoded.isOk() ? decoded->events : std::vector<protocol::Event>{});
    if (answers.empty()) return HttpResponse{200, "{}", std::nullopt};
    auto answer = std::move(answers.front());
    answers.pop_front();
    return answer;
  }
  void reconnect() override { ++reconnects; }
  void cancel() override {}
};

HttpResponse answer(long status, std::optional<int64_t> retry_after_ms = std::nullopt) {
  return HttpResponse{status, "{\"error\":\"scripted\"}", retry_after_ms};
}

class UploaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    queue_ = testing::openOrDie(testing::queueOptions(dir_.file("queue.db")));
    auto events = testing::typicalCrmViews(25);
    for (auto& event : events) event.device = "dev-test";
    ASSERT_TRUE(queue_->append(events).isOk());
    options_.batch_events = 10;
    options_.linger_ms = 700;
    options_.backoff_base_ms = 1000;
    options_.backoff_cap_ms = 300'000;
    makeUploader();
  }

  void makeUploader() {
    uploader_ = std::make_unique<Uploader>(
        *queue_, transport_, options_,
        [this] {
          ++reenrolls_;
          return reenroll_result_;
        },
        [this](const LeasedEvent& event, const std::string&) { rejected_.push_back(event.seq); },
        nullptr, 42);
  }

  std::vector<uint64_t> queuedSeqs() {
    std::vector<uint64_t> seqs;
    for (const auto& event : testing::readAll(*queue_)) seqs.push_back(event.seq);
    return seqs;
  }

  vigie::testing::TempDir dir_;
  EventQueuePtr queue_;
  ScriptedTransport transport_;
  UploaderOptions options_;
  std::unique_ptr<Uploader> uploader_;
  int reenrolls_ = 0;
  Status reenroll_result_;
  std::vector<uint64_t> rejected_;
};

TEST_F(UploaderTest, DeliversInOrderAndDeletesOnlyAcknowledgedEvents) {
  UploadOutcome first = uploader_->uploadOnce();
  EXPECT_EQ(first.kind, Kind::kDelivered);
  EXPECT_EQ(first.events, 10u);
  EXPECT_EQ(first.wait_ms, 0);  // a full batch: more may be waiting
  ASSERT_EQ(transport_.batches.size(), 1u);
  EXPECT_EQ(transport_.batches[0].front().seq, 1u);
  EXPECT_EQ(transport_.batches[0].back().seq, 10u);
  EXPECT_EQ(queuedSeqs().front(), 11u);

  uploader_->uploadOnce();
  UploadOutcome last = uploader_->uploadOnce();
  EXPECT_EQ(last.events, 5u);
  EXPECT_EQ(last.wait_ms, 700);  // not full: linger
  EXPECT_TRUE(queuedSeqs().empty());
  EXPECT_EQ(uploader_->uploadOnce().kind, Kind::kIdle);
  EXPECT_EQ(uploader_->stats().delivered, 25u);
}

TEST_F(UploaderTest, NoAnswerKeepsEverythingAndBacksOffWithFullJitterUpToTheCap) {
  for (int attempt = 0; attempt < 12; ++attempt) {
    transport_.answers.push_back(Status::ioError("connection refused"));
    UploadOutcome outcome = uploader_->uploadOnce();
    EXPECT_EQ(outcome.kind, Kind::kRetry);
    const int64_t ceiling = std::min<int64_t>(300'000, int64_t{1000} << attempt);
    EXPECT_GE(outcome.wait_ms, 0);
    EXPECT_LE(outcome.wait_ms, ceiling) << "attempt " << attempt;
  }
  EXPECT_EQ(queuedSeqs().size(), 25u);
  // Back: delivered, and the next failure starts from the base again.
  EXPECT_EQ(uploader_->uploadOnce().kind, Kind::kDelivered);
  transport_.answers.push_back(Status::ioError("connection refused"));
  EXPECT_LE(uploader_->uploadOnce().wait_ms, 1000);
}

TEST_F(UploaderTest, RetryAfterIsHonouredOn429And503) {
  transport_.answers.push_back(answer(503, 7000));
  UploadOutcome busy = uploader_->uploadOnce();
  EXPECT_EQ(busy.kind, Kind::kRetry);
  EXPECT_EQ(busy.wait_ms, 7000);
  transport_.answers.push_back(answer(429, 3'600'000));
  EXPECT_EQ(uploader_->uploadOnce().wait_ms, 300'000);  // never beyond the cap
  EXPECT_EQ(queuedSeqs().size(), 25u);
}

TEST_F(UploaderTest, TooLargeHalvesTheBatchThenGrowsBack) {
  transport_.answers.push_back(answer(413));
  EXPECT_EQ(uploader_->uploadOnce().kind, Kind::kRetry);
  EXPECT_EQ(uploader_->currentBatchLimit(), 5u);
  UploadOutcome half = uploader_->uploadOnce();
  EXPECT_EQ(half.kind, Kind::kDelivered);
  EXPECT_EQ(transport_.batches.back().size(), 5u);
  EXPECT_EQ(uploader_->currentBatchLimit(), 10u);
  EXPECT_EQ(queuedSeqs().front(), 6u);
}

TEST_F(UploaderTest, MalformedEventIsIsolatedDeletedAndReportedTheRestFlows) {
  // The collector refuses any batch that holds seq 3.
  auto refuses_three = [this] {
    const auto& batch = transport_.batches.back();
    for (const auto& event : batch) {
      if (event.seq == 3) return true;
    }
    return false;
  };
  for (int step = 0; step < 20 && !queuedSeqs().empty(); ++step) {
    // Decide the answer after seeing the batch: push it lazily through a one-shot lease peek.
    auto lease = queue_->lease(uploader_->currentBatchLimit(), 4u << 20);
    ASSERT_TRUE(lease.isOk());
    bool holds_three = false;
    for (const auto& event : lease->events) holds_three |= event.seq == 3;
    ASSERT_TRUE(queue_->release(lease->id).isOk());
    transport_.answers.push_back(holds_three ? answer(400) : HttpResponse{200, "{}", {}});
    uploader_->uploadOnce();
    if (holds_three) {
      EXPECT_TRUE(refuses_three());
    }
  }
  EXPECT_EQ(rejected_, std::vector<uint64_t>{3});
  EXPECT_EQ(uploader_->stats().rejected, 1u);
  EXPECT_EQ(uploader_->stats().delivered, 24u);
}

TEST_F(UploaderTest, UnauthorizedReenrollsAndReconnects) {
  transport_.answers.push_back(answer(401));
  UploadOutcome outcome = uploader_->uploadOnce();
  EXPECT_EQ(outcome.kind, Kind::kRetry);
  EXPECT_EQ(outcome.wait_ms, 0);
  EXPECT_EQ(reenrolls_, 1);
  EXPECT_EQ(transport_.reconnects, 1);
  EXPECT_EQ(uploader_->uploadOnce().kind, Kind::kDelivered);

  reenroll_result_ = Status::ioError("collector unreachable");
  transport_.answers.push_back(answer(401));
  EXPECT_EQ(uploader_->uploadOnce().kind, Kind::kRetry);
  EXPECT_EQ(transport_.reconnects, 1);
  EXPECT_EQ(queuedSeqs().size(), 15u);
}

TEST_F(UploaderTest, CertificateCloseToExpiryIsRenewedBeforeSending) {
  bool due = true;
  uploader_->setRenewalCheck([&] { return std::exchange(due, false); });
  EXPECT_EQ(uploader_->uploadOnce().kind, Kind::kDelivered);
  EXPECT_EQ(reenrolls_, 1);
  EXPECT_EQ(transport_.reconnects, 1);
  EXPECT_EQ(uploader_->uploadOnce().kind, Kind::kDelivered);
  EXPECT_EQ(reenrolls_, 1);  // not due any more

  // A failed renewal does not stop uploads with the current certificate.
  due = true;
  reenroll_result_ = Status::ioError("collector unreachable");
  EXPECT_EQ(uploader_->uploadOnce().kind, Kind::kDelivered);
  EXPECT_EQ(transport_.reconnects, 1);
  EXPECT_TRUE(queuedSeqs().empty());
}

TEST_F(UploaderTest, OtherRefusalsKeepTheEvents) {
  for (long status : {403L, 404L, 415L, 500L, 502L}) {
    transport_.answers.push_back(answer(status));
    EXPECT_EQ(uploader_->uploadOnce().kind, Kind::kRetry) << status;
  }
  EXPECT_EQ(queuedSeqs().size(), 25u);
  EXPECT_TRUE(rejected_.empty());
}

TEST_F(UploaderTest, BackgroundThreadDrainsTheQueueAndStopsPromptly) {
  options_.linger_ms = 5;
  makeUploader();
  uploader_->start();
  for (int i = 0; i < 500 && !queuedSeqs().empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  uploader_->stop();
  EXPECT_TRUE(queuedSeqs().empty());
  EXPECT_EQ(uploader_->stats().delivered, 25u);
}

}  // namespace
}  // namespace vigie::agent
