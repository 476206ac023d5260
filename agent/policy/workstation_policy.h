#pragma once

// The workstation policy (docs/fleet.md): the session policy the sensors apply plus the settings
// of the agent service itself. The collector checks a document with this parser before it signs
// it; the agent checks it again after the signature, before anything is applied.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "vigie/protocol/status.h"

namespace vigie::policy {

struct WorkstationPolicy {
  uint64_t serial = 0;  // set by the collector when it activates the document; 0 for a local file
  std::string version;  // policy_version, the administrator's name for it
  // Service settings; nullopt keeps the service's own (command line) value.
  std::optional<uint64_t> batch_events;       // upload.batch_events, 1..20000
  std::optional<int64_t> linger_ms;           // upload.linger_ms, 0..600000
  std::optional<int64_t> heartbeat_seconds;   // upload.heartbeat_seconds, 10..3600
  std::optional<int64_t> queue_max_age_days;  // queue.max_age_days, 1..3650
};

// Where the agent service publishes the policy in force for the session sensors: policy.json
// beside its socket; for a Windows named pipe (\\.\pipe\NAME), which has no folder, in the
// folder of the local policy (kLocalPolicyFile).
std::string publishedPolicyPath(const std::string& socket_path);

// The workstation's own session policy, used when no policy has been published.
#ifdef _WIN32
inline constexpr char kLocalPolicyFile[] = R"(C:\ProgramData\Vigie\session-policy.json)";
inline constexpr char kDefaultServiceAddress[] = R"(\\.\pipe\vigie-agent)";
#else
inline constexpr char kLocalPolicyFile[] = "/etc/vigie/session-policy.json";
inline constexpr char kDefaultServiceAddress[] = "/run/vigie-agent/agent.sock";
#endif

// Parses and checks the whole document — the session part too, as a sensor would — and returns
// what the service needs. Errors name the offending member.
StatusOr<WorkstationPolicy> parseWorkstationPolicy(std::string_view json);

}  // namespace vigie::policy
