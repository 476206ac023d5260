#include "csv_writer.h"

#include <gtest/gtest.h>

#include <sstream>

namespace vigie::ctl {
namespace {

TEST(CsvCellTest, PlainTextStaysAsIs) {
  EXPECT_EQ(csvCell("C-1042"), "C-1042");
  EXPECT_EQ(csvCell(""), "");
  EXPECT_EQ(csvCell("p-3f9a2c1b7e"), "p-3f9a2c1b7e");
}

TEST(CsvCellTest, QuotesCellsWithSeparatorsQuotesAndLineBreaks) {
  EXPECT_EQ(csvCell("a,b"), "\"a,b\"");
  EXPECT_EQ(csvCell("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csvCell("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csvCell("cr\rhere"), "\"cr\rhere\"");
}

TEST(CsvCellTest, NeutralisesFormulaInjection) {
  EXPECT_EQ(csvCell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
  EXPECT_EQ(csvCell("+1"), "'+1");
  EXPECT_EQ(csvCell("-2+3"), "'-2+3");
  EXPECT_EQ(csvCell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(csvCell("\tcmd"), "'\tcmd");
  EXPECT_EQ(csvCell("\rcmd"), "\"'\rcmd\"");
  EXPECT_EQ(csvCell("=1,2"), "\"'=1,2\"");
  // Only the first character matters.
  EXPECT_EQ(csvCell("a=b"), "a=b");
  EXPECT_EQ(csvCell("2026-11-29T10:02:00.000Z"), "2026-11-29T10:02:00.000Z");
}

TEST(CsvWriterTest, WritesRowsWithCrLf) {
  std::ostringstream out;
  CsvWriter writer(out);
  writer.writeRow({"time", "user", "details"});
  writer.writeRow({"2026-11-29T10:02:00.000Z", "p-3f9a2c1b7e", "{\"app\":\"crm\",\"x\":1}"});
  writer.writeRow({"", "=cmd", ""});
  EXPECT_TRUE(writer.ok());
  EXPECT_EQ(out.str(),
            "time,user,details\r\n"
            "2026-11-29T10:02:00.000Z,p-3f9a2c1b7e,\"{\"\"app\"\":\"\"crm\"\",\"\"x\"\":1}\"\r\n"
            ",'=cmd,\r\n");
}

}  // namespace
}  // namespace vigie::ctl
