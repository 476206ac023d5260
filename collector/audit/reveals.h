#pragma once

// The two-person reveal: someone asks to see who is behind a pseudonym and says why; a dpo other
// than the requester approves or denies; once approved, the requester and the approver can read
// the identity for 24 hours. The HTTP layer writes each step to the audit trail.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_db.h"
#include "audit/principal.h"
#include "audit/pseudonyms.h"
#include "vigie/platform/clock.h"

namespace vigie::collector {

inline constexpr int64_t kRevealValidityMs = 24 * 3600 * 1000;

struct RevealRequest {
  int64_t id = 0;
  std::string pseudonym;
  std::string reason;
  std::string requester;
  std::string requester_brand;
  int64_t requested_ms = 0;
  std::string status;  // "pending", "approved", "denied"
  std::string decider;
  int64_t decided_ms = 0;
  std::optional<std::string> identity;  // only from show(), only while valid
};

class Reveals {
 public:
  Reveals(AuditDb& db, Pseudonyms& pseudonyms, platform::Clock& clock)
      : db_(db), pseudonyms_(pseudonyms), clock_(clock) {}

  // kInvalidArgument for a malformed pseudonym or a reason outside 10-500 characters; kNotFound
  // when no one known has this pseudonym.
  StatusOr<int64_t> request(const Principal& by, std::string_view pseudonym,
                            std::string_view reason);
  // The requests `by` made, and for a dpo those it may decide.
  StatusOr<std::vector<RevealRequest>> list(const Principal& by);
  // kPermissionDenied for the requester itself, a non-dpo, or a dpo of another brand;
  // kFailedPrecondition when already decided; kNotFound for an unknown id.
  Status decide(const Principal& by, int64_t id, bool approve);
  // The request, with the identity when approved and still valid. Only the requester and the
  // decider may read it (kPermissionDenied otherwise).
  StatusOr<RevealRequest> show(const Principal& by, int64_t id);

 private:
  StatusOr<std::optional<RevealRequest>> find(Sql& db, int64_t id);
  AuditDb& db_;
  Pseudonyms& pseudonyms_;
  platform::Clock& clock_;
};

}  // namespace vigie::collector
