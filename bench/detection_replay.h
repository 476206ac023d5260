#pragma once

// Runs the real detection engine over a synthetic call centre (callcentre_sim.h) and scores its
// alerts against the injected scenarios: the collector's store and audit tables are made in a
// directory, the people, shifts, watch-list and calls loaded into them as an administrator and
// the CTI would, and the events replayed in time order, history included, as a retrospective
// run would read them from the store.

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
  double precision() const;  // 1 when the rule raised nothing
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

// REQUIRES: `directory` exists and holds no store yet.
StatusOr<ReplayResult> replayCallCentre(const CallCentre& centre,
                                        const collector::DetectionPolicy& policy,
                                        const std::string& directory);

// The scores as a Markdown table: one row per scenario (its rule's precision), then one per rule
// no scenario is meant for.
std::string scoreTable(const ReplayResult& result);

}  // namespace vigie::bench
