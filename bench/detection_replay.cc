#include "detection_replay.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <set>

#include "audit/audit_service.h"
#include "detect/retro_runs.h"
#include "detect/shifts.h"
#include "manual_clock.h"
#include "test_keys.h"
#include "vigie/collector/event_store.h"

namespace vigie::bench {

using collector::Alert;

namespace {

constexpr int64_t kMinuteMs = 60'000;
constexpr int64_t kDayMs = 24 * 60 * kMinuteMs;
constexpr size_t kBatch = 1000;

// The events of each device written through the store's batch path, as the ingestor would.
Status storeEvents(const CallCentre& centre, collector::EventStore& store) {
  std::map<std::string, std::vector<const protocol::Event*>> by_device;
  for (const protocol::Event& event : centre.events) by_device[event.device].push_back(&event);
  for (const auto& [device, events] : by_device) {
    for (size_t from = 0; from < events.size(); from += kBatch) {
      collector::BatchWrite batch;
      batch.device_id = device;
      const size_t to = std::min(events.size(), from + kBatch);
      for (size_t i = from; i < to; ++i)
        batch.events.push_back({events[i], {}, collector::Integrity::kOk});
      batch.head = {events[to - 1]->seq, events[to - 1]->mac};
      batch.received_ms = events[to - 1]->time_ms + 5'000;
      VIGIE_RETURN_IF_ERROR(store.write(batch));
    }
  }
  return Status::ok();
}

// What an administrator and the CTI tell the collector: people, devices, shifts, watch-list,
// calls.
Status loadFacts(const CallCentre& centre, collector::EventStore& store,
                 collector::AuditService& audit, collector::ShiftCalendar& shifts) {
  for (const SimPerson& person : centre.people) {
    collector::DeviceRecord device;
    device.device_id = person.device;
    device.hostname = person.hostname;
    device.os = "windows";
    device.chain_key = testing::fixedKey(7);
    device.certificate_fingerprint = std::string(64, 'a');
    device.enrolled_ms = centre.history_from_ms - 30 * kDayMs;
    device.brand = person.brand;
    VIGIE_RETURN_IF_ERROR(store.putDevice(device));
    VIGIE_RETURN_IF_ERROR(audit.directory.assignDevice(person.device, person.brand));
    VIGIE_RETURN_IF_ERROR(audit.directory.setPerson(person.login, person.team, {}));
  }
  VIGIE_RETURN_IF_ERROR(shifts.replace(centre.shifts));
  for (const collector::WatchedRecord& entry : centre.watchlist)
    VIGIE_RETURN_IF_ERROR(audit.watchlist.put(entry));
  for (const auto& [brand, brand_calls] : centre.calls) {
    for (size_t from = 0; from < brand_calls.size(); from += collector::kMaxCallLines) {
      const size_t to = std::min(brand_calls.size(), from + collector::kMaxCallLines);
      const std::vector<collector::Call> chunk(brand_calls.begin() + static_cast<ptrdiff_t>(from),
                                               brand_calls.begin() + static_cast<ptrdiff_t>(to));
      auto stored = audit.calls.store(brand, chunk);
      if (!stored.isOk()) return stored.status();
    }
  }
  return Status::ok();
}

StatusOr<std::vector<Alert>> allAlerts(collector::AlertStore& alerts) {
  std::vector<Alert> all;
  collector::AlertFilter filter;
  filter.limit = 500;
  for (;;) {
    auto page = alerts.list(filter);
    if (!page.isOk()) return page.status();
    if (page->empty()) break;
    filter.before_id = page->back().id;
    all.insert(all.end(), page->begin(), page->end());
  }
  std::sort(all.begin(), all.end(), [](const Alert& x, const Alert& y) { return x.id < y.id; });
  return all;
}

std::string ratio(double value) {
  char text[16];
  std::snprintf(text, sizeof text, "%.2f", value);
  return text;
}

}  // namespace

double ScenarioScore::recall() const {
  return instances == 0 ? 1.0 : static_cast<double>(detected) / static_cast<double>(instances);
}

double RuleScore::precision() const {
  return alerts == 0 ? 1.0 : static_cast<double>(matched) / static_cast<double>(alerts);
}

double RuleScore::highPrecision() const {
  return high_alerts == 0 ? 1.0
                          : static_cast<double>(high_matched) / static_cast<double>(high_alerts);
}

bool alertMatches(const Alert& alert, const ScenarioInstance& instance) {
  if (alert.draft.user != instance.login) return false;
  auto within = [&](int64_t t) { return t >= instance.from_ms && t <= instance.to_ms; };
  if (alert.draft.evidence.empty()) return within(alert.draft.time_ms);
  return std::any_of(alert.draft.evidence.begin(), alert.draft.evidence.end(),
                     [&](const collector::Evidence& e) { return within(e.time_ms); });
}

StatusOr<ReplayResult> replayCallCentre(const CallCentre& centre,
                                        const collector::DetectionPolicy& policy,
                                        const std::string& directory, ReplayMode mode) {
  const std::string path = directory + "/store.db";
  const crypto::SecretKey key = testing::fixedKey(3);
  testing::ManualClock clock(centre.history_from_ms);
  auto opened = collector::openSqlCipherStore(path, key);
  if (!opened.isOk()) return opened.status();
  collector::EventStore& store = **opened;
  auto opened_audit = collector::openAuditService(path, key, clock);
  if (!opened_audit.isOk()) return opened_audit.status();
  collector::AuditService& audit = **opened_audit;
  // The site's local time is the simulation's, not this machine's.
  collector::ShiftCalendar shifts(*audit.db, centre.localTime());
  VIGIE_RETURN_IF_ERROR(loadFacts(centre, store, audit, shifts));
  VIGIE_RETURN_IF_ERROR(storeEvents(centre, store));
  const collector::DetectionInputs inputs{audit.calls, shifts, audit.watchlist, audit.directory,
                                          audit.alerts};

  collector::EngineStats stats;
  if (mode == ReplayMode::kRealtime) {
    // As a collector started at the beginning of the evaluated days: baselines warmed from the
    // store, then each event as it is stored, time moving a minute at a time between them.
    collector::EngineOptions options;
    options.realtime = false;  // the calls are all in the store already
    collector::DetectionEngine engine(policy, inputs, options);
    auto counts = store.hourlyCounts(protocol::EventType::kCrmView,
                                     centre.eval_from_ms - policy.volume.baseline_days * kDayMs,
                                     centre.eval_from_ms);
    if (!counts.isOk()) return counts.status();
    engine.warm(*counts);
    const auto first =
        std::lower_bound(centre.events.begin(), centre.events.end(), centre.eval_from_ms,
                         [](const protocol::Event& event, int64_t t) { return event.time_ms < t; });
    std::map<std::string, std::string, std::less<>> brands;
    for (const SimPerson& person : centre.people) brands[person.device] = person.brand;
    int64_t next_tick = centre.eval_from_ms;
    for (auto event = first; event != centre.events.end(); ++event) {
      while (event->time_ms >= next_tick) {
        clock.set(next_tick);
        engine.advanceTo(next_tick);
        next_tick += kMinuteMs;
      }
      clock.set(event->time_ms);
      const auto* view = std::get_if<protocol::CrmView>(&event->data);
      engine.observe(*event,
                     view != nullptr && !view->brand.empty() ? view->brand : brands[event->device]);
    }
    clock.set(centre.end_ms + kDayMs);
    engine.advanceTo(centre.end_ms + kDayMs);
    stats = engine.stats();
  } else {
    // A retrospective run over the evaluated days, as POST /v1/detection/runs starts one.
    clock.set(centre.end_ms + kDayMs);
    collector::RetroRuns runs(store, *audit.db, policy, inputs, clock);
    auto id = runs.start({{}, centre.eval_from_ms, centre.end_ms, "detection_replay"});
    if (!id.isOk()) return id.status();
    runs.waitIdle();
    auto run = runs.get(*id);
    if (!run.isOk()) return run.status();
    if (run->state != "done")
      return Status::failedPrecondition("run " + run->state + ": " + run->error);
    stats.events = run->events;
    stats.alerts_raised = run->alerts;
  }

  ReplayResult result;
  result.stats = stats;
  result.events = centre.events.size();
  auto raised = allAlerts(audit.alerts);
  if (!raised.isOk()) return raised.status();
  for (Alert& alert : *raised) {
    if (alert.draft.time_ms >= centre.eval_from_ms) result.alerts.push_back(std::move(alert));
  }
  for (std::string_view rule : collector::kAllRules)
    result.rules[std::string(rule)].rule = std::string(rule);
  for (const Alert& alert : result.alerts) {
    RuleScore& score = result.rules[alert.draft.rule];
    score.rule = alert.draft.rule;
    const bool matched =
        std::any_of(centre.scenarios.begin(), centre.scenarios.end(),
                    [&](const ScenarioInstance& i) { return alertMatches(alert, i); });
    const bool high = alert.draft.severity == collector::Severity::kHigh;
    ++score.alerts;
    score.matched += matched ? 1 : 0;
    score.high_alerts += high ? 1 : 0;
    score.high_matched += high && matched ? 1 : 0;
  }
  for (Scenario scenario : kAllScenarios) {
    ScenarioScore score;
    score.scenario = scenario;
    score.rule = std::string(expectedRule(scenario));
    for (const ScenarioInstance& instance : centre.scenarios) {
      if (instance.scenario != scenario) continue;
      ++score.instances;
      if (std::any_of(result.alerts.begin(), result.alerts.end(), [&](const Alert& alert) {
            return alert.draft.rule == score.rule && alertMatches(alert, instance);
          }))
        ++score.detected;
    }
    result.scenarios.push_back(score);
  }
  return result;
}

std::string scoreTable(const ReplayResult& result) {
  std::string out =
      "| scenario | rule | instances | detected | recall | alerts | of a scenario | precision "
      "| high | of a scenario | precision (high) |\n"
      "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  auto scores = [](const RuleScore& rule) {
    return std::to_string(rule.alerts) + " | " + std::to_string(rule.matched) + " | " +
           ratio(rule.precision()) + " | " + std::to_string(rule.high_alerts) + " | " +
           std::to_string(rule.high_matched) + " | " + ratio(rule.highPrecision()) + " |\n";
  };
  std::set<std::string> expected;
  for (const ScenarioScore& s : result.scenarios) {
    expected.insert(s.rule);
    out += "| " + std::string(scenarioName(s.scenario)) + " | " + s.rule + " | " +
           std::to_string(s.instances) + " | " + std::to_string(s.detected) + " | " +
           ratio(s.recall()) + " | " + scores(result.rules.at(s.rule));
  }
  for (const auto& [name, rule] : result.rules) {
    if (!expected.contains(name)) out += "| (none) | " + name + " | | | | " + scores(rule);
  }
  return out;
}

}  // namespace vigie::bench
