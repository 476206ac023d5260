// The sensor socket's "my data" request against a real server, queue and socket.
#include "vigie/agent/sensor_server.h"

#include <gtest/gtest.h>
#include <unistd.h>

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

  vigie::testing::TempDir dir_;
  const std::string socket_ = dir_.file("agent.sock");
  vigie::testing::ManualClock clock_;
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

}  // namespace
}  // namespace vigie::agent
