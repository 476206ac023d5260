#pragma once

// When the policy's weekly recording periods occur, in the workstation's local time: the
// occurrence in progress at an instant, the next one, and the next instant one starts or ends.
// Computed from the local calendar each time, so daylight saving changes shift nothing.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "session_policy.h"
#include "vigie/platform/local_time.h"

namespace vigie::session {

// One occurrence of a recording period: [start_ms, end_ms), Unix milliseconds.
struct PeriodSpan {
  size_t index = 0;  // into the periods it was computed from
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  bool operator==(const PeriodSpan&) const = default;
};

// The occurrence in progress at `now_ms`; when several overlap, the one that started first.
std::optional<PeriodSpan> periodAt(const std::vector<RecordingPeriod>& periods,
                                   const platform::TimeZone& zone, int64_t now_ms);
// The first occurrence starting after `now_ms`.
std::optional<PeriodSpan> nextPeriodAfter(const std::vector<RecordingPeriod>& periods,
                                          const platform::TimeZone& zone, int64_t now_ms);
// The first instant after `now_ms` at which an occurrence starts or ends; nullopt without periods.
std::optional<int64_t> nextBoundaryAfter(const std::vector<RecordingPeriod>& periods,
                                         const platform::TimeZone& zone, int64_t now_ms);

}  // namespace vigie::session
