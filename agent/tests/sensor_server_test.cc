// The session sensors the service reports in its heartbeat: attached ones, and those whose
// connection ended without a logoff.
#include "vigie/agent/sensor_server.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "manual_clock.h"
#include "queue_test_util.h"
#include "sensor_client.h"
#include "temp_dir.h"

namespace vigie::agent {
namespace {

constexpr char kLogon[] = R"({"type":"session.logon","session":"7","data":{}})";
constexpr char kLogoff[] = R"({"type":"session.logoff","session":"7","data":{}})";

class SensorServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    queue_ = testing::openOrDie(testing::queueOptions(dir_.file("queue.db"), &clock_));
    intake_ = std::make_unique<EventIntake>(*queue_);
    auto listener = platform::listenLocal(socket_, 0600);
    ASSERT_TRUE(listener.isOk()) << listener.status().toString();
    server_ = std::make_unique<SensorServer>(std::move(listener).value(), *intake_, clock_);
  }

  platform::LocalStreamPtr logon() {
    auto stream = platform::connectLocal(socket_);
    EXPECT_TRUE(stream.isOk()) << stream.status().toString();
    if (!stream.isOk()) return nullptr;
    const auto replies = vigie::testing::exchangeLines(**stream, {kLogon});
    EXPECT_EQ(replies.size(), 1u);
    return std::move(stream).value();
  }

  // sessions(since) once `done` holds for it (bounded wait: the server notices a closed
  // connection on its own thread).
  std::vector<SensorSession> sessionsOnce(
      int64_t since, const std::function<bool(const std::vector<SensorSession>&)>& done) {
    std::vector<SensorSession> sessions;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    do {
      sessions = server_->sessions(since);
      if (done(sessions)) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    } while (std::chrono::steady_clock::now() < deadline);
    return sessions;
  }

  vigie::testing::TempDir dir_;
  vigie::testing::ManualClock clock_{1764661060000};
  const std::string socket_ = dir_.file("agent.sock");
  EventQueuePtr queue_;
  std::unique_ptr<EventIntake> intake_;
  std::unique_ptr<SensorServer> server_;
};

TEST_F(SensorServerTest, ASensorIsConnectedFromItsLogonUntilItsLogoff) {
  EXPECT_TRUE(server_->sessions(0).empty());
  auto sensor = logon();
  ASSERT_NE(sensor, nullptr);
  auto sessions = server_->sessions(0);
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_EQ(sessions[0].session, "7");
  EXPECT_FALSE(sessions[0].user.empty());
  EXPECT_EQ(sessions[0].since_ms, 1764661060000);
  EXPECT_TRUE(sessions[0].connected);

  ASSERT_EQ(vigie::testing::exchangeLines(*sensor, {kLogoff}).size(), 1u);
  EXPECT_TRUE(server_->sessions(0).empty()) << "a logoff ends the session: nothing was lost";
}

TEST_F(SensorServerTest, ASensorGoneWithoutLogoffIsLostFromThenOn) {
  auto sensor = logon();
  ASSERT_NE(sensor, nullptr);
  clock_.advance(5000);
  sensor->shutdown();
  sensor.reset();
  auto sessions = sessionsOnce(0, [](const std::vector<SensorSession>& found) {
    return found.size() == 1 && !found[0].connected;
  });
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_FALSE(sessions[0].connected);
  EXPECT_EQ(sessions[0].lost_ms, 1764661065000);
  EXPECT_EQ(sessions[0].since_ms, 1764661060000);
  // Reported to heartbeats from before the loss, not to later ones.
  EXPECT_EQ(server_->sessions(1764661065000).size(), 1u);
  EXPECT_TRUE(server_->sessions(1764661065001).empty());
}

TEST_F(SensorServerTest, StopsWithSensorsAttachedOrGoing) {
  // Connections end as the server stops (the sensor's own end, or the server's): the stop must
  // not wait on itself.
  for (int i = 0; i < 20; ++i) {
    auto attached = logon();
    auto going = logon();
    ASSERT_TRUE(attached != nullptr && going != nullptr);
    going->shutdown();
    server_.reset();
    auto listener = platform::listenLocal(socket_, 0600);
    ASSERT_TRUE(listener.isOk()) << listener.status().toString();
    server_ = std::make_unique<SensorServer>(std::move(listener).value(), *intake_, clock_);
  }
}

}  // namespace
}  // namespace vigie::agent
