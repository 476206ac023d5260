#include "vigie/protocol/json.h"

#include <gtest/gtest.h>

namespace vigie::protocol::json {
namespace {

std::string errorOf(std::string_view text) {
  auto parsed = parse(text);
  return parsed.isOk() ? "" : parsed.status().message();
}

TEST(Json, ParsesNestedDocument) {
  auto parsed = parse(R"( {"a": [1, -2, "x\u00e9\ud83d\udcde"], "b": {"c": true, "d": null}} )");
  ASSERT_TRUE(parsed.isOk()) << parsed.status().toString();
  const Value* a = parsed->find("a");
  ASSERT_NE(a, nullptr);
  ASSERT_EQ(a->array.size(), 3u);
  EXPECT_EQ(a->array[1].magnitude, 2u);
  EXPECT_TRUE(a->array[1].negative);
  EXPECT_EQ(a->array[2].string, "x\xC3\xA9\xF0\x9F\x93\x9E");
  EXPECT_TRUE(parsed->find("b")->find("c")->boolean);
}

TEST(Json, RejectsWhatTheProtocolNeverSends) {
  EXPECT_NE(errorOf(R"({"a":1,"a":2})").find("duplicate key"), std::string::npos);
  EXPECT_NE(errorOf("1.5").find("numbers must be integers"), std::string::npos);
  EXPECT_NE(errorOf("1e3").find("numbers must be integers"), std::string::npos);
  EXPECT_NE(errorOf("012").find("leading zeros"), std::string::npos);
  EXPECT_NE(errorOf("\"a\tb\"").find("control character"), std::string::npos);
  EXPECT_NE(errorOf("\"\\udc00\"").find("lone low surrogate"), std::string::npos);
  EXPECT_NE(errorOf("\"\\x\"").find("unknown escape"), std::string::npos);
  EXPECT_NE(errorOf("[1,]").find("unexpected character"), std::string::npos);
  EXPECT_NE(errorOf("{} {}").find("unexpected data"), std::string::npos);
  EXPECT_NE(errorOf("").find("unexpected end"), std::string::npos);
  EXPECT_NE(errorOf("tru").find("unknown literal"), std::string::npos);
}

TEST(Json, LimitsNesting) {
  EXPECT_TRUE(parse(std::string(16, '[') + std::string(16, ']')).isOk());
  EXPECT_NE(errorOf(std::string(100000, '[')).find("nesting deeper than 16"), std::string::npos);
}

TEST(Json, EscapesOnOutput) {
  std::string out;
  appendString(out, "q\"b\\n\n\x1f");
  EXPECT_EQ(out, R"("q\"b\\n\n\u001f")");
}

TEST(Json, WritesBackWhatItRead) {
  const std::string text =
      R"({"a":[1,-2,true,false,null],"b":{"c":"d\"e","f":{}},"g":[],"h":"\u001fé"})";
  auto value = parse(text);
  ASSERT_TRUE(value.isOk()) << value.status().toString();
  std::string out;
  appendValue(out, *value);
  EXPECT_EQ(out, R"({"a":[1,-2,true,false,null],"b":{"c":"d\"e","f":{}},"g":[],"h":"\u001fé"})");
  auto again = parse(out);
  ASSERT_TRUE(again.isOk());
  std::string twice;
  appendValue(twice, *again);
  EXPECT_EQ(twice, out);
}

}  // namespace
}  // namespace vigie::protocol::json
