#pragma once

// Working hours: when each person (or each team) is expected to work, in the site's local time
// (the collector's TZ). Imported as JSON lines (POST /v1/shifts, `vigiectl shifts import`).

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_db.h"
#include "detect/shift_lines.h"

namespace vigie::collector {

// Local calendar time of an instant: day of week (0 = Monday) and minute of the day.
struct LocalMinute {
  int weekday = 0;
  int minute = 0;
};
using LocalTimeFn = std::function<LocalMinute(int64_t unix_ms)>;
LocalMinute processLocalTime(int64_t unix_ms);  // localtime_r, the process's TZ

class ShiftCalendar {
 public:
  ShiftCalendar(AuditDb& db, LocalTimeFn local_time = processLocalTime);

  // Replaces the shifts of every `who` named in `shifts`, stored and in memory.
  Status replace(const std::vector<Shift>& shifts);
  Status load();  // from the store, at start
  std::vector<Shift> all() const;

  // Whether `login` (of `team`) works at `unix_ms`, with `grace_minutes` around each shift;
  // nullopt when neither the person nor the team has a schedule.
  std::optional<bool> onShift(std::string_view login, std::string_view team, int64_t unix_ms,
                              int64_t grace_minutes) const;
  // The schedule that applies to `login`, described ("" when none).
  std::string scheduleOf(std::string_view login, std::string_view team) const;

 private:
  AuditDb& db_;
  LocalTimeFn local_time_;
  mutable std::mutex mutex_;
  std::map<std::string, std::vector<Shift>, std::less<>> by_who_;
};

}  // namespace vigie::collector
