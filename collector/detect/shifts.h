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

namespace vigie::collector {

// One working period: on the days in `days` (bit 0 = Monday ... bit 6 = Sunday), from `start` to
// `end` minutes after local midnight; `end` <= `start` means it ends the next day (night shift).
struct Shift {
  std::string who;  // a login, or "team:NAME" for everyone in a team without their own shifts
  uint8_t days = 0;
  int start_minute = 0;
  int end_minute = 0;
};

// {"who":"alice","days":"mon-fri","start":"08:00","end":"16:30"}; days are "mon-fri",
// "mon,wed,sat", "sat-sun", ... Any bad line refuses the whole text, naming the line.
StatusOr<std::vector<Shift>> parseShiftLines(std::string_view text);
std::string describeShift(const Shift& shift);  // "mon-fri 08:00-16:30"

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
