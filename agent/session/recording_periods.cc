#include "recording_periods.h"

namespace vigie::session {
namespace {

// Occurrences on the local days from yesterday (one may still be running) to a week ahead (every
// period occurs at least once a week), in order of start.
std::vector<PeriodSpan> occurrences(const std::vector<RecordingPeriod>& periods,
                                    const platform::TimeZone& zone, int64_t now_ms) {
  std::vector<PeriodSpan> spans;
  if (periods.empty()) return spans;
  const platform::LocalTime today = zone.toLocal(now_ms);
  for (int offset = -1; offset <= kDaysPerWeek; ++offset) {
    const int weekday = (today.weekday + offset + kDaysPerWeek) % kDaysPerWeek;
    for (size_t i = 0; i < periods.size(); ++i) {
      const RecordingPeriod& period = periods[i];
      if (!period.onDay(weekday)) continue;
      const int day = today.day + offset;  // normalised by the zone
      spans.push_back({i, zone.toUnixMillis(today.year, today.month, day, period.start_minute),
                       zone.toUnixMillis(today.year, today.month, day, period.end_minute)});
    }
  }
  return spans;
}

}  // namespace

std::optional<PeriodSpan> periodAt(const std::vector<RecordingPeriod>& periods,
                                   const platform::TimeZone& zone, int64_t now_ms) {
  std::optional<PeriodSpan> found;
  for (const PeriodSpan& span : occurrences(periods, zone, now_ms)) {
    if (span.start_ms <= now_ms && now_ms < span.end_ms &&
        (!found || span.start_ms < found->start_ms)) {
      found = span;
    }
  }
  return found;
}

std::optional<PeriodSpan> nextPeriodAfter(const std::vector<RecordingPeriod>& periods,
                                          const platform::TimeZone& zone, int64_t now_ms) {
  std::optional<PeriodSpan> found;
  for (const PeriodSpan& span : occurrences(periods, zone, now_ms)) {
    if (span.start_ms > now_ms && (!found || span.start_ms < found->start_ms)) found = span;
  }
  return found;
}

std::optional<int64_t> nextBoundaryAfter(const std::vector<RecordingPeriod>& periods,
                                         const platform::TimeZone& zone, int64_t now_ms) {
  std::optional<int64_t> next;
  for (const PeriodSpan& span : occurrences(periods, zone, now_ms)) {
    for (const int64_t boundary : {span.start_ms, span.end_ms}) {
      if (boundary > now_ms && (!next || boundary < *next)) next = boundary;
    }
  }
  return next;
}

}  // namespace vigie::session
