#include <gtest/gtest.h>

#include "vigie/protocol/utc_time.h"
#include "vigie/protocol/utf8.h"
#include "vigie/protocol/uuid.h"

namespace vigie::protocol {
namespace {

TEST(Uuid, V7LayoutAndRoundTrip) {
  const Uuid uuid =
      makeUuidV7(0x0123456789AB, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff});
  const std::string text = toString(uuid);
  EXPECT_EQ(text, "01234567-89ab-7fff-bfff-ffffffffffff");
  EXPECT_EQ(parseUuidV7(text), uuid);
}

TEST(Uuid, ParserIsStrict) {
  EXPECT_FALSE(parseUuidV7("01234567-89ab-4fff-bfff-ffffffffffff"));  // version 4
  EXPECT_FALSE(parseUuidV7("01234567-89ab-7fff-7fff-ffffffffffff"));  // wrong variant
  EXPECT_FALSE(parseUuidV7("0123456789ab-7fff-bfff-ffffffffffff-"));
  EXPECT_FALSE(parseUuidV7("01234567-89AB-7fff-bfff-ffffffffffff"));
  EXPECT_FALSE(parseUuidV7(""));
}

TEST(UtcTime, FormatsAndParses) {
  EXPECT_EQ(formatUtcMillis(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(formatUtcMillis(1764337698123), "2025-11-28T13:48:18.123Z");
  EXPECT_EQ(parseUtcMillis("2025-11-28T13:48:18.123Z"), 1764337698123);
  EXPECT_EQ(parseUtcMillis("2024-02-29T23:59:59.999Z"), 1709251199999);
  EXPECT_FALSE(parseUtcMillis("2025-02-29T00:00:00.000Z"));
  EXPECT_FALSE(parseUtcMillis("2025-11-28T24:00:00.000Z"));
  EXPECT_FALSE(parseUtcMillis("2025-11-28 13:48:18.123Z"));
  EXPECT_FALSE(parseUtcMillis("2025-11-28T13:48:18.123+01"));
}

TEST(Utf8, TruncatesOnCharacterBoundaries) {
  EXPECT_EQ(truncateUtf8("abc", 5), "abc");
  EXPECT_EQ(truncateUtf8("ab\xC3\xA9", 3), "ab");  // é not split
  EXPECT_EQ(truncateUtf8("\xF0\x9F\x93\x9Ex", 4), "\xF0\x9F\x93\x9E");
  EXPECT_EQ(truncateUtf8("\xF0\x9F\x93\x9Ex", 3), "");
}

TEST(Utf8, AcceptsWellFormedAndRejectsTheRest) {
  EXPECT_TRUE(isValidUtf8("plain é € \xF0\x9F\x93\x9E"));
  EXPECT_FALSE(isValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(isValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(isValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(isValidUtf8("\xE2\x82"));          // truncated
  EXPECT_FALSE(isValidUtf8("\x80"));
}

}  // namespace
}  // namespace vigie::protocol
