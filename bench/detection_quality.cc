// Precision and recall of the detection rules on the synthetic call centre (callcentre_sim.h),
// per injected scenario, as Markdown (docs/detection.md): one table per seed, then the seeds
// together. Each seed is a different centre — people, calls, noise and scenario times.
//
//   detection_quality [--seeds 1,2,3] [--teams 4] [--agents 12] [--history-days 14]
//                     [--eval-days 7] [--instances 2] [--unexplained 0.3] [--side-records 0]
//                     [--mode realtime|retrospective] [--policy detection.json]
//                     [--unmatched RULE]
//
// --mode realtime (the default) feeds the engine event by event as the ingestor does;
// retrospective runs the rules over the evaluated days as POST /v1/detection/runs does.
// --policy reads the thresholds from a detection.json (its "rules" member); the defaults
// otherwise. --unmatched lists the alerts of RULE that match no injected scenario.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "callcentre_sim.h"
#include "detect/detection_config.h"
#include "detection_replay.h"
#include "temp_dir.h"
#include "vigie/protocol/utc_time.h"

namespace vigie::bench {
namespace {

struct Options {
  std::vector<uint64_t> seeds = {1, 2, 3};
  SimOptions sim;
  std::string policy_file;
  ReplayMode mode = ReplayMode::kRealtime;
  std::string unmatched;  // a rule whose unmatched alerts are listed
};

int usage(const std::string& message) {
  std::fprintf(stderr,
               "detection_quality: %s\nusage: detection_quality [--seeds 1,2,3] [--teams T]"
               " [--agents A] [--history-days H] [--eval-days E] [--instances I]"
               " [--unexplained R] [--side-records S] [--mode realtime|retrospective]"
               " [--policy detection.json] [--unmatched RULE]\n",
               message.c_str());
  return 2;
}

int fail(const Status& status) {
  std::fprintf(stderr, "detection_quality: %s\n", status.toString().c_str());
  return 1;
}

std::vector<uint64_t> parseSeeds(const std::string& text) {
  std::vector<uint64_t> seeds;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) seeds.push_back(std::stoull(item));
  return seeds;
}

// The thresholds of a collector's detection.json, read as the collector reads them.
StatusOr<collector::DetectionPolicy> readPolicy(const std::string& file) {
  if (file.empty()) return collector::DetectionPolicy{};
  if (!std::filesystem::exists(file)) return Status::notFound(file + ": no such file");
  auto config = collector::loadDetectionConfig(file);
  if (!config.isOk()) return config.status();
  return config->rules;
}

void add(ReplayResult& total, const ReplayResult& one) {
  if (total.scenarios.empty()) {
    total = one;
    return;
  }
  for (size_t s = 0; s < total.scenarios.size(); ++s) {
    total.scenarios[s].instances += one.scenarios[s].instances;
    total.scenarios[s].detected += one.scenarios[s].detected;
  }
  for (const auto& [name, rule] : one.rules) {
    RuleScore& sum = total.rules[name];
    sum.rule = name;
    sum.alerts += rule.alerts;
    sum.matched += rule.matched;
    sum.high_alerts += rule.high_alerts;
    sum.high_matched += rule.high_matched;
  }
  total.events += one.events;
}

int run(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; i += 2) {
    const std::string name = argv[i];
    if (i + 1 >= argc) return usage("missing value after " + name);
    const std::string value = argv[i + 1];
    try {
      if (name == "--seeds") {
        options.seeds = parseSeeds(value);
      } else if (name == "--teams") {
        options.sim.teams = std::stoi(value);
      } else if (name == "--agents") {
        options.sim.agents_per_team = std::stoi(value);
      } else if (name == "--history-days") {
        options.sim.history_days = std::stoi(value);
      } else if (name == "--eval-days") {
        options.sim.eval_days = std::stoi(value);
      } else if (name == "--instances") {
        options.sim.instances_per_scenario = std::stoi(value);
      } else if (name == "--unexplained") {
        options.sim.unexplained_views_per_day = std::stod(value);
      } else if (name == "--side-records") {
        options.sim.side_record_share = std::stod(value);
      } else if (name == "--mode") {
        if (value != "realtime" && value != "retrospective") return usage("bad --mode " + value);
        options.mode = value == "realtime" ? ReplayMode::kRealtime : ReplayMode::kRetrospective;
      } else if (name == "--unmatched") {
        if (!collector::isRuleName(value)) return usage("no rule named " + value);
        options.unmatched = value;
      } else if (name == "--policy") {
        options.policy_file = value;
      } else {
        return usage("unknown option " + name);
      }
    } catch (const std::exception&) {
      return usage("bad value for " + name);
    }
  }
  if (options.seeds.empty() || options.sim.teams < 1 || options.sim.teams > 5 ||
      options.sim.agents_per_team < 4 || options.sim.history_days < 0 ||
      options.sim.eval_days < 7 || options.sim.instances_per_scenario < 1) {
    return usage("seeds, teams (1-5), agents (4+), eval days (7+) and instances (1+) please");
  }
  auto policy = readPolicy(options.policy_file);
  if (!policy.isOk()) return fail(policy.status());

  std::printf(
      "Synthetic call centre: %d teams of %d, %d days of history, %d days evaluated,"
      " %d instances per scenario, %.2f unexplained views per person-day, %.0f%% of calls"
      " with a second record; thresholds: %s; %s.\n\n",
      options.sim.teams, options.sim.agents_per_team, options.sim.history_days,
      options.sim.eval_days, options.sim.instances_per_scenario,
      options.sim.unexplained_views_per_day, 100 * options.sim.side_record_share,
      options.policy_file.empty() ? "defaults" : options.policy_file.c_str(),
      options.mode == ReplayMode::kRealtime ? "real time" : "retrospective run");
  ReplayResult total;
  size_t person_days = 0;
  for (uint64_t seed : options.seeds) {
    options.sim.seed = seed;
    const auto started = std::chrono::steady_clock::now();
    const CallCentre centre = simulateCallCentre(options.sim);
    testing::TempDir dir;
    auto result = replayCallCentre(centre, *policy, dir.path(), options.mode);
    if (!result.isOk()) return fail(result.status());
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    size_t calls = 0;
    for (const auto& [brand, brand_calls] : centre.calls) calls += brand_calls.size();
    std::printf(
        "### Seed %llu\n\n%zu events, %zu calls; in the evaluated days %zu person-days worked,"
        " %zu views no call names, %zu alerts (%.1f s)\n\n%s\n",
        static_cast<unsigned long long>(seed), centre.events.size(), calls, centre.person_days,
        centre.unexplained_views, result->alerts.size(), seconds, scoreTable(*result).c_str());
    for (const collector::Alert& alert : result->alerts) {
      if (alert.draft.rule != options.unmatched) continue;
      if (std::any_of(centre.scenarios.begin(), centre.scenarios.end(),
                      [&](const ScenarioInstance& i) { return alertMatches(alert, i); }))
        continue;
      std::printf("- unmatched: %s %s %s\n", alert.draft.user.c_str(),
                  protocol::formatUtcMillis(alert.draft.time_ms).c_str(),
                  alert.draft.summary.c_str());
    }
    std::fflush(stdout);
    add(total, *result);
    person_days += centre.person_days;
  }
  if (options.seeds.size() > 1)
    std::printf("### All %zu seeds\n\n%zu person-days worked in the evaluated days\n\n%s",
                options.seeds.size(), person_days, scoreTable(total).c_str());
  return 0;
}

}  // namespace
}  // namespace vigie::bench

int main(int argc, char** argv) { return vigie::bench::run(argc, argv); }
