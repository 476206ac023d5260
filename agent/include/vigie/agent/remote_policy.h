#pragma once

// The workstation policy the collector signed (docs/fleet.md, "Remote policy"): checked against
// the CA pinned at enrollment, kept in the data directory, published for the session sensors.
// A document that fails any check is refused and the policy in force stays.

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "vigie/protocol/heartbeat.h"
#include "vigie/protocol/status.h"
#include "workstation_policy.h"

namespace vigie::agent {

struct RemotePolicyPaths {
  std::string ca_file;       // the collector CA pinned at enrollment
  std::string store_dir;     // <data_dir>/policy, 0700: policy.json and policy.sig
  std::string publish_path;  // read by the sensors, e.g. /run/vigie-agent/policy.json (0644)
};

// Thread-safe.
class RemotePolicy {
 public:
  explicit RemotePolicy(RemotePolicyPaths paths) : paths_(std::move(paths)) {}

  // The policy kept from before, checked again and published; nullopt when there is none (a
  // stale published file is then removed). A kept policy that no longer verifies is an error.
  StatusOr<std::optional<policy::WorkstationPolicy>> loadKept();

  // Checks an answer of POST /v1/policy ({"serial", "document", "signature"}); when it passes,
  // keeps and publishes it, and returns it. kInvalidArgument says why it was refused, which is
  // also kept for state().error. An answer for the serial in force gives kFailedPrecondition.
  StatusOr<policy::WorkstationPolicy> accept(std::string_view answer);

  // What the heartbeat reports: the serial and version in force (0 and "" before any), and why
  // the last policy pulled was refused ("" once one is accepted).
  protocol::HeartbeatPolicy state() const;

 private:
  StatusOr<policy::WorkstationPolicy> verify(std::string_view document,
                                             std::string_view signature_hex) const;
  Status keepAndPublish(std::string_view document, std::string_view signature_hex) const;
  Status refuse(const Status& why);

  const RemotePolicyPaths paths_;
  mutable std::mutex mu_;
  protocol::HeartbeatPolicy state_;  // GUARDED_BY(mu_)
};

}  // namespace vigie::agent
