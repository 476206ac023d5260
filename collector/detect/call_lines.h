#pragma once

// Calls, tickets and callbacks as the CTI sends them (POST /v1/calls, `vigiectl calls import`):
// JSON lines, strictly checked. Parsing only; the store is telephony.h.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vigie/protocol/status.h"

namespace vigie::collector {

inline constexpr size_t kMaxCallLines = 1000;
// Longer calls are refused; lookups rely on it to bound the range they scan.
inline constexpr int64_t kMaxCallDurationMs = 24LL * 3600 * 1000;

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

}  // namespace vigie::collector
