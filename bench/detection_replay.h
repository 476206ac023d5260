#pragma once

// Runs the real detection engine over a synthetic call centre (callcentre_sim.h) and scores its
// alerts against the injected scenarios: the collector's store and audit tables are made in a
// directory, the people, shifts, watch-list, calls and events (history included) loaded into
// them as administrators, the CTI and the agents would, and the rules run over the evaluated
// days either as in real time or as a retrospective run.

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "callcentre_sim.h"
#include "detect/alerts.h"
#include "detect/detection_engine.h"
#include "detect/detection_policy.h"
#include "vigie/protocol/status.h"

namespace vigie::bench {

// One injected scenario: how many of its instances an alert of the expected rule caught.
struct ScenarioScore {
  Scenario scenario = Scenario::kCelebritySnooping;
  std::string rule;
  size_t instances = 0;
  size_t detected = 0;
  double recall() const;
};

// One rule's alerts in the evaluation period: those that match an injected instance (of any
// scenario) and the others.
struct RuleScore {
  std::string rule;
  size_t alerts = 0;
  size_t matched = 0;
  size_t high_alerts = 0;  // of severity high
  size_t high_matched = 0;
  double precision() const;      // 1 when the rule raised nothing
  double highPrecision() const;  // the same over the alerts of severity high
};

struct ReplayResult {
  std::vector<ScenarioScore> scenarios;    // in kAllScenarios order
  std::map<std::string, RuleScore> rules;  // every rule, even silent ones
  std::vector<collector::Alert> alerts;    // raised about the evaluation period, oldest first
  collector::EngineStats stats;
  size_t events = 0;
};

// Whether `alert` is about the person and time of `instance`: the same login, and its evidence
// (or its time when it has none) within the instance's time range.
bool alertMatches(const collector::Alert& alert, const ScenarioInstance& instance);

enum class ReplayMode : uint8_t {
  // The engine fed each event of the evaluated days in time order, time moving a minute at a
  // time, its volume baselines warmed from the stored history: the collector in real time.
  kRealtime,
  // A retrospective run (RetroRuns) over the evaluated days, reading the store an hour at a time.
  kRetrospective,
};

// REQUIRES: `directory` exists and holds no store yet.
StatusOr<ReplayResult> replayCallCentre(const CallCentre& centre,
                                        const collector::DetectionPolicy& policy,
                                        const std::string& directory,
                                        ReplayMode mode = ReplayMode::kRealtime);

// The scores as a Markdown table: one row per scenario (its rule's precision, over all its
// alerts and over those of severity high), then one per rule no scenario is meant for.
std::string scoreTable(const ReplayResult& result);

}  // namespace vigie::bench
