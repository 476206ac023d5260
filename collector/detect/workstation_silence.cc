#include "detect/workstation_silence.h"

#include <algorithm>
#include <map>

#include "detect/shift_lines.h"
#include "vigie/protocol/utc_time.h"

namespace vigie::collector {
namespace {

constexpr int64_t kMinuteMs = 60 * 1000;
constexpr int kDayMinutes = 24 * 60;

bool hasDay(uint8_t days, int weekday) {
  return ((static_cast<unsigned>(days) >> weekday) & 1u) != 0;
}

}  // namespace

WorkstationSilence::WorkstationSilence(const WorkstationSilentPolicy& policy,
                                       const FleetSettings& fleet, HeartbeatStore& heartbeats,
                                       Directory& directory, AlertStore& alerts,
                                       LocalTimeFn local_time)
    : policy_(policy),
      fleet_(fleet),
      heartbeats_(heartbeats),
      directory_(directory),
      alerts_(alerts),
      local_time_(std::move(local_time)),
      // The policy was checked when detection.json was read.
      days_(parseDays(policy.days).value_or(0)),
      start_minute_(parseClock(policy.start).value_or(0)),
      end_minute_(parseClock(policy.end).value_or(kDayMinutes)) {}

bool WorkstationSilence::inWorkingHours(int64_t unix_ms) const {
  const LocalMinute local = local_time_(unix_ms);
  if (start_minute_ < end_minute_) {
    return hasDay(days_, local.weekday) && local.minute >= start_minute_ &&
           local.minute < end_minute_;
  }
  // Past midnight: the evening belongs to its day, the small hours to the day before.
  if (local.minute >= start_minute_) return hasDay(days_, local.weekday);
  return local.minute < end_minute_ && hasDay(days_, (local.weekday + 6) % 7);
}

StatusOr<size_t> WorkstationSilence::check(int64_t now_ms) {
  if (!policy_.enabled) return size_t{0};
  auto heard = heartbeats_.all();
  if (!heard.isOk()) return heard.status();
  auto devices = directory_.fleet();
  if (!devices.isOk()) return devices.status();
  std::map<std::string, const FleetDevice*, std::less<>> enrolled;
  for (const FleetDevice& device : *devices) enrolled.emplace(device.device_id, &device);

  const int64_t after_ms =
      std::max(policy_.after_minutes * kMinuteMs, fleet_.silent_seconds * int64_t{1000});
  size_t created = 0;
  for (const HeartbeatRecord& record : *heard) {
    auto device = enrolled.find(record.device_id);
    if (device == enrolled.end() || device->second->revoked) continue;
    const int64_t since_ms = record.last_seen_ms;
    const int64_t due_ms = since_ms + after_ms;
    // Silent long enough, and it both fell silent and stayed so within working hours.
    if (now_ms <= due_ms || !inWorkingHours(since_ms) || !inWorkingHours(due_ms)) continue;
    AlertDraft draft;
    draft.key = std::string(kRuleWorkstationSilent) + ":" + record.device_id + ":" +
                std::to_string(since_ms);
    {
      std::lock_guard lock(mutex_);
      if (raised_.contains(draft.key)) continue;
    }
    draft.rule = kRuleWorkstationSilent;
    draft.severity = Severity::kMedium;
    draft.device = record.device_id;
    draft.brand = device->second->brand;
    draft.time_ms = since_ms;
    draft.summary = "workstation " + record.device_id + " (" + record.heartbeat.host +
                    ") silent during working hours: no heartbeat since " +
                    protocol::formatUtcMillis(since_ms);
    draft.evidence.push_back({record.device_id, 0, since_ms, "heartbeat", ""});
    auto raised = alerts_.raise(draft);
    if (!raised.isOk()) return raised.status();
    if (raised->created) ++created;
    std::lock_guard lock(mutex_);
    raised_.insert(draft.key);
  }
  return created;
}

}  // namespace vigie::collector
