#include "recording_periods.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <time.h>

#include <string>

#include "fixed_zone.h"
#include "vigie/platform/local_time.h"

namespace vigie::session {
namespace {

using testing::FixedZone;
using testing::utcMillis;

constexpr int kParis = 60;  // UTC+1, winter

// Mon-Fri 09:00-12:30 and Saturday 14:00-16:00.
std::vector<RecordingPeriod> weekPeriods() {
  return {{0b0011111, 9 * 60, 12 * 60 + 30, "Weekday mornings"},
          {0b0100000, 14 * 60, 16 * 60, "Saturday afternoon"}};
}

TEST(RecordingPeriodsTest, APeriodInProgressIsFoundWithItsLocalBounds) {
  const FixedZone zone(kParis);
  // Monday 2026-12-07, 10:15 local = 09:15 UTC.
  auto span = periodAt(weekPeriods(), zone, utcMillis(2026, 12, 7, 9, 15));
  ASSERT_TRUE(span.has_value());
  EXPECT_EQ(span->index, 0u);
  EXPECT_EQ(span->start_ms, utcMillis(2026, 12, 7, 8, 0));
  EXPECT_EQ(span->end_ms, utcMillis(2026, 12, 7, 11, 30));
  EXPECT_EQ(nextBoundaryAfter(weekPeriods(), zone, utcMillis(2026, 12, 7, 9, 15)),
            utcMillis(2026, 12, 7, 11, 30));
}

TEST(RecordingPeriodsTest, StartIsInsideEndIsOutside) {
  const FixedZone zone(kParis);
  EXPECT_TRUE(periodAt(weekPeriods(), zone, utcMillis(2026, 12, 7, 8, 0)).has_value());
  EXPECT_FALSE(periodAt(weekPeriods(), zone, utcMillis(2026, 12, 7, 8, 0) - 1).has_value());
  EXPECT_FALSE(periodAt(weekPeriods(), zone, utcMillis(2026, 12, 7, 11, 30)).has_value());
  EXPECT_EQ(nextBoundaryAfter(weekPeriods(), zone, utcMillis(2026, 12, 7, 8, 0) - 1),
            utcMillis(2026, 12, 7, 8, 0));
}

TEST(RecordingPeriodsTest, ADayWithoutPeriodWaitsForTheNextDayWithOne) {
  const FixedZone zone(kParis);
  // Sunday 2026-12-06 at noon: nothing today, next is Monday 09:00 local.
  const int64_t sunday = utcMillis(2026, 12, 6, 11, 0);
  EXPECT_FALSE(periodAt(weekPeriods(), zone, sunday).has_value());
  auto next = nextPeriodAfter(weekPeriods(), zone, sunday);
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->start_ms, utcMillis(2026, 12, 7, 8, 0));
  EXPECT_EQ(nextBoundaryAfter(weekPeriods(), zone, sunday), utcMillis(2026, 12, 7, 8, 0));
  // Saturday after its period: next is Monday as well, across the month's end.
  auto after_saturday = nextPeriodAfter(weekPeriods(), zone, utcMillis(2026, 1, 31, 16, 0));
  ASSERT_TRUE(after_saturday.has_value());
  EXPECT_EQ(after_saturday->start_ms, utcMillis(2026, 2, 2, 8, 0));
}

TEST(RecordingPeriodsTest, TheLocalDayDecidesNotTheUtcDay) {
  // UTC-10: Monday 23:30 UTC is still Monday 13:30 local; at UTC+10, Tuesday 09:30 local.
  const int64_t instant = utcMillis(2026, 12, 7, 23, 30);
  EXPECT_FALSE(periodAt(weekPeriods(), FixedZone(-600), instant).has_value());
  auto tuesday = periodAt(weekPeriods(), FixedZone(600), instant);
  ASSERT_TRUE(tuesday.has_value());
  EXPECT_EQ(tuesday->start_ms, utcMillis(2026, 12, 7, 23, 0));
}

TEST(RecordingPeriodsTest, APeriodToMidnightEndsAtTheNextDaysStart) {
  const FixedZone zone(0);
  const std::vector<RecordingPeriod> night{{0b1000000, 22 * 60, 24 * 60, "Sunday night"}};
  auto span = periodAt(night, zone, utcMillis(2026, 12, 6, 23, 59));
  ASSERT_TRUE(span.has_value());
  EXPECT_EQ(span->end_ms, utcMillis(2026, 12, 7, 0, 0));
}

TEST(RecordingPeriodsTest, OverlappingPeriodsGiveTheOneStartedFirst) {
  const FixedZone zone(0);
  const std::vector<RecordingPeriod> overlapping{{0b0000001, 11 * 60, 14 * 60, "late"},
                                                 {0b0000001, 9 * 60, 12 * 60, "early"}};
  auto span = periodAt(overlapping, zone, utcMillis(2026, 12, 7, 11, 30));
  ASSERT_TRUE(span.has_value());
  EXPECT_EQ(span->index, 1u);
}

TEST(RecordingPeriodsTest, NoPeriodsNoBoundary) {
  EXPECT_FALSE(nextBoundaryAfter({}, FixedZone(0), 0).has_value());
  EXPECT_FALSE(periodAt({}, FixedZone(0), 0).has_value());
}

#ifndef _WIN32  // POSIX TZ rules; Windows reads its zone from the system settings
// The process's own zone, given a POSIX rule for Paris (no time zone database needed).
class ProcessZoneTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const char* tz = ::getenv("TZ")) saved_ = tz;
    ::setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1);
    ::tzset();
  }
  void TearDown() override {
    if (saved_) {
      ::setenv("TZ", saved_->c_str(), 1);
    } else {
      ::unsetenv("TZ");
    }
    ::tzset();
  }
  std::optional<std::string> saved_;
};

TEST_F(ProcessZoneTest, DaylightSavingMovesTheUtcInstantNotTheLocalTime) {
  const platform::TimeZone& zone = platform::processTimeZone();
  // Friday 2026-03-27 is winter time (UTC+1); Monday 2026-03-30 summer time (UTC+2).
  auto friday = periodAt(weekPeriods(), zone, utcMillis(2026, 3, 27, 9, 0));
  ASSERT_TRUE(friday.has_value());
  EXPECT_EQ(friday->start_ms, utcMillis(2026, 3, 27, 8, 0));
  EXPECT_EQ(nextPeriodAfter(weekPeriods(), zone, utcMillis(2026, 3, 27, 12, 0))->start_ms,
            utcMillis(2026, 3, 28, 13, 0));  // Saturday 14:00 local, still winter
  auto monday = nextPeriodAfter(weekPeriods(), zone, utcMillis(2026, 3, 29, 12, 0));
  ASSERT_TRUE(monday.has_value());
  EXPECT_EQ(monday->start_ms, utcMillis(2026, 3, 30, 7, 0));
  // A period across the change (Sunday 01:00-04:00 local) lasts two hours.
  const std::vector<RecordingPeriod> night{{0b1000000, 60, 4 * 60, "night"}};
  auto across = periodAt(night, zone, utcMillis(2026, 3, 29, 1, 0));
  ASSERT_TRUE(across.has_value());
  EXPECT_EQ(across->start_ms, utcMillis(2026, 3, 29, 0, 0));
  EXPECT_EQ(across->end_ms, utcMillis(2026, 3, 29, 2, 0));
  const platform::LocalTime local = zone.toLocal(utcMillis(2026, 3, 30, 7, 0));
  EXPECT_EQ(local.hour, 9);
  EXPECT_EQ(local.weekday, 0);
}
#endif

TEST(RecordingPeriodsTest, ClockText) {
  EXPECT_EQ(clockText(0), "00:00");
  EXPECT_EQ(clockText(9 * 60 + 5), "09:05");
  EXPECT_EQ(clockText(24 * 60), "24:00");
}

}  // namespace
}  // namespace vigie::session
