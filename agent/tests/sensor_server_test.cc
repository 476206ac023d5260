// The sensor socket against a real server, queue and socket: the "my data" request, and the
// session sensors the heartbeat reports (attached ones, and those gone without a logoff).
#include "vigie/agent/sensor_server.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <thread>

#include "fixed_zone.h"
#include "manual_clock.h"
#include "queue_test_util.h"
#include "sensor_client.h"
#include "temp_dir.h"
#include "vigie/platform/peer_identity.h"
#include "vigie/protocol/my_data.h"
#include "vigie/protocol/utc_time.h"

namespace vigie::agent {
namespace {

using testing::openOrDie;
using testing::queueOptions;
using vigie::testing::crmViewDraft;
using vigie::testing::exchangeLines;

constexpr char kLogon[] = R"({"type":"session.logon","session":"7","data":{}})";
constexpr char kLogoff[] = R"({"type":"session.logoff","session":"7","data":{}})";

class SensorServerTest : public ::testing::Test {
 protected:
  SensorServerTest() {
    auto listener = platform::listenLocal(socket_, 0600);
    EXPECT_TRUE(listener.isOk());
    server_ =
        std::make_unique<SensorServer>(std::move(listener).value(), intake_, journal_, clock_);
  }
  platform::LocalStreamPtr connect() {
    auto stream = platform::connectLocal(socket_);
    EXPECT_TRUE(stream.isOk());
    return std::move(stream).value();
  }
  // Sends the lines and reads replies up to the my_data terminator.
  std::vector<std::string> untilEnd(platform::LocalStream& stream,
                                    const std::vector<std::string>& lines) {
    std::string payload;
    for (const std::string& line : lines) payload += line + "\n";
    EXPECT_TRUE(stream.writeAll(payload).isOk());
    return vigie::testing::readRepliesThrough(stream, protocol::kMyDataEnd);
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
  const std::string socket_ = dir_.file("agent.sock");
  vigie::testing::ManualClock clock_{1764661060000};
  vigie::testing::FixedZone zone_{0};
  EventQueuePtr queue_ = openOrDie(queueOptions(dir_.file("queue.db"), &clock_));
  EventIntake intake_{*queue_};
  UserJournal journal_{clock_, zone_};
  std::unique_ptr<SensorServer> server_;
};

TEST_F(SensorServerTest, MyDataListsWhatThisConnectionsUserSentIncludingLinesBeforeIt) {
  const std::string me = platform::userNameOf(::geteuid());
  auto stream = connect();
  const auto replies = untilEnd(
      *stream, {crmViewDraft("C-1"), crmViewDraft("C-2"), std::string(protocol::kMyDataRequest)});
  ASSERT_EQ(replies.size(), 6u) << ::testing::PrintToString(replies);
  EXPECT_EQ(replies[0], "ok 1");
  EXPECT_EQ(replies[1], "ok 2");
  EXPECT_EQ(replies[2], "{\"user\":\"" + me + "\",\"since\":\"" +
                            protocol::formatUtcMillis(clock_.nowUnixMillis()) +
                            "\",\"dropped\":0,\"entries\":2}");
  EXPECT_EQ(replies[3].rfind("{\"seq\":1,\"time\":\"", 0), 0u) << replies[3];
  EXPECT_NE(replies[3].find("\"type\":\"crm.view\",\"data\":{"), std::string::npos) << replies[3];
  EXPECT_NE(replies[3].find("\"record_id\":\"C-1\""), std::string::npos) << replies[3];
  EXPECT_NE(replies[4].find("\"record_id\":\"C-2\""), std::string::npos) << replies[4];
  EXPECT_EQ(replies[5], protocol::kMyDataEnd);
  // The connection goes on taking drafts.
  EXPECT_EQ(exchangeLines(*stream, {crmViewDraft("C-3")}), std::vector<std::string>{"ok 3"});
}

TEST_F(SensorServerTest, RequestsAreNeverDraftsAndCannotNameAUser) {
  auto stream = connect();
  EXPECT_EQ(exchangeLines(*stream, {R"({"request":"my_data","user":"bob"})",
                                    R"({"request":"everything"})", R"({"request":7})",
                                    R"({"type":"crm.view","request":"my_data","data":{}})"}),
            (std::vector<std::string>{
                "error unknown field user in a request", "error unknown request \"everything\"",
                "error field request: expected string", "error unknown field type in a request"}));
  EXPECT_TRUE(testing::readAll(*queue_).empty());
}

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
    server_ =
        std::make_unique<SensorServer>(std::move(listener).value(), intake_, journal_, clock_);
  }
}

}  // namespace
}  // namespace vigie::agent
