#pragma once

// The workstation_silent rule (docs/detection.md): a workstation the collector was hearing from
// stops sending heartbeats during working hours. Decided on the real-time detection's tick
// from the latest heartbeat of each device; one alert per silence (device and the time of its
// last heartbeat). Devices never heard from and revoked ones are not watched.

#include <cstdint>
#include <mutex>
#include <set>
#include <string>

#include "audit/directory.h"
#include "detect/alerts.h"
#include "detect/detection_policy.h"
#include "detect/shifts.h"
#include "fleet/fleet_status.h"
#include "fleet/heartbeat_store.h"

namespace vigie::collector {

class WorkstationSilence {
 public:
  // All references outlive the rule.
  WorkstationSilence(const WorkstationSilentPolicy& policy, const FleetSettings& fleet,
                     HeartbeatStore& heartbeats, Directory& directory, AlertStore& alerts,
                     LocalTimeFn local_time = processLocalTime);

  // Raises what is due at `now_ms`; returns how many new alerts were stored. Thread-safe.
  StatusOr<size_t> check(int64_t now_ms);

  // Whether `unix_ms` falls in the policy's working hours.
  bool inWorkingHours(int64_t unix_ms) const;

 private:
  const WorkstationSilentPolicy& policy_;
  const FleetSettings& fleet_;
  HeartbeatStore& heartbeats_;
  Directory& directory_;
  AlertStore& alerts_;
  LocalTimeFn local_time_;
  uint8_t days_ = 0;
  int start_minute_ = 0;
  int end_minute_ = 0;
  std::mutex mutex_;
  std::set<std::string> raised_;  // GUARDED_BY(mutex_): keys raised since start
};

}  // namespace vigie::collector
