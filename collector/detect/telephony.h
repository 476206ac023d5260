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
#include "vigie/platform/clock.h"

namespace vigie::collector {

inline constexpr size_t kMaxCallLines = 1000;

struct Call {
  std::string call_id;        // the CTI's id: (brand, call_id) is stored once
  std::string kind = "call";  // call, ticket, callback
  std::string agent;          // the person's login
  int64_t start_ms = 0;
  int64_t end_ms = 0;     // >= start_ms
  std::string record_id;  // the customer record the call is about ("" when unknown)
  std::string campaign;
};

// JSON lines: {"id","kind"?,"agent","start","end","record_id"?,"campaign"?}. Any bad line refuses
// the whole text, naming the line.
StatusOr<std::vector<Call>> parseCallLines(std::string_view text);

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
