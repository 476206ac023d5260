// The detection rules one by one, on a real store: each fires on the behaviour it is for, stays
// quiet on the normal work next to it, and explains itself with its evidence. Bad feeds and bad
// thresholds are refused naming what is wrong.
#include <gtest/gtest.h>

#include "audit_fixture.h"
#include "detect/detection_engine.h"

namespace vigie::collector {
namespace {

using protocol::EventType;

// Monday 2026-11-30, local time = UTC for these tests.
const int64_t kMonday = utc("2026-11-30T00:00:00.000Z");

LocalMinute utcLocal(int64_t unix_ms) {
  const int64_t days = unix_ms / kDayMs;
  // 1970-01-01 was a Thursday (3 with Monday = 0).
  return {static_cast<int>((days + 3) % 7), static_cast<int>((unix_ms % kDayMs) / kMinuteMs)};
}

class DetectionRulesTest : public AuditFixtureOnBoth {
 protected:
  void SetUp() override {
    AuditFixture::SetUp();
    shifts_ = std::make_unique<ShiftCalendar>(*audit_->db, utcLocal);
  }

  DetectionEngine engine(std::vector<std::string> rules, DetectionPolicy policy = {}) {
    return DetectionEngine(
        policy, {audit_->calls, *shifts_, audit_->watchlist, audit_->directory, audit_->alerts},
        EngineOptions{"realtime", std::move(rules), false, INT64_MIN});
  }

  std::vector<Alert> alerts() {
    auto found = audit_->alerts.list({});
    EXPECT_TRUE(found.isOk()) << found.status().toString();
    return found.isOk() ? *found : std::vector<Alert>{};
  }

  static protocol::Event numbered(protocol::Event event, uint64_t seq) {
    event.device = "PC-1";
    event.seq = seq;
    return event;
  }

  std::unique_ptr<ShiftCalendar> shifts_;
};

TEST_P(DetectionRulesTest, CopyWithPiiRightAfterAViewFiresAndAPlainOneDoesNot) {
  auto rules = engine({"copy_after_view"});
  const int64_t t = kMonday + 10 * kHourMs;
  rules.observe(numbered(crmView("alice", t, "C-9"), 1), "Acme");
  rules.observe(numbered(clipboardCopy("alice", t + 5000, false), 2), "Acme");
  EXPECT_TRUE(alerts().empty()) << "no personal data copied";
  rules.observe(numbered(clipboardCopy("alice", t + 10000, true), 3), "Acme");
  rules.observe(numbered(clipboardCopy("alice", t + 120000, true), 4), "Acme");  // too late
  auto raised = alerts();
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_EQ(raised[0].draft.rule, "copy_after_view");
  EXPECT_EQ(raised[0].draft.severity, Severity::kHigh) << "an IBAN";
  EXPECT_EQ(raised[0].draft.user, "alice");
  EXPECT_NE(raised[0].draft.summary.find("1 IBAN 10 s after viewing record C-9"), std::string::npos)
      << raised[0].draft.summary;
  ASSERT_EQ(raised[0].draft.evidence.size(), 2u);
  EXPECT_EQ(raised[0].draft.evidence[0].record_id, "C-9");
  EXPECT_EQ(raised[0].draft.evidence[1].seq, 3u);
}

TEST_P(DetectionRulesTest, BigExportsAndManyExportsInAnHourFire) {
  DetectionPolicy policy;
  policy.mass_export.max_per_hour = 3;
  auto rules = engine({"mass_export"}, policy);
  const int64_t t = kMonday + 9 * kHourMs;
  auto exported = [&](uint64_t seq, int64_t at, uint64_t rows, protocol::PathClass where) {
    protocol::Event event = makeEvent(EventType::kFileExport, "bob", at);
    auto& file = std::get<protocol::FileExport>(event.data);
    file.rows = rows;
    file.size_bytes = 1000;
    file.pages.reset();
    file.path_class = where;
    return numbered(event, seq);
  };
  rules.observe(exported(1, t, 20, protocol::PathClass::kDownloads), "");
  rules.observe(exported(2, t + kMinuteMs, 30, protocol::PathClass::kDownloads), "");
  EXPECT_TRUE(alerts().empty());
  rules.observe(exported(3, t + 2 * kMinuteMs, 5000, protocol::PathClass::kRemovable), "");
  auto raised = alerts();
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_EQ(raised[0].draft.severity, Severity::kHigh) << "to removable media";
  EXPECT_NE(raised[0].draft.summary.find("5000 rows"), std::string::npos);
  // A fourth small one the next hour: the count restarts.
  rules.observe(exported(4, t + 2 * kHourMs, 10, protocol::PathClass::kDownloads), "");
  EXPECT_EQ(alerts().size(), 1u);
}

TEST_P(DetectionRulesTest, ActivityOutsideTheShiftFiresOncePerDayWithGrace) {
  auto shifts = parseShiftLines(R"({"who":"team:north","days":"mon-fri","start":"08:00",)"
                                R"("end":"16:30"})"
                                "\n"
                                R"({"who":"nina","days":"mon-sun","start":"22:00","end":"06:00"})");
  ASSERT_TRUE(shifts.isOk()) << shifts.status().toString();
  ASSERT_TRUE(shifts_->replace(*shifts).isOk());
  ASSERT_TRUE(audit_->directory.setPerson("carl", "north", {}).isOk());
  auto rules = engine({"off_shift"});
  rules.observe(numbered(crmView("carl", kMonday + 8 * kHourMs - 20 * kMinuteMs, "C-1"), 1), "");
  rules.observe(numbered(crmView("carl", kMonday + 12 * kHourMs, "C-2"), 2), "");
  rules.observe(numbered(crmView("nina", kMonday + 3 * kHourMs, "C-3"), 3), "");  // night shift
  rules.observe(numbered(crmView("dora", kMonday + 3 * kHourMs, "C-4"), 4), "");  // no schedule
  EXPECT_TRUE(alerts().empty());
  rules.observe(numbered(crmView("carl", kMonday + 21 * kHourMs, "C-5"), 5), "");
  rules.observe(numbered(crmView("carl", kMonday + 22 * kHourMs, "C-6"), 6), "");
  auto raised = alerts();
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_EQ(raised[0].evidence_count, 2u);
  EXPECT_NE(raised[0].draft.summary.find("mon-fri 08:00-16:30"), std::string::npos)
      << raised[0].draft.summary;
}

TEST_P(DetectionRulesTest, ViewsFarAboveOwnAndTeamBaselinesFireOnceInTheHour) {
  DetectionPolicy policy;
  policy.volume.min_views_per_hour = 20;
  policy.volume.min_baseline_hours = 2;
  auto rules = engine({"volume"}, policy);
  ASSERT_TRUE(audit_->directory.setPerson("eve", "north", {}).isOk());
  ASSERT_TRUE(audit_->directory.setPerson("fred", "north", {}).isOk());
  const int64_t hour = kMonday / kHourMs;
  rules.warm({{"eve", hour - 5, 10},
              {"eve", hour - 4, 12},
              {"fred", hour - 5, 15},
              {"fred", hour - 3, 9}});
  uint64_t seq = 0;
  for (int i = 0; i < 33; ++i) {
    rules.observe(numbered(crmView("eve", kMonday + i * 1000, "C-" + std::to_string(i)), ++seq),
                  "");
  }
  EXPECT_TRUE(alerts().empty()) << "33 is below 3 x own (11/h) and 3 x team (12/h)";
  for (int i = 33; i < 60; ++i) {
    rules.observe(numbered(crmView("eve", kMonday + i * 1000, "C-" + std::to_string(i)), ++seq),
                  "");
  }
  auto raised = alerts();
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_NE(raised[0].draft.summary.find("36 record views within the hour; own baseline 11/h, "
                                         "team baseline 12/h"),
            std::string::npos)
      << raised[0].draft.summary;
  EXPECT_EQ(raised[0].draft.evidence.size(), 36u);
}

TEST_P(DetectionRulesTest, AKilledSensorAndChainIncidentsFire) {
  auto rules = engine({"sensor_silent", "integrity"});
  protocol::Event gap = makeEvent(EventType::kAgentGap, "gina", kMonday);
  std::get<protocol::AgentGap>(gap.data).reason = protocol::GapReason::kSensorLost;
  rules.observe(numbered(gap, 1), "");
  protocol::Event full = makeEvent(EventType::kAgentGap, "gina", kMonday);
  std::get<protocol::AgentGap>(full.data).reason = protocol::GapReason::kQueueFull;
  rules.observe(numbered(full, 2), "");
  rules.observeIncident({"PC-1", 9, "fork", "seq 9 already stored", kMonday, false, 0, 0}, "");
  rules.observeIncident({"PC-1", 12, "gap", "explained", kMonday, true, 10, 11}, "");
  protocol::Event unreadable = makeEvent(EventType::kAgentIntegrity, "gina", kMonday);
  std::get<protocol::AgentIntegrity>(unreadable.data).detail = "queue.db unreadable";
  rules.observe(numbered(unreadable, 3), "");
  auto raised = alerts();  // newest first
  ASSERT_EQ(raised.size(), 3u);
  EXPECT_EQ(raised[0].draft.rule, "integrity");
  EXPECT_EQ(raised[0].draft.user, "") << "about the device, not a person";
  EXPECT_NE(raised[0].draft.summary.find("queue.db unreadable"), std::string::npos);
  ASSERT_EQ(raised[0].draft.evidence.size(), 1u);
  EXPECT_EQ(raised[0].draft.evidence[0].seq, 3u);
  EXPECT_EQ(raised[1].draft.rule, "integrity");
  EXPECT_EQ(raised[1].draft.severity, Severity::kHigh);
  EXPECT_EQ(raised[2].draft.rule, "sensor_silent");
  EXPECT_EQ(raised[2].draft.user, "gina");
}

TEST_P(DetectionRulesTest, CallsWhileTheSensorIsSilentFire) {
  auto rules = engine({"sensor_silent"});
  rules.observe(numbered(makeEvent(EventType::kSessionLogon, "hugo", kMonday), 1), "");
  auto calls = parseCallLines(R"({"id":"K-1","agent":"hugo","start":"2026-11-30T00:40:00.000Z",)"
                              R"("end":"2026-11-30T00:45:00.000Z","record_id":"C-1"})");
  ASSERT_TRUE(calls.isOk());
  ASSERT_TRUE(audit_->calls.store("", *calls).isOk());
  rules.advanceTo(kMonday + 20 * kMinuteMs);
  EXPECT_TRUE(alerts().empty()) << "not silent long enough";
  rules.advanceTo(kMonday + 50 * kMinuteMs);
  auto raised = alerts();
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_NE(raised[0].draft.summary.find("1 calls handled while the session sensor said nothing"),
            std::string::npos);
}

TEST_P(DetectionRulesTest, RaisingTheSameKeyAddsEvidenceOnce) {
  AlertDraft draft{"k:1",     "watchlist", Severity::kLow,
                   "ivy",     "PC-1",      "Acme",
                   kMonday,   "why",       {{"PC-1", 1, kMonday, "crm.view", "C-1"}},
                   "realtime"};
  auto first = audit_->alerts.raise(draft);
  ASSERT_TRUE(first.isOk());
  EXPECT_TRUE(first->created);
  draft.severity = Severity::kHigh;
  draft.evidence.push_back({"PC-1", 2, kMonday + 1, "crm.view", "C-1"});
  auto second = audit_->alerts.raise(draft);
  ASSERT_TRUE(second.isOk());
  EXPECT_FALSE(second->created);
  auto alert = audit_->alerts.get(first->id);
  ASSERT_TRUE(alert.isOk());
  EXPECT_EQ(alert->evidence_count, 2u);
  EXPECT_EQ(alert->draft.severity, Severity::kHigh);
  ASSERT_TRUE(audit_->alerts.acknowledge(first->id, "dpo1", "looking").isOk());
  alert = audit_->alerts.get(first->id);
  ASSERT_TRUE(alert.isOk());
  EXPECT_EQ(alert->status, AlertStatus::kAcknowledged);
  EXPECT_FALSE(alert->true_positive.has_value());
  EXPECT_EQ(alert->comment, "looking");
  EXPECT_EQ(audit_->alerts.close(first->id, "dpo1", false, "").code(),
            Status::Code::kInvalidArgument);
  EXPECT_TRUE(audit_->alerts.close(first->id, "dpo1", false, "a call was logged late").isOk());
  EXPECT_EQ(audit_->alerts.acknowledge(first->id, "dpo1", "").code(),
            Status::Code::kFailedPrecondition);
  EXPECT_EQ(audit_->alerts.get(999).status().code(), Status::Code::kNotFound);
}

TEST(DetectionInputTest, BadFeedsAndThresholdsAreRefusedNamingTheirFault) {
  auto policy = protocol::json::parse(R"({"volume":{"own_factor":0}})");
  auto parsed = parseDetectionPolicy(*policy);
  ASSERT_FALSE(parsed.isOk());
  EXPECT_NE(parsed.status().message().find("rules.volume.own_factor"), std::string::npos);
  for (const char* bad : {R"({"snoop":{}})", R"({"off_shift":{"enabled":1}})"}) {
    auto rules = protocol::json::parse(bad);
    ASSERT_TRUE(rules.isOk());
    EXPECT_FALSE(parseDetectionPolicy(*rules).isOk()) << bad;
  }

  auto call = parseCallLines(
      R"({"id":"K","agent":"a","start":"2026-11-30T10:00:00.000Z","end":"2026-11-30T09:00:00.000Z"})");
  ASSERT_FALSE(call.isOk());
  EXPECT_NE(call.status().message().find("line 1"), std::string::npos);
  EXPECT_FALSE(parseCallLines(R"({"id":"K","agent":"a","start":"2026-11-30T10:00:00.000Z",)"
                              R"("end":"2026-11-30T10:01:00.000Z","number":"0612345678"})")
                   .isOk())
      << "no phone numbers";
  EXPECT_FALSE(
      parseShiftLines(R"({"who":"a","days":"mon-fry","start":"08:00","end":"16:00"})").isOk());
  EXPECT_FALSE(parseShiftLines(R"({"who":"a","days":"mon","start":"25:00","end":"16:00"})").isOk());
  auto week =
      parseShiftLines(R"({"who":"a","days":"sat,sun,mon-wed","start":"08:00","end":"24:00"})");
  ASSERT_TRUE(week.isOk());
  EXPECT_EQ(describeShift(week->front()), "mon-wed,sat-sun 08:00-24:00");
}

INSTANTIATE_TEST_SUITE_P(Backends, DetectionRulesTest, kBothBackends, backendName);

}  // namespace
}  // namespace vigie::collector
