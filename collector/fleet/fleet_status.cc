#include "fleet/fleet_status.h"

#include <charconv>

namespace vigie::collector {
namespace {

constexpr std::string_view kStatusNames[] = {"healthy", "late", "silent", "outdated", "unknown"};

// The next dotted part of `text` as a number, consuming it.
uint64_t nextPart(std::string_view& text) {
  const size_t dot = std::min(text.find('.'), text.size());
  uint64_t value = 0;
  const std::string_view part = text.substr(0, dot);
  const auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), value);
  if (error != std::errc() || end != part.data() + part.size()) value = 0;
  text.remove_prefix(std::min(dot + 1, text.size()));
  return value;
}

std::string ago(int64_t ms) { return std::to_string(ms / 1000) + " s"; }

}  // namespace

std::string_view fleetStatusName(FleetStatus status) {
  return kStatusNames[static_cast<size_t>(status)];
}

std::optional<FleetStatus> fleetStatusFromName(std::string_view name) {
  for (size_t i = 0; i < std::size(kStatusNames); ++i) {
    if (kStatusNames[i] == name) return static_cast<FleetStatus>(i);
  }
  return std::nullopt;
}

int compareVersions(std::string_view a, std::string_view b) {
  while (!a.empty() || !b.empty()) {
    const uint64_t left = nextPart(a);
    const uint64_t right = nextPart(b);
    if (left != right) return left < right ? -1 : 1;
  }
  return 0;
}

FleetHealth fleetHealth(const std::optional<HeartbeatRecord>& latest, int64_t now_ms,
                        const FleetSettings& settings, const FleetReference& reference) {
  if (!latest) return {FleetStatus::kUnknown, "no heartbeat yet"};
  const int64_t quiet_ms = now_ms - latest->last_seen_ms;
  if (quiet_ms > settings.silent_seconds * 1000) {
    return {FleetStatus::kSilent, "no heartbeat for " + ago(quiet_ms)};
  }
  if (quiet_ms > (2 * settings.heartbeat_seconds + settings.late_grace_seconds) * 1000) {
    return {FleetStatus::kLate, "no heartbeat for " + ago(quiet_ms)};
  }
  const protocol::Heartbeat& heartbeat = latest->heartbeat;
  if (compareVersions(heartbeat.agent_version, reference.collector_version) < 0) {
    return {FleetStatus::kOutdated,
            "agent " + heartbeat.agent_version + ", collector " + reference.collector_version};
  }
  if (heartbeat.policy.serial < reference.active_policy_serial) {
    return {FleetStatus::kOutdated, "policy serial " + std::to_string(heartbeat.policy.serial) +
                                        ", active " +
                                        std::to_string(reference.active_policy_serial)};
  }
  return {FleetStatus::kHealthy, ""};
}

}  // namespace vigie::collector
