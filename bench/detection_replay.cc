#include "detection_replay.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <set>

#include "audit/audit_service.h"
#include "detect/shifts.h"
#include "detect/telephony.h"
#include "detect/watchlist.h"
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
                 collector::AuditService& audit, collector::CallLog& calls,
                 collector::ShiftCalendar& shifts, collector::Watchlist& watchlist) {
  for (const SimPerson& person : centre.people) {
    collector::DeviceRecord device;
    device.device_id = person.device;
    device.hostname = person.hostname;
    device.os = "windows";
    device.chain_key = testing::fixedKey(7);
    device.certificate_fingerprint = std::string(64, 'a');
    device.enrolled_ms = centre.history_from_ms - 30 * kDayMs;
    VIGIE_RETURN_IF_ERROR(store.putDevice(device));
    VIGIE_RETURN_IF_ERROR(audit.directory.assignDevice(person.device, person.brand));
    VIGIE_RETURN_IF_ERROR(audit.directory.setPerson(person.login, person.team, {}));
  }
  VIGIE_RETURN_IF_ERROR(shifts.replace(centre.shifts));
  for (const collector::WatchedRecord& entry : centre.watchlist)
    VIGIE_RETURN_IF_ERROR(watchlist.put(entry));
  for (const auto& [brand, brand_calls] : centre.calls) {
    for (size_t from = 0; from < brand_calls.size(); from += collector::kMaxCallLines) {
      const size_t to = std::min(brand_calls.size(), from + collector::kMaxCallLines);
      const std::vector<collector::Call> chunk(brand_calls.begin() + static_cast<ptrdiff_t>(from),
                                               brand_calls.begin() + static_cast<ptrdiff_t>(to));
      auto stored = calls.store(brand, chunk);
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

std::string percent(double ratio) {
  char text[16];
  std::snprintf(text, sizeof text, "%.2f", ratio);
  return text;
}

}  // namespace

double ScenarioScore::recall() const {
  return instances == 0 ? 1.0 : static_cast<double>(detected) / static_cast<double>(instances);
}

double RuleScore::precision() const {
  return alerts == 0 ? 1.0 : static_cast<double>(matched) / static_cast<double>(alerts);
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
                                        const std::string& directory) {
  const std::string path = directory + "/store.db";
  const crypto::SecretKey key = testing::fixedKey(3);
  testing::ManualClock clock(centre.history_from_ms);
  auto store = collector::openSqlCipherStore(path, key);
  if (!store.isOk()) return store.status();
  auto audit = collector::openAuditService(path, key, clock);
  if (!audit.isOk()) return audit.status();
  collector::AuditDb& db = *(*audit)->db;
  collector::CallLog calls(db, clock);
  collector::ShiftCalendar shifts(db, centre.localTime());
  collector::Watchlist watchlist(db, clock);
  collector::AlertStore alerts(db, clock);
  VIGIE_RETURN_IF_ERROR(loadFacts(centre, **store, **audit, calls, shifts, watchlist));
  VIGIE_RETURN_IF_ERROR(storeEvents(centre, **store));

  std::map<std::string, std::string> brands;
  for (const SimPerson& person : centre.people) brands[person.device] = person.brand;
  collector::EngineOptions options;
  options.origin = "realtime";
  options.realtime = false;
  options.raise_from_ms = centre.eval_from_ms;
  collector::DetectionEngine engine(policy, {calls, shifts, watchlist, (*audit)->directory, alerts},
                                    options);
  // Every event of the history and of the evaluation period, in time order; time moves on a
  // minute at a time between them.
  int64_t next_tick = centre.history_from_ms + kMinuteMs;
  for (const protocol::Event& event : centre.events) {
    while (event.time_ms >= next_tick) {
      clock.set(next_tick);
      engine.advanceTo(next_tick);
      next_tick += kMinuteMs;
    }
    clock.set(event.time_ms);
    engine.observe(event, brands[event.device]);
  }
  clock.set(centre.end_ms + kDayMs);
  engine.advanceTo(centre.end_ms + kDayMs);

  ReplayResult result;
  result.stats = engine.stats();
  result.events = centre.events.size();
  auto raised = allAlerts(alerts);
  if (!raised.isOk()) return raised.status();
  for (Alert& alert : *raised) {
    if (alert.draft.time_ms >= centre.eval_from_ms) result.alerts.push_back(std::move(alert));
  }
  for (std::string_view rule : collector::kAllRules)
    result.rules[std::string(rule)].rule = std::string(rule);
  for (const Alert& alert : result.alerts) {
    RuleScore& score = result.rules[alert.draft.rule];
    score.rule = alert.draft.rule;
    ++score.alerts;
    if (std::any_of(centre.scenarios.begin(), centre.scenarios.end(),
                    [&](const ScenarioInstance& i) { return alertMatches(alert, i); }))
      ++score.matched;
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
      "| scenario | rule | instances | detected | recall | rule's alerts | matching a scenario "
      "| precision |\n|---|---|---:|---:|---:|---:|---:|---:|\n";
  std::set<std::string> expected;
  for (const ScenarioScore& s : result.scenarios) {
    const RuleScore& rule = result.rules.at(s.rule);
    expected.insert(s.rule);
    out += "| " + std::string(scenarioName(s.scenario)) + " | " + s.rule + " | " +
           std::to_string(s.instances) + " | " + std::to_string(s.detected) + " | " +
           percent(s.recall()) + " | " + std::to_string(rule.alerts) + " | " +
           std::to_string(rule.matched) + " | " + percent(rule.precision()) + " |\n";
  }
  for (const auto& [name, rule] : result.rules) {
    if (expected.contains(name)) continue;
    out += "| (none) | " + name + " | | | | " + std::to_string(rule.alerts) + " | " +
           std::to_string(rule.matched) + " | " + percent(rule.precision()) + " |\n";
  }
  return out;
}

}  // namespace vigie::bench
