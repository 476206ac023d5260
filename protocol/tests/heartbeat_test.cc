#include "vigie/protocol/heartbeat.h"

#include <gtest/gtest.h>

namespace vigie::protocol {
namespace {

constexpr char kExample[] =
    R"j({"agent_version":"0.1.0","os":"Debian GNU/Linux 12 (bookworm)","host":"ws-012",)j"
    R"j("policy":{"serial":3,"version":"2026-12-a","error":"signature does not verify"},)j"
    R"j("queue":{"events":12,"bytes":40960,"oldest_event_ms":1764660000000},"drops":0,)j"
    R"j("last_upload_ms":1764661000000,"sessions":[{"session":"2","user":"alice",)j"
    R"j("since_ms":1764650000000,"status":"connected"}],"sent_ms":1764661060000})j";

// kExample with `from` replaced by `to` (once).
std::string variant(std::string_view from, std::string_view to) {
  std::string text = kExample;
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
  return text;
}

TEST(HeartbeatTest, TheDocumentedExampleReadsAndEncodesBackToItself) {
  auto heartbeat = heartbeatFromJson(kExample);
  ASSERT_TRUE(heartbeat.isOk()) << heartbeat.status().toString();
  EXPECT_EQ(heartbeat->agent_version, "0.1.0");
  EXPECT_EQ(heartbeat->policy.serial, 3u);
  EXPECT_EQ(heartbeat->policy.error, "signature does not verify");
  EXPECT_EQ(heartbeat->queue_events, 12u);
  EXPECT_EQ(heartbeat->oldest_event_ms, 1764660000000);
  EXPECT_EQ(heartbeat->last_upload_ms, 1764661000000);
  ASSERT_EQ(heartbeat->sessions.size(), 1u);
  EXPECT_EQ(heartbeat->sessions[0].user, "alice");
  EXPECT_EQ(heartbeat->sessions[0].status, SensorStatus::kConnected);
  EXPECT_EQ(toJson(*heartbeat), kExample);
}

TEST(HeartbeatTest, NullTimesAndNoPolicyErrorRoundTrip) {
  Heartbeat heartbeat;
  heartbeat.agent_version = "0.1.0";
  heartbeat.sent_ms = 1764661060000;
  heartbeat.sessions.push_back({"7", "bob", 1764650000000, SensorStatus::kLost});
  const std::string json = toJson(heartbeat);
  EXPECT_NE(json.find(R"("oldest_event_ms":null)"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("last_upload_ms":null)"), std::string::npos) << json;
  EXPECT_EQ(json.find("error"), std::string::npos) << json;
  auto back = heartbeatFromJson(json);
  ASSERT_TRUE(back.isOk()) << back.status().toString();
  EXPECT_EQ(*back, heartbeat);
}

TEST(HeartbeatTest, EveryMalformedMemberIsRefusedByName) {
  const std::pair<std::string, std::string> cases[] = {
      {variant(R"("drops":0,)", ""), "missing field drops"},
      {variant(R"("drops":0)", R"("drops":-1)"), "drops"},
      {variant(R"("drops":0)", R"("drops":"0")"), "drops"},
      {variant(R"("host":"ws-012")", R"("host":"ws-012","extra":1)"), "unknown field extra"},
      {variant(R"("serial":3)", R"("serial":3,"x":true)"), "unknown field policy.x"},
      {variant(R"("version":"2026-12-a")", R"("version":"a\nb")"), "policy.version"},
      {variant(R"("agent_version":"0.1.0")", R"("agent_version":"")"), "agent_version"},
      {variant(R"("host":"ws-012")", "\"host\":\"" + std::string(300, 'h') + "\""), "host"},
      {variant(R"("oldest_event_ms":1764660000000)", R"("oldest_event_ms":12)"),
       "queue.oldest_event_ms"},
      {variant(R"("events":12)", R"("events":0)"), "queue.oldest_event_ms"},
      {variant(R"("status":"connected")", R"("status":"gone")"), "sessions[0].status"},
      {variant(R"("user":"alice",)", ""), "missing field sessions[0].user"},
      {variant(R"("sessions":[)", R"("sessions":[1,)"), "sessions[0]"},
      {variant(R"("sent_ms":1764661060000)", R"("sent_ms":null)"), "sent_ms"},
      {variant(R"("queue":{)", R"("queue":[{)"), ""},
      {"[]", "object"},
      {std::string(kMaxHeartbeatBytes + 1, ' '), "longer than"},
  };
  for (const auto& [text, reason] : cases) {
    auto parsed = heartbeatFromJson(text);
    ASSERT_FALSE(parsed.isOk()) << text;
    EXPECT_EQ(parsed.status().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(parsed.status().message().find(reason), std::string::npos)
        << parsed.status().message() << " for " << text;
  }
}

TEST(HeartbeatTest, TooManySessionsAreRefused) {
  Heartbeat heartbeat;
  heartbeat.agent_version = "0.1.0";
  heartbeat.sent_ms = 1764661060000;
  for (size_t i = 0; i <= kMaxHeartbeatSessions; ++i) {
    heartbeat.sessions.push_back({std::to_string(i), "u", 1764650000000, SensorStatus::kLost});
  }
  auto parsed = heartbeatFromJson(toJson(heartbeat));
  ASSERT_FALSE(parsed.isOk());
  EXPECT_NE(parsed.status().message().find("sessions"), std::string::npos);
}

}  // namespace
}  // namespace vigie::protocol
