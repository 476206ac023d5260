#include "vigie/platform/local_time.h"

#include <ctime>

namespace vigie::platform {
namespace {

// localtime_r (localtime_s on Windows) and mktime from the C library; tzset() first so a changed
// TZ is honoured.
class ProcessTimeZone final : public TimeZone {
 public:
  LocalTime toLocal(int64_t unix_ms) const override {
    ::tzset();
    const time_t seconds =
        static_cast<time_t>(unix_ms >= 0 ? unix_ms / 1000 : (unix_ms - 999) / 1000);
    tm local{};
#ifdef _WIN32
    ::localtime_s(&local, &seconds);
#else
    ::localtime_r(&seconds, &local);
#endif
    LocalTime out;
    out.year = local.tm_year + 1900;
    out.month = local.tm_mon + 1;
    out.day = local.tm_mday;
    out.weekday = (local.tm_wday + 6) % 7;
    out.hour = local.tm_hour;
    out.minute = local.tm_min;
    out.second = local.tm_sec;
    return out;
  }

  int64_t toUnixMillis(int year, int month, int day, int minute_of_day) const override {
    ::tzset();
    tm local{};
    local.tm_year = year - 1900;
    local.tm_mon = month - 1;
    local.tm_mday = day;
    local.tm_min = minute_of_day;
    local.tm_isdst = -1;  // the C library decides whether summer time applies then
    return static_cast<int64_t>(::mktime(&local)) * 1000;
  }
};

}  // namespace

const TimeZone& processTimeZone() {
  static const ProcessTimeZone zone;
  return zone;
}

}  // namespace vigie::platform
