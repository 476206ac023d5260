#pragma once

// How a workstation stands in the fleet view (docs/fleet.md), decided when asked, against the
// collector's clock, from its latest heartbeat.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fleet/heartbeat_store.h"

namespace vigie::collector {

struct FleetSettings {
  int64_t heartbeat_seconds = 60;   // the interval agents are told, and expected to keep
  int64_t late_grace_seconds = 30;  // late: no heartbeat for 2 intervals and this
  int64_t silent_seconds = 600;     // silent: no heartbeat for this long
};

enum class FleetStatus : uint8_t {
  kHealthy,
  kLate,
  kSilent,
  kOutdated,  // heard in time, but runs an older agent or an older policy than the collector's
  kUnknown,   // enrolled, never heard from
};
std::string_view fleetStatusName(FleetStatus status);
std::optional<FleetStatus> fleetStatusFromName(std::string_view name);

// What workstations are compared with.
struct FleetReference {
  std::string collector_version;
  uint64_t active_policy_serial = 0;
};

struct FleetHealth {
  FleetStatus status = FleetStatus::kUnknown;
  std::string why;  // for late, silent and outdated: in words
};

FleetHealth fleetHealth(const std::optional<HeartbeatRecord>& latest, int64_t now_ms,
                        const FleetSettings& settings, const FleetReference& reference);

// Compares dotted version numbers part by part, numerically ("0.10.0" > "0.9.1"); a part that
// is not a number compares as 0, a missing part as 0. <0, 0 or >0.
int compareVersions(std::string_view a, std::string_view b);

}  // namespace vigie::collector
