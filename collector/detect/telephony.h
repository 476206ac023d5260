#pragma once

// Calls, tickets and callbacks from the call-distribution / CTI system (POST /v1/calls,
// `vigiectl calls import`), kept so that the rules can ask "was there a call that justifies this
// access?". Identifiers only: no numbers dialled, no recordings.

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "audit/audit_db.h"
#include "detect/call_lines.h"
#include "vigie/platform/clock.h"

namespace vigie::collector {

struct CallImportResult {
  size_t accepted = 0;
  size_t duplicates = 0;
};

class CallLog {
 public:
  CallLog(AuditDb& db, platform::Clock& clock) : db_(db), clock_(clock) {}

  // Stores the calls of `brand` in one transaction; a call id already stored is a duplicate.
  StatusOr<CallImportResult> store(std::string_view brand, const std::vector<Call>& calls);

  // Whether a call of `agent` about `record_id` overlaps [from_ms, to_ms].
  StatusOr<bool> justifies(std::string_view agent, std::string_view record_id, int64_t from_ms,
                           int64_t to_ms);
  // The calls of `agent` that started in [from_ms, to_ms), oldest first (at most `limit`).
  StatusOr<std::vector<Call>> callsStarted(std::string_view agent, int64_t from_ms, int64_t to_ms,
                                           size_t limit);
  // The time of the agent's latest call starting before `before_ms`, or 0.
  StatusOr<int64_t> lastCallBefore(std::string_view agent, int64_t before_ms);

 private:
  AuditDb& db_;
  platform::Clock& clock_;
};

}  // namespace vigie::collector
