#include "vigie/agent/heartbeat_reporter.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <vector>

namespace vigie::agent {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// Records the heartbeats posted and answers from a script (200 once the script is empty).
// Thread-safe: the reporter posts from its own thread.
class RecordingTransport final : public HttpTransport {
 public:
  struct Shared {
    std::mutex mutex;
    std::condition_variable posted;
    std::vector<protocol::Heartbeat> heartbeats;
    std::deque<StatusOr<HttpResponse>> answers;
    int reconnects = 0;
    bool cancelled = false;
  };
  explicit RecordingTransport(Shared& shared) : shared_(shared) {}

  StatusOr<HttpResponse> post(std::string_view path, std::string_view body,
                              std::string_view content_type, bool gzip_encoded) override {
    EXPECT_EQ(path, "/v1/heartbeat");
    EXPECT_EQ(content_type, "application/json");
    EXPECT_FALSE(gzip_encoded);
    auto heartbeat = protocol::heartbeatFromJson(body);
    EXPECT_TRUE(heartbeat.isOk()) << heartbeat.status().toString();
    std::lock_guard lock(shared_.mutex);
    if (heartbeat.isOk()) shared_.heartbeats.push_back(*heartbeat);
    shared_.posted.notify_all();
    if (shared_.answers.empty()) return HttpResponse{200, R"({"heartbeat_seconds":60})", {}};
    auto answer = std::move(shared_.answers.front());
    shared_.answers.pop_front();
    return answer;
  }
  void reconnect() override {
    std::lock_guard lock(shared_.mutex);
    ++shared_.reconnects;
  }
  void cancel() override {
    std::lock_guard lock(shared_.mutex);
    shared_.cancelled = true;
  }

 private:
  Shared& shared_;
};

class HeartbeatReporterTest : public ::testing::Test {
 protected:
  std::unique_ptr<HeartbeatReporter> reporter(milliseconds interval) {
    return std::make_unique<HeartbeatReporter>(
        std::make_unique<RecordingTransport>(shared_),
        [this](int64_t lost_since_ms) {
          lost_since_.push_back(lost_since_ms);
          protocol::Heartbeat heartbeat;
          heartbeat.agent_version = "0.1.0";
          heartbeat.sent_ms = next_sent_ms_;
          next_sent_ms_ += 1000;
          return heartbeat;
        },
        [this](const std::string& line) { log_.push_back(line); }, interval);
  }

  // Waits (bounded) until `count` heartbeats were posted.
  bool waitForHeartbeats(size_t count, milliseconds within) {
    std::unique_lock lock(shared_.mutex);
    return shared_.posted.wait_for(lock, within,
                                   [&] { return shared_.heartbeats.size() >= count; });
  }

  RecordingTransport::Shared shared_;
  std::vector<int64_t> lost_since_;
  std::vector<std::string> log_;
  int64_t next_sent_ms_ = 1764661060000;
};

TEST_F(HeartbeatReporterTest, SendsAtStartThenEveryInterval) {
  auto sender = reporter(milliseconds(20));
  sender->start();
  ASSERT_TRUE(waitForHeartbeats(3, seconds(10)));
  sender->stop();
  EXPECT_GE(sender->stats().sent, 3u);
  EXPECT_EQ(sender->stats().failures, 0u);
  EXPECT_TRUE(log_.empty());
}

TEST_F(HeartbeatReporterTest, StopsAtOnceInTheMiddleOfALongInterval) {
  auto sender = reporter(std::chrono::hours(1));
  sender->start();
  ASSERT_TRUE(waitForHeartbeats(1, seconds(10)));
  const auto before = std::chrono::steady_clock::now();
  sender->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, seconds(5));
  std::lock_guard lock(shared_.mutex);
  EXPECT_TRUE(shared_.cancelled);
  EXPECT_EQ(shared_.heartbeats.size(), 1u);
}

TEST_F(HeartbeatReporterTest, ANewIntervalAppliesToTheWaitUnderWay) {
  auto sender = reporter(std::chrono::hours(1));
  sender->start();
  ASSERT_TRUE(waitForHeartbeats(1, seconds(10)));
  sender->setInterval(milliseconds(10));
  EXPECT_EQ(sender->interval(), milliseconds(10));
  EXPECT_TRUE(waitForHeartbeats(3, seconds(10))) << "the hour-long wait was not cut short";
}

TEST_F(HeartbeatReporterTest, FailuresAreLoggedOncePerTransitionAndLostSessionsWaitForSuccess) {
  shared_.answers.push_back(Status::ioError("connection refused"));
  shared_.answers.push_back(HttpResponse{503, "{}", {}});
  shared_.answers.push_back(HttpResponse{401, "{}", {}});
  auto sender = reporter(seconds(60));
  EXPECT_FALSE(sender->sendOnce().isOk());
  EXPECT_FALSE(sender->sendOnce().isOk());
  EXPECT_FALSE(sender->sendOnce().isOk());
  ASSERT_EQ(log_.size(), 1u);
  EXPECT_NE(log_[0].find("connection refused"), std::string::npos) << log_[0];
  EXPECT_EQ(shared_.reconnects, 1) << "a 401 reconnects, for the re-enrolled certificate";
  EXPECT_TRUE(sender->sendOnce().isOk());
  EXPECT_TRUE(sender->sendOnce().isOk());
  ASSERT_EQ(log_.size(), 2u);
  EXPECT_EQ(log_[1], "heartbeats resumed");
  EXPECT_EQ(sender->stats().failures, 3u);
  EXPECT_EQ(sender->stats().sent, 2u);
  // Lost sensors are asked for since the last heartbeat the collector took, not the last tried.
  ASSERT_EQ(lost_since_.size(), 5u);
  EXPECT_EQ(lost_since_[3], 0);
  EXPECT_EQ(lost_since_[4], 1764661060000 + 3000);
}

}  // namespace
}  // namespace vigie::agent
