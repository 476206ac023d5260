#include "time_option.h"

#include <gtest/gtest.h>

namespace vigie::ctl {
namespace {

TEST(TimeOptionTest, AcceptsTheApiForm) {
  auto time = parseTimeOption("from", "2026-11-29T10:02:00.123Z");
  ASSERT_TRUE(time.isOk()) << time.status().toString();
  EXPECT_EQ(*time, "2026-11-29T10:02:00.123Z");
}

TEST(TimeOptionTest, ADayIsItsMidnightUtc) {
  auto time = parseTimeOption("to", "2026-02-28");
  ASSERT_TRUE(time.isOk()) << time.status().toString();
  EXPECT_EQ(*time, "2026-02-28T00:00:00.000Z");
}

TEST(TimeOptionTest, RefusesAnythingElseNamingTheOption) {
  for (const char* bad : {"", "2026-11-29T10:02:00Z", "2026-11-29 10:02:00.000Z", "29/11/2026",
                          "2026-02-30", "2026-13-01", "2026-11-29T24:00:00.000Z", "yesterday",
                          "2026-11-29T10:02:00.000+01:00", "1969-12-31"}) {
    auto time = parseTimeOption("from", bad);
    ASSERT_FALSE(time.isOk()) << bad;
    EXPECT_NE(time.status().message().find("--from"), std::string::npos);
    EXPECT_NE(time.status().message().find("YYYY-MM-DD"), std::string::npos);
  }
}

}  // namespace
}  // namespace vigie::ctl
