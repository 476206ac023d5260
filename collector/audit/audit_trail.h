#pragma once

// The append-only record of what was done through the audit API: who (account, role, brand) did
// what (action, parameters) and how it ended. Each entry is chained to the one before:
//   hash = SHA-256(previous hash || canonical entry)
// where the canonical entry is the JSON object {seq, time, actor, role, brand, action, detail,
// outcome} with its keys in that order, and the first previous hash is 32 zero bytes.

#include <cstdint>
#include <string>
#include <vector>

#include "audit/audit_db.h"
#include "audit/principal.h"
#include "vigie/platform/clock.h"

namespace vigie::collector {

struct TrailEntry {
  int64_t seq = 0;
  int64_t time_ms = 0;
  std::string actor;  // account name, or what was claimed on a failed login
  std::string role;   // "" before authentication
  std::string brand;
  std::string action;  // "GET /v1/audit/record", "reveal.approve", ...
  std::string detail;  // a JSON object: the parameters that matter
  int outcome = 0;     // the HTTP status answered
  std::string hash;    // hex
};

struct TrailVerification {
  bool ok = true;
  int64_t entries = 0;
  int64_t broken_at = 0;  // the first entry whose hash does not hold
};

class AuditTrail {
 public:
  AuditTrail(AuditDb& db, platform::Clock& clock) : db_(db), clock_(clock) {}

  Status append(std::string_view actor, std::string_view role, std::string_view brand,
                std::string_view action, std::string_view detail_json, int outcome);
  // Entries after `after_seq`, oldest first, at most `limit`.
  StatusOr<std::vector<TrailEntry>> list(int64_t after_seq, size_t limit);
  StatusOr<TrailVerification> verify();

  // The canonical bytes an entry's hash covers (exposed for tests and external verifiers).
  static std::string canonical(const TrailEntry& entry);

 private:
  AuditDb& db_;
  platform::Clock& clock_;
};

}  // namespace vigie::collector
