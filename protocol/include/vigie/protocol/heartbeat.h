#pragma once

// The heartbeat an agent sends the collector (docs/fleet.md, POST /v1/heartbeat): what runs on
// the workstation and how its queue, uploads and session sensors stand. The agent encodes it,
// the collector decodes it strictly (every member required, in range, no other member).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vigie/protocol/status.h"

namespace vigie::protocol {

inline constexpr size_t kMaxHeartbeatBytes = 64 * 1024;
inline constexpr size_t kMaxHeartbeatSessions = 128;

struct HeartbeatPolicy {
  uint64_t serial = 0;  // the signed policy in force; 0 before any remote policy
  std::string version;
  std::string error;  // why the last policy pulled was refused; "" when none (not sent)
  bool operator==(const HeartbeatPolicy&) const = default;
};

enum class SensorStatus { kConnected, kLost };
std::string_view sensorStatusName(SensorStatus status);

struct HeartbeatSession {
  std::string session;
  std::string user;
  int64_t since_ms = 0;
  SensorStatus status = SensorStatus::kConnected;
  bool operator==(const HeartbeatSession&) const = default;
};

struct Heartbeat {
  std::string agent_version;
  std::string os;
  std::string host;
  HeartbeatPolicy policy;
  uint64_t queue_events = 0;
  uint64_t queue_bytes = 0;
  std::optional<int64_t> oldest_event_ms;  // nullopt: the queue is empty
  uint64_t drops = 0;                      // since the service started
  std::optional<int64_t> last_upload_ms;   // nullopt: no batch acknowledged yet
  std::vector<HeartbeatSession> sessions;
  int64_t sent_ms = 0;
  bool operator==(const Heartbeat&) const = default;
};

std::string toJson(const Heartbeat& heartbeat);
// kInvalidArgument naming the member at fault.
StatusOr<Heartbeat> heartbeatFromJson(std::string_view text);

// The collector's answer: {"heartbeat_seconds": N}.
std::string heartbeatAnswerJson(int64_t heartbeat_seconds);

}  // namespace vigie::protocol
