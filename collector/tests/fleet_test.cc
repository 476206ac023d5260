// The fleet view: heartbeats kept per device, statuses decided against the collector's clock,
// the API's answer, and the workstation_silent rule on a manual clock.
#include <gtest/gtest.h>

#include "api/route_functions.h"
#include "audit_fixture.h"
#include "detect/workstation_silence.h"
#include "fleet/fleet_status.h"

namespace vigie::collector {
namespace {

// Local time is UTC here: 1970-01-01 was a Thursday (weekday 3, Monday being 0).
LocalMinute utcAsLocal(int64_t unix_ms) {
  const int64_t minutes = unix_ms / kMinuteMs;
  return {static_cast<int>((minutes / (24 * 60) + 3) % 7), static_cast<int>(minutes % (24 * 60))};
}

protocol::Heartbeat heartbeatOf(const std::string& version, uint64_t policy_serial) {
  protocol::Heartbeat heartbeat;
  heartbeat.agent_version = version;
  heartbeat.os = "Debian GNU/Linux 12 (bookworm)";
  heartbeat.host = "ws-012";
  heartbeat.policy.serial = policy_serial;
  heartbeat.queue_events = 3;
  heartbeat.queue_bytes = 900;
  heartbeat.oldest_event_ms = utc("2026-12-07T09:58:00.000Z");
  heartbeat.sessions.push_back(
      {"2", "alice", utc("2026-12-07T08:00:00.000Z"), protocol::SensorStatus::kConnected});
  heartbeat.sent_ms = utc("2026-12-07T10:00:00.000Z");
  return heartbeat;
}

class FleetTest : public AuditFixtureOnBoth {
 protected:
  void heard(const std::string& device, int64_t at_ms, const std::string& version = "0.1.0") {
    const Status stored = audit_->heartbeats.record(device, heartbeatOf(version, 0), at_ms);
    ASSERT_TRUE(stored.isOk()) << stored.toString();
  }

  FleetHealth healthOf(const std::string& device, int64_t now_ms,
                       const FleetReference& reference = {"0.1.0", 0}) {
    auto record = audit_->heartbeats.find(device);
    EXPECT_TRUE(record.isOk()) << record.status().toString();
    return fleetHealth(record.isOk() ? *record : std::nullopt, now_ms, FleetSettings{}, reference);
  }

  // 2026-12-07 is a Monday.
  const int64_t monday_10h_ = utc("2026-12-07T10:00:00.000Z");
};

TEST(FleetVersionTest, VersionsCompareNumericallyPartByPart) {
  EXPECT_LT(compareVersions("0.9.1", "0.10.0"), 0);
  EXPECT_GT(compareVersions("1.0", "0.99.99"), 0);
  EXPECT_EQ(compareVersions("0.1", "0.1.0"), 0);
  EXPECT_LT(compareVersions("0.1.0", "0.1.1"), 0);
  EXPECT_EQ(compareVersions("0.1.0", "0.1.0"), 0);
}

TEST_P(FleetTest, TheLatestHeartbeatIsKeptWithTheFirstTimeTheDeviceWasHeard) {
  heard("PC-1", monday_10h_);
  heard("PC-1", monday_10h_ + kMinuteMs, "0.2.0");
  auto record = audit_->heartbeats.find("PC-1");
  ASSERT_TRUE(record.isOk() && record->has_value());
  EXPECT_EQ((*record)->first_seen_ms, monday_10h_);
  EXPECT_EQ((*record)->last_seen_ms, monday_10h_ + kMinuteMs);
  EXPECT_EQ((*record)->heartbeat, heartbeatOf("0.2.0", 0));
  auto none = audit_->heartbeats.find("PC-2");
  ASSERT_TRUE(none.isOk());
  EXPECT_FALSE(none->has_value());
  EXPECT_EQ(count("SELECT count(*) FROM heartbeats"), 1);
}

TEST_P(FleetTest, StatusFollowsTheCollectorClock) {
  EXPECT_EQ(healthOf("PC-1", monday_10h_).status, FleetStatus::kUnknown);
  heard("PC-1", monday_10h_);
  EXPECT_EQ(healthOf("PC-1", monday_10h_ + 150'000).status, FleetStatus::kHealthy);
  // Late after 2 intervals of 60 s and 30 s; silent after 10 minutes.
  EXPECT_EQ(healthOf("PC-1", monday_10h_ + 150'001).status, FleetStatus::kLate);
  EXPECT_EQ(healthOf("PC-1", monday_10h_ + 600'000).status, FleetStatus::kLate);
  const FleetHealth silent = healthOf("PC-1", monday_10h_ + 600'001);
  EXPECT_EQ(silent.status, FleetStatus::kSilent);
  EXPECT_EQ(silent.why, "no heartbeat for 600 s");
}

TEST_P(FleetTest, AnOlderAgentOrPolicyIsOutdated) {
  heard("PC-1", monday_10h_, "0.0.9");
  const FleetHealth old_agent = healthOf("PC-1", monday_10h_, {"0.1.0", 0});
  EXPECT_EQ(old_agent.status, FleetStatus::kOutdated);
  EXPECT_EQ(old_agent.why, "agent 0.0.9, collector 0.1.0");
  heard("PC-1", monday_10h_, "0.1.0");
  EXPECT_EQ(healthOf("PC-1", monday_10h_, {"0.1.0", 1}).status, FleetStatus::kOutdated);
  EXPECT_EQ(healthOf("PC-1", monday_10h_, {"0.1.0", 0}).status, FleetStatus::kHealthy);
  // Silence says more than age.
  EXPECT_EQ(healthOf("PC-1", monday_10h_ + 3'600'000, {"0.1.0", 1}).status, FleetStatus::kSilent);
}

TEST_P(FleetTest, TheApiListsEveryEnrolledDeviceWithPseudonymousSessionsAndFilters) {
  addDevice("PC-1", "ws-001");
  addDevice("PC-2", "ws-002");
  heard("PC-1", monday_10h_);
  clock_.set(monday_10h_ + 60'000);
  api::ApiCall call;
  api::ApiReply all = api::fleetStatus(call, *audit_);
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_NE(all.body.find(R"("device":"PC-1")"), std::string::npos) << all.body;
  EXPECT_NE(all.body.find(R"("status":"healthy")"), std::string::npos) << all.body;
  EXPECT_NE(all.body.find(R"("status":"unknown")"), std::string::npos) << all.body;
  EXPECT_NE(all.body.find(R"("oldest_event_age_seconds":180)"), std::string::npos) << all.body;
  EXPECT_NE(all.body.find(R"("person":"p-)"), std::string::npos) << all.body;
  EXPECT_EQ(all.body.find("alice"), std::string::npos) << "logins are pseudonymised";

  call.params["status"] = "unknown";
  api::ApiReply unknown = api::fleetStatus(call, *audit_);
  EXPECT_EQ(unknown.body.find("PC-1"), std::string::npos) << unknown.body;
  EXPECT_NE(unknown.body.find("PC-2"), std::string::npos) << unknown.body;
  call.params["status"] = "asleep";
  EXPECT_EQ(api::fleetStatus(call, *audit_).status, 400);

  api::ApiCall one;
  one.path_args = {"PC-1"};
  api::ApiReply shown = api::fleetDevice(one, *audit_);
  ASSERT_EQ(shown.status, 200) << shown.body;
  EXPECT_NE(shown.body.find(R"("sessions":[{"session":"2")"), std::string::npos) << shown.body;
  one.path_args = {"PC-9"};
  EXPECT_EQ(api::fleetDevice(one, *audit_).status, 404);
}

class WorkstationSilenceTest : public FleetTest {
 protected:
  WorkstationSilence& rule() {
    if (!rule_) {
      rule_ = std::make_unique<WorkstationSilence>(policy_, settings_, audit_->heartbeats,
                                                   audit_->directory, audit_->alerts, utcAsLocal);
    }
    return *rule_;
  }
  size_t check(int64_t now_ms) {
    auto raised = rule().check(now_ms);
    EXPECT_TRUE(raised.isOk()) << raised.status().toString();
    return raised.isOk() ? *raised : 0;
  }
  std::vector<Alert> alerts() {
    AlertFilter filter;
    filter.rule = std::string(kRuleWorkstationSilent);
    auto listed = audit_->alerts.list(filter);
    EXPECT_TRUE(listed.isOk());
    return listed.isOk() ? *listed : std::vector<Alert>{};
  }

  WorkstationSilentPolicy policy_;  // mon-fri 08:00-20:00, 10 minutes
  FleetSettings settings_;
  std::unique_ptr<WorkstationSilence> rule_;
};

TEST_P(WorkstationSilenceTest, OneAlertPerSilenceDuringWorkingHours) {
  addDevice("PC-1", "ws-001");
  heard("PC-1", monday_10h_);
  EXPECT_EQ(check(monday_10h_ + 10 * kMinuteMs), 0u) << "not silent for more than 10 min yet";
  EXPECT_EQ(check(monday_10h_ + 10 * kMinuteMs + 1), 1u);
  EXPECT_EQ(check(monday_10h_ + 30 * kMinuteMs), 0u) << "the same silence";
  ASSERT_EQ(alerts().size(), 1u);
  const Alert alert = alerts()[0];
  EXPECT_EQ(alert.draft.device, "PC-1");
  EXPECT_EQ(alert.draft.time_ms, monday_10h_);
  ASSERT_EQ(alert.draft.evidence.size(), 1u);
  EXPECT_EQ(alert.draft.evidence[0].type, "heartbeat");
  EXPECT_EQ(alert.draft.evidence[0].time_ms, monday_10h_);

  // Heard again, then silent again: a second silence, a second alert.
  heard("PC-1", monday_10h_ + kHourMs);
  EXPECT_EQ(check(monday_10h_ + kHourMs + 5 * kMinuteMs), 0u);
  EXPECT_EQ(check(monday_10h_ + 2 * kHourMs), 1u);
  EXPECT_EQ(alerts().size(), 2u);

  // A rule restarted meets the stored alerts instead of doubling them.
  rule_.reset();
  EXPECT_EQ(check(monday_10h_ + 3 * kHourMs), 0u);
  EXPECT_EQ(alerts().size(), 2u);
}

TEST_P(WorkstationSilenceTest, NothingOutsideWorkingHoursNorForDevicesNeverHeardOrRevoked) {
  addDevice("PC-1", "ws-001");
  addDevice("PC-2", "ws-002");
  addDevice("PC-3", "ws-003");
  const int64_t saturday_10h = monday_10h_ + 5 * kDayMs;
  heard("PC-1", saturday_10h);
  heard("PC-3", monday_10h_);
  ASSERT_TRUE(store_->setRevoked("PC-3", true).isOk());
  heard("PC-1", monday_10h_ + 9 * kHourMs + 55 * kMinuteMs);  // 19:55: silent only after 20:00
  EXPECT_EQ(check(monday_10h_ + 12 * kHourMs), 0u);
  heard("PC-1", saturday_10h);
  EXPECT_EQ(check(saturday_10h + kHourMs), 0u);
  EXPECT_TRUE(alerts().empty());
}

TEST_P(WorkstationSilenceTest, TheLongerOfTheRuleAndTheFleetSilenceApplies) {
  addDevice("PC-1", "ws-001");
  heard("PC-1", monday_10h_);
  policy_.after_minutes = 0;
  settings_.silent_seconds = 120;
  EXPECT_EQ(check(monday_10h_ + 120'000), 0u);
  EXPECT_EQ(check(monday_10h_ + 120'001), 1u);
}

TEST_P(WorkstationSilenceTest, WorkingHoursMayRunPastMidnight) {
  policy_.days = "mon";
  policy_.start = "22:00";
  policy_.end = "06:00";
  EXPECT_TRUE(rule().inWorkingHours(monday_10h_ + 13 * kHourMs));            // mon 23:00
  EXPECT_TRUE(rule().inWorkingHours(monday_10h_ + 19 * kHourMs));            // tue 05:00
  EXPECT_FALSE(rule().inWorkingHours(monday_10h_ + 21 * kHourMs));           // tue 07:00
  EXPECT_FALSE(rule().inWorkingHours(monday_10h_ - 10 * kHourMs));           // mon 00:00
  EXPECT_FALSE(rule().inWorkingHours(monday_10h_ + kDayMs + 13 * kHourMs));  // tue 23:00
}

INSTANTIATE_TEST_SUITE_P(Backends, FleetTest, kBothBackends, backendName);
INSTANTIATE_TEST_SUITE_P(Backends, WorkstationSilenceTest, kBothBackends, backendName);

}  // namespace
}  // namespace vigie::collector
