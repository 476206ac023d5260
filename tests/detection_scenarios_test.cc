// The detection rules on a synthetic call centre (bench/callcentre_sim.h): a real collector
// store with its people, shifts, watch-list and calls, the events replayed through the real
// DetectionEngine, and the alerts read back from the AlertStore and scored against the injected
// insider scenarios (bench/detection_replay.h). bench/detection_quality prints the same scores
// for several seeds (docs/detection.md).

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <string>

#include "callcentre_sim.h"
#include "detection_replay.h"
#include "temp_dir.h"
#include "vigie/protocol/utc_time.h"
#include "vigie/protocol/validate.h"

namespace vigie::bench {
namespace {

SimOptions testCentre(uint64_t seed) {
  SimOptions options;
  options.seed = seed;
  options.teams = 4;
  options.agents_per_team = 10;
  options.history_days = 14;
  options.eval_days = 7;
  return options;
}

int64_t utc(const char* text) { return protocol::parseUtcMillis(text).value(); }

std::string describe(const collector::Alert& alert) {
  return alert.draft.rule + " " + alert.draft.user + " " +
         protocol::formatUtcMillis(alert.draft.time_ms) + " (" +
         std::to_string(alert.evidence_count) + " evidence): " + alert.draft.summary;
}

TEST(CallCentreSim, EventsAreValidNumberedPerDeviceAndInTimeOrder) {
  const CallCentre centre = simulateCallCentre(testCentre(1));
  ASSERT_GT(centre.events.size(), 50'000u);
  std::map<std::string, uint64_t> last_seq;
  int64_t last_time = INT64_MIN;
  for (const protocol::Event& event : centre.events) {
    const Status valid = protocol::validate(event);
    ASSERT_TRUE(valid.isOk()) << valid.toString();
    EXPECT_GE(event.time_ms, last_time);
    last_time = event.time_ms;
    EXPECT_EQ(event.seq, ++last_seq[event.device]) << event.device;
    EXPECT_FALSE(event.user.empty());
    EXPECT_FALSE(event.session.empty());
    EXPECT_FALSE(centre.brandOfDevice(event.device).empty());
  }
  EXPECT_EQ(last_seq.size(), centre.people.size());
  for (const auto& [brand, calls] : centre.calls) {
    for (const collector::Call& call : calls) {
      EXPECT_LE(call.start_ms, call.end_ms);
      EXPECT_TRUE(centre.teams.contains(call.agent)) << call.agent;
    }
  }
}

TEST(CallCentreSim, TheSameSeedGivesTheSameCentre) {
  SimOptions options = testCentre(7);
  options.teams = 2;
  options.history_days = 7;
  const CallCentre one = simulateCallCentre(options);
  const CallCentre again = simulateCallCentre(options);
  options.seed = 8;
  const CallCentre other = simulateCallCentre(options);
  EXPECT_EQ(one.events, again.events);
  EXPECT_EQ(one.scenarios.size(), again.scenarios.size());
  EXPECT_NE(one.events.size(), other.events.size());
}

TEST(CallCentreSim, LocalTimeIsAFixedOffsetFromUtc) {
  // Tuesday 2026-11-17 07:30 UTC is 08:30 at UTC+1; 23:30 UTC is already Wednesday there.
  const collector::LocalMinute morning = fixedOffsetLocalTime(utc("2026-11-17T07:30:00.000Z"), 60);
  EXPECT_EQ(morning.weekday, 1);
  EXPECT_EQ(morning.minute, 8 * 60 + 30);
  const collector::LocalMinute night = fixedOffsetLocalTime(utc("2026-11-17T23:30:00.000Z"), 60);
  EXPECT_EQ(night.weekday, 2);
  EXPECT_EQ(night.minute, 30);
  const collector::LocalMinute west = fixedOffsetLocalTime(utc("1970-01-01T00:30:00.000Z"), -60);
  EXPECT_EQ(west.weekday, 2);  // Wednesday 1969-12-31, 23:30
  EXPECT_EQ(west.minute, 23 * 60 + 30);
}

// Ordinary work keeps to the schedules: only the after-hours scenario is off shift (with the
// off_shift rule's default grace of 30 minutes).
TEST(CallCentreSim, OnlyTheAfterHoursScenarioIsOffShift) {
  const CallCentre centre = simulateCallCentre(testCentre(1));
  const collector::LocalTimeFn local = centre.localTime();
  std::map<std::string, collector::Shift> shift_of;
  for (const SimPerson& person : centre.people) shift_of[person.login] = person.shift;
  std::set<std::string> off_shift;
  for (const protocol::Event& event : centre.events) {
    const collector::Shift& shift = shift_of.at(event.user);
    const collector::LocalMinute at = local(event.time_ms);
    const bool on = (shift.days >> at.weekday & 1) != 0 && at.minute >= shift.start_minute - 30 &&
                    at.minute <= shift.end_minute + 30;
    if (!on) off_shift.insert(event.user);
  }
  std::set<std::string> after_hours;
  for (const ScenarioInstance& instance : centre.scenarios) {
    if (instance.scenario == Scenario::kAfterHours) after_hours.insert(instance.login);
  }
  EXPECT_EQ(off_shift, after_hours);
  EXPECT_EQ(after_hours.size(), 2u);
}

TEST(CallCentreSim, EveryScenarioIsInjectedAtDistinctPeopleInTheEvaluatedDays) {
  const CallCentre centre = simulateCallCentre(testCentre(3));
  std::set<std::string> insiders;
  std::map<Scenario, int> per_scenario;
  for (const ScenarioInstance& instance : centre.scenarios) {
    EXPECT_GE(instance.from_ms, centre.eval_from_ms);
    EXPECT_LE(instance.from_ms, instance.to_ms);
    EXPECT_LT(instance.to_ms, centre.end_ms);
    EXPECT_TRUE(insiders.insert(instance.login).second) << instance.login;
    ++per_scenario[instance.scenario];
  }
  for (Scenario scenario : kAllScenarios) EXPECT_EQ(per_scenario[scenario], 2);

  SimOptions quiet = testCentre(3);
  quiet.inject = false;
  EXPECT_TRUE(simulateCallCentre(quiet).scenarios.empty());
}

// The alerts of `rule` in `result`, described, for a failure message.
std::string alertsOf(const ReplayResult& result, std::string_view rule) {
  std::string out;
  for (const collector::Alert& alert : result.alerts) {
    if (alert.draft.rule == rule) out += "\n  " + describe(alert);
  }
  return out;
}

TEST(DetectionScenarios, EveryInjectedScenarioIsFoundByItsRule) {
  const CallCentre centre = simulateCallCentre(testCentre(1));
  testing::TempDir dir;
  auto replayed = replayCallCentre(centre, collector::DetectionPolicy{}, dir.path());
  ASSERT_TRUE(replayed.isOk()) << replayed.status().toString();
  const ReplayResult& result = *replayed;
  std::printf("%zu events, %zu alerts in the evaluated days\n%s", result.events,
              result.alerts.size(), scoreTable(result).c_str());
  EXPECT_EQ(result.stats.errors, 0u);

  for (const ScenarioScore& score : result.scenarios) {
    SCOPED_TRACE(std::string(scenarioName(score.scenario)) + ", rule " + score.rule);
    EXPECT_EQ(score.instances, 2u);
    EXPECT_EQ(score.recall(), 1.0) << alertsOf(result, score.rule);
    const RuleScore& rule = result.rules.at(score.rule);
    EXPECT_GE(rule.highPrecision(), 0.8) << alertsOf(result, score.rule);
    EXPECT_GE(rule.precision(), 0.8) << alertsOf(result, score.rule);
  }
}

// With no insider at all, nothing is raised: the ordinary irregularities (a record no call names,
// now and then; e-mail addresses and phone numbers copied during calls) stay under the rules'
// defaults. The unjustified-access rule does see those odd records: asked to report every single
// one, it reports some, and no more than there are.
TEST(DetectionScenarios, AQuietCentreRaisesNoAlert) {
  SimOptions options = testCentre(2);
  options.inject = false;
  const CallCentre centre = simulateCallCentre(options);
  testing::TempDir dir;
  auto replayed = replayCallCentre(centre, collector::DetectionPolicy{}, dir.path());
  ASSERT_TRUE(replayed.isOk()) << replayed.status().toString();
  std::printf("quiet centre: %zu views no call names\n%s", centre.unexplained_views,
              scoreTable(*replayed).c_str());
  for (const auto& [rule, score] : replayed->rules) {
    EXPECT_EQ(score.alerts, 0u) << rule << ": " << alertsOf(*replayed, rule);
  }

  collector::DetectionPolicy every_record;
  every_record.unjustified_access.min_records = 1;
  testing::TempDir strict_dir;
  auto strict = replayCallCentre(centre, every_record, strict_dir.path());
  ASSERT_TRUE(strict.isOk()) << strict.status().toString();
  const RuleScore& unjustified = strict->rules.at(std::string(collector::kRuleUnjustifiedAccess));
  EXPECT_GT(unjustified.alerts, 0u);
  EXPECT_LE(unjustified.alerts, centre.unexplained_views);
}

// A retrospective run over the same days (RetroRuns, reading the store an hour at a time) finds
// what the real-time engine found.
TEST(DetectionScenarios, ARetrospectiveRunFindsTheSameScenarios) {
  SimOptions options = testCentre(4);
  options.teams = 2;
  options.agents_per_team = 9;
  const CallCentre centre = simulateCallCentre(options);
  testing::TempDir realtime_dir;
  testing::TempDir retro_dir;
  auto realtime = replayCallCentre(centre, collector::DetectionPolicy{}, realtime_dir.path(),
                                   ReplayMode::kRealtime);
  ASSERT_TRUE(realtime.isOk()) << realtime.status().toString();
  auto retro = replayCallCentre(centre, collector::DetectionPolicy{}, retro_dir.path(),
                                ReplayMode::kRetrospective);
  ASSERT_TRUE(retro.isOk()) << retro.status().toString();
  std::printf("retrospective run:\n%s", scoreTable(*retro).c_str());
  for (size_t s = 0; s < retro->scenarios.size(); ++s) {
    SCOPED_TRACE(std::string(scenarioName(retro->scenarios[s].scenario)));
    EXPECT_EQ(retro->scenarios[s].recall(), 1.0);
    EXPECT_EQ(retro->scenarios[s].detected, realtime->scenarios[s].detected);
  }
  auto keys = [](const ReplayResult& result) {
    std::set<std::string> out;
    for (const collector::Alert& alert : result.alerts) out.insert(alert.draft.key);
    return out;
  };
  EXPECT_EQ(keys(*retro), keys(*realtime));
}

}  // namespace
}  // namespace vigie::bench
