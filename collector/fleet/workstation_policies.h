#pragma once

// The workstation policies the collector activated, each signed with the collector CA's key
// (docs/fleet.md). Activation numbers (serials) only grow: an agent refuses a serial lower than
// the one it applies, so an old signed policy cannot be replayed to it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_db.h"
#include "audit/retention.h"
#include "vigie/crypto/x509.h"
#include "vigie/platform/clock.h"

namespace vigie::collector {

struct SignedPolicy {
  int64_t serial = 0;
  std::string version;    // the administrator's policy_version
  std::string document;   // the signed document, JSON text, exactly as agents receive it
  std::string signature;  // lower-case hex of the DER ECDSA signature over `document`
  int64_t activated_ms = 0;
  std::string activated_by;
};

struct Activation {
  SignedPolicy policy;     // the policy in force after the call
  bool unchanged = false;  // the document and retention were those in force: nothing activated
};

class WorkstationPolicies {
 public:
  WorkstationPolicies(AuditDb& db, platform::Clock& clock) : db_(db), clock_(clock) {}

  // Checks the administrator's `document` as an agent would, completes it (serial, activated,
  // retention_days from `retention`), signs it with `signer` and makes it the active policy —
  // unless it says exactly what the active policy says, which then stays (no new serial).
  // kInvalidArgument names what is wrong with the document.
  StatusOr<Activation> activate(std::string_view document,
                                const std::vector<RetentionClass>& retention,
                                const crypto::CertificateAuthority& signer, std::string_view by);

  // The policy in force: the last activated; nullopt before the first.
  StatusOr<std::optional<SignedPolicy>> active();
  // Its serial only (what every agent's pull compares with); 0 before the first.
  StatusOr<int64_t> activeSerial();
  // Every activation, newest first, without the documents.
  StatusOr<std::vector<SignedPolicy>> history();

 private:
  AuditDb& db_;
  platform::Clock& clock_;
};

}  // namespace vigie::collector
