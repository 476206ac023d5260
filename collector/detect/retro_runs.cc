#include "detect/retro_runs.h"

#include <Poco/Logger.h>

#include <algorithm>

namespace vigie::collector {
namespace {

constexpr int64_t kHourMs = 3600 * 1000;
constexpr int64_t kDayMs = 24 * kHourMs;

std::string joinRules(const std::vector<std::string>& rules) {
  std::string joined;
  for (const std::string& rule : rules) joined += (joined.empty() ? "" : ",") + rule;
  return joined.empty() ? "enabled" : joined;
}

std::vector<std::string> splitRules(const std::string& joined) {
  std::vector<std::string> rules;
  if (joined == "enabled") return rules;
  for (size_t start = 0; start <= joined.size();) {
    const size_t comma = std::min(joined.find(',', start), joined.size());
    rules.push_back(joined.substr(start, comma - start));
    start = comma + 1;
  }
  return rules;
}

RunInfo readRun(const SqlRow& s) {
  RunInfo info;
  info.id = s.integer(0);
  info.request.rules = splitRules(s.text(1));
  info.request.from_ms = s.integer(2);
  info.request.to_ms = s.integer(3);
  info.request.requested_by = s.text(4);
  info.requested_ms = s.integer(5);
  info.state = s.text(6);
  info.events = static_cast<uint64_t>(s.integer(7));
  info.alerts = static_cast<uint64_t>(s.integer(8));
  info.finished_ms = s.integer(9);
  info.error = s.text(10);
  return info;
}

constexpr char kColumns[] =
    "SELECT id, rules, from_ms, to_ms, requested_by, requested_ms, state, events, alerts,"
    " finished_ms, error FROM detection_runs";

}  // namespace

RetroRuns::RetroRuns(EventStore& store, AuditDb& db, const DetectionPolicy& policy,
                     DetectionInputs inputs, platform::Clock& clock, std::function<void()> on_alert)
    : store_(store),
      db_(db),
      policy_(policy),
      inputs_(inputs),
      clock_(clock),
      on_alert_(std::move(on_alert)) {
  // Runs a previous process left unfinished are marked so; nobody will finish them.
  Status marked = db_.with([&](Sql& sql) {
    return sql.run(
        "UPDATE detection_runs SET state = 'failed', error = 'the collector"
        " stopped during the run' WHERE state IN ('queued', 'running')",
        {});
  });
  if (!marked.isOk()) {
    Poco::Logger::get("vigie-collector").error("detection runs: %s", marked.toString());
  }
  thread_ = std::thread([this] { work(); });
}

RetroRuns::~RetroRuns() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cancel_ = true;
  changed_.notify_all();
  thread_.join();
}

StatusOr<int64_t> RetroRuns::start(RunRequest request) {
  for (const std::string& rule : request.rules) {
    if (!isRuleName(rule)) return Status::invalidArgument("no rule named \"" + rule + "\"");
    // Only the latest heartbeat of each device is kept: there is no history to go over.
    if (rule == kRuleWorkstationSilent) {
      return Status::invalidArgument("workstation_silent runs in real time only");
    }
  }
  if (request.from_ms >= request.to_ms) return Status::invalidArgument("from must be before to");
  if (request.to_ms - request.from_ms > kMaxRunDays * kDayMs) {
    return Status::invalidArgument("a run covers at most 366 days");
  }
  int64_t id = 0;
  VIGIE_RETURN_IF_ERROR(db_.with([&](Sql& sql) -> Status {
    VIGIE_RETURN_IF_ERROR(sql.run(
        "INSERT INTO detection_runs(rules, from_ms, to_ms, requested_by, requested_ms, state)"
        " VALUES (?, ?, ?, ?, ?, 'queued')",
        {std::string_view(joinRules(request.rules)), request.from_ms, request.to_ms,
         std::string_view(request.requested_by), clock_.nowUnixMillis()}));
    auto inserted = sql.lastInsertId();
    if (!inserted.isOk()) return inserted.status();
    id = *inserted;
    return Status::ok();
  }));
  {
    std::lock_guard lock(mutex_);
    queue_.emplace_back(id, std::move(request));
  }
  changed_.notify_all();
  return id;
}

StatusOr<RunInfo> RetroRuns::get(int64_t id) {
  std::optional<RunInfo> found;
  VIGIE_RETURN_IF_ERROR(db_.with([&](Sql& sql) {
    return sql.run(std::string(kColumns) + " WHERE id = ?", {id},
                   [&](const SqlRow& s) { found = readRun(s); });
  }));
  if (!found) return Status::notFound("no detection run " + std::to_string(id));
  return *found;
}

StatusOr<std::vector<RunInfo>> RetroRuns::list(size_t limit) {
  std::vector<RunInfo> found;
  VIGIE_RETURN_IF_ERROR(db_.with([&](Sql& sql) {
    return sql.run(std::string(kColumns) + " ORDER BY id DESC LIMIT ?",
                   {static_cast<int64_t>(limit)},
                   [&](const SqlRow& s) { found.push_back(readRun(s)); });
  }));
  return found;
}

void RetroRuns::waitIdle() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return (queue_.empty() && !busy_) || stopping_; });
}

Status RetroRuns::record(const RunInfo& info) {
  return db_.with([&](Sql& sql) {
    return sql.run(
        "UPDATE detection_runs SET state = ?, events = ?, alerts = ?,"
        " finished_ms = ?, error = ? WHERE id = ?",
        {std::string_view(info.state), static_cast<int64_t>(info.events),
         static_cast<int64_t>(info.alerts), info.finished_ms, std::string_view(info.error),
         info.id});
  });
}

void RetroRuns::work() {
  std::unique_lock lock(mutex_);
  while (true) {
    changed_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    auto [id, request] = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    auto info = execute(id, request);
    if (!info.isOk()) {
      Poco::Logger::get("vigie-collector")
          .error("detection run %s failed: %s", std::to_string(id), info.status().toString());
    }
    if (on_alert_) on_alert_();
    lock.lock();
    busy_ = false;
    changed_.notify_all();
  }
}

StatusOr<RunInfo> RetroRuns::execute(int64_t id, const RunRequest& request) {
  RunInfo info;
  info.id = id;
  info.request = request;
  info.state = "running";
  VIGIE_RETURN_IF_ERROR(record(info));

  EngineOptions options;
  options.origin = "run:" + std::to_string(id);
  options.rules = request.rules;
  options.realtime = false;
  options.raise_from_ms = request.from_ms;
  DetectionEngine engine(policy_, inputs_, options);

  Status outcome = [&]() -> Status {
    int64_t from = request.from_ms;
    if (engine.runs(kRuleVolume)) {
      const int64_t warm_from = request.from_ms - policy_.volume.baseline_days * kDayMs;
      auto counts = store_.hourlyCounts(protocol::EventType::kCrmView, warm_from, from);
      if (!counts.isOk()) return counts.status();
      engine.warm(*counts);
    }
    // An hour at a time, so that ingestion is held back for one hour's read at most.
    for (int64_t hour = from; hour < request.to_ms; hour += kHourMs) {
      if (cancel_) return Status::failedPrecondition("the collector stopped during the run");
      EventQuery query;
      query.from_ms = hour;
      query.to_ms = std::min(hour + kHourMs, request.to_ms);
      const auto types = detectionEventTypes();
      query.types.assign(types.begin(), types.end());
      std::vector<StoredEvent> events;
      VIGIE_RETURN_IF_ERROR(store_.forEachEvent(query, [&](const StoredEvent& stored) {
        if (stored.integrity != Integrity::kBadMac) events.push_back(stored);
        return true;
      }));
      for (const StoredEvent& stored : events) {
        engine.observe(stored.event, stored.brand);
        ++info.events;
      }
      engine.advanceTo(query.to_ms);
    }
    // Accesses near the end still get their whole call window.
    engine.advanceTo(request.to_ms + kDayMs);
    if (engine.runs(kRuleIntegrity)) {
      auto incidents = store_.incidents(std::nullopt);
      if (!incidents.isOk()) return incidents.status();
      for (const Incident& incident : *incidents) {
        if (incident.detected_ms >= request.from_ms && incident.detected_ms < request.to_ms) {
          engine.observeIncident(incident, "");
        }
      }
    }
    return Status::ok();
  }();

  const EngineStats stats = engine.stats();
  info.alerts = stats.alerts_raised;
  info.finished_ms = clock_.nowUnixMillis();
  info.state = outcome.isOk() ? "done" : "failed";
  info.error = outcome.isOk() ? "" : outcome.message();
  VIGIE_RETURN_IF_ERROR(record(info));
  if (!outcome.isOk()) return outcome;
  return info;
}

}  // namespace vigie::collector
