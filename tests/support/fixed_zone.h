#pragma once

#include <chrono>
#include <cstdint>

#include "vigie/platform/local_time.h"

namespace vigie::testing {

// Unix milliseconds of a UTC calendar reading; days past the month's end run into the next.
inline int64_t utcMillis(int year, int month, int day, int hour = 0, int minute = 0,
                         int second = 0) {
  using namespace std::chrono;
  const sys_days first(year_month_day(std::chrono::year(year),
                                      std::chrono::month(static_cast<unsigned>(month)),
                                      std::chrono::day(1)));
  const int64_t day_count = first.time_since_epoch().count() + day - 1;
  return ((day_count * 24 + hour) * 60 + minute) * 60'000 + int64_t{second} * 1000;
}

// A time zone a fixed offset from UTC, without daylight saving: local times in tests that do not
// depend on the machine's zone.
class FixedZone final : public platform::TimeZone {
 public:
  explicit FixedZone(int offset_minutes) : offset_ms_(int64_t{offset_minutes} * 60'000) {}

  platform::LocalTime toLocal(int64_t unix_ms) const override {
    using namespace std::chrono;
    const int64_t local_ms = unix_ms + offset_ms_;
    const sys_days day = floor<days>(sys_time<milliseconds>(milliseconds(local_ms)));
    const year_month_day date(day);
    const int64_t in_day = local_ms - duration_cast<milliseconds>(day.time_since_epoch()).count();
    platform::LocalTime out;
    out.year = static_cast<int>(date.year());
    out.month = static_cast<int>(static_cast<unsigned>(date.month()));
    out.day = static_cast<int>(static_cast<unsigned>(date.day()));
    out.weekday = static_cast<int>((weekday(day).c_encoding() + 6) % 7);
    out.hour = static_cast<int>(in_day / 3'600'000);
    out.minute = static_cast<int>(in_day / 60'000 % 60);
    out.second = static_cast<int>(in_day / 1000 % 60);
    return out;
  }

  int64_t toUnixMillis(int year, int month, int day, int minute_of_day) const override {
    return utcMillis(year, month, day) + int64_t{minute_of_day} * 60'000 - offset_ms_;
  }

 private:
  int64_t offset_ms_;
};

}  // namespace vigie::testing
