#include "command_line.h"

#include <gtest/gtest.h>

namespace vigie::ctl {
namespace {

const std::vector<OptionSpec> kSpecs = {
    {"csv", true}, {"all", false}, {"limit", true}, {"crm-account", true, true}};

TEST(ParsedArgsTest, PositionalsOptionsAndFlags) {
  auto args = ParsedArgs::parse({"C-1042", "--csv", "-", "--all", "--limit=2", "--crm-account",
                                 "acme:jd", "--crm-account", "zeta:j.d"},
                                kSpecs);
  ASSERT_TRUE(args.isOk()) << args.status().toString();
  EXPECT_EQ(args->positionals(), std::vector<std::string>{"C-1042"});
  EXPECT_EQ(args->text("csv"), "-");
  EXPECT_TRUE(args->has("all"));
  EXPECT_EQ(args->number("limit", 100, 1, 1000).value(), 2u);
  EXPECT_EQ(args->all("crm-account"), (std::vector<std::string>{"acme:jd", "zeta:j.d"}));
  EXPECT_EQ(args->number("absent", 100, 1, 1000).value(), 100u);
}

TEST(ParsedArgsTest, DoubleDashEndsOptions) {
  auto args = ParsedArgs::parse({"--", "--all", "-x"}, kSpecs);
  ASSERT_TRUE(args.isOk());
  EXPECT_EQ(args->positionals(), (std::vector<std::string>{"--all", "-x"}));
  EXPECT_FALSE(args->has("all"));
}

TEST(ParsedArgsTest, ErrorsNameTheOption) {
  EXPECT_EQ(ParsedArgs::parse({"--bogus"}, kSpecs).status().message(), "unknown option --bogus");
  EXPECT_EQ(ParsedArgs::parse({"-x"}, kSpecs).status().message(), "unknown option -x");
  EXPECT_EQ(ParsedArgs::parse({"--csv"}, kSpecs).status().message(), "--csv needs a value");
  EXPECT_EQ(ParsedArgs::parse({"--all=1"}, kSpecs).status().message(), "--all takes no value");
  EXPECT_EQ(ParsedArgs::parse({"--csv", "a", "--csv", "b"}, kSpecs).status().message(),
            "--csv given twice");
  auto args = ParsedArgs::parse({"--limit", "1001"}, kSpecs);
  ASSERT_TRUE(args.isOk());
  EXPECT_FALSE(args->number("limit", 100, 1, 1000).isOk());
  args = ParsedArgs::parse({"--limit", "2x"}, kSpecs);
  ASSERT_TRUE(args.isOk());
  EXPECT_FALSE(args->number("limit", 100, 1, 1000).isOk());
}

}  // namespace
}  // namespace vigie::ctl
