#pragma once

// Local (wall-clock) time of the workstation: what "today" and "09:00 on Mondays" mean. An
// interface so that scheduling by local time is tested with fixed zones and made-up instants.

#include <cstdint>

namespace vigie::platform {

struct LocalTime {
  int year = 1970;
  int month = 1;    // 1-12
  int day = 1;      // 1-31
  int weekday = 3;  // 0 = Monday ... 6 = Sunday
  int hour = 0;
  int minute = 0;
  int second = 0;
};

class TimeZone {
 public:
  virtual ~TimeZone() = default;
  virtual LocalTime toLocal(int64_t unix_ms) const = 0;
  // The instant the local clock reads `minute_of_day` minutes after the midnight that starts
  // year-month-day (minute 1440 is the next midnight; values are normalised). A reading that a
  // daylight saving change skips is shifted by the change (02:30 that night is 03:30).
  virtual int64_t toUnixMillis(int year, int month, int day, int minute_of_day) const = 0;
};

// The process's time zone (TZ, else the system's). Thread-safe; lives for the whole program.
const TimeZone& processTimeZone();

}  // namespace vigie::platform
