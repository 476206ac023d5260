#include "detection_files.h"

#include <gtest/gtest.h>

namespace vigie::ctl {
namespace {

TEST(CallsCsvTest, RowsBecomeTheApisJsonLines) {
  auto lines = parseCallsCsv(
      "agent, id ,start,end,record_id\n"
      "jdupont,T-1,2026-03-02T09:00:00.000Z,2026-03-02T09:05:00.000Z,C-1042\n"
      "\n"
      "mmartin,T-2,2026-03-02T10:00:00.000Z,2026-03-02T10:00:00.000Z,\n");
  ASSERT_TRUE(lines.isOk()) << lines.status().toString();
  ASSERT_EQ(lines->size(), 2u);
  EXPECT_EQ((*lines)[0].line, 2u);
  EXPECT_EQ((*lines)[0].text, R"({"id":"T-1","agent":"jdupont","start":"2026-03-02T09:00:00.000Z",)"
                              R"("end":"2026-03-02T09:05:00.000Z","record_id":"C-1042"})");
  EXPECT_EQ((*lines)[1].line, 4u);
  EXPECT_EQ((*lines)[1].text.find("record_id"), std::string::npos);
}

TEST(CallsCsvTest, ABadRowRefusesTheFileNamingItsLine) {
  const std::string header = "id,kind,agent,start,end\n";
  const std::string good = "T-1,call,jdupont,2026-03-02T09:00:00.000Z,2026-03-02T09:05:00.000Z\n";
  auto refused = [&](const std::string& row) {
    auto lines = parseCallsCsv(header + good + row);
    EXPECT_FALSE(lines.isOk()) << row;
    return lines.isOk() ? std::string() : lines.status().message();
  };
  EXPECT_EQ(refused("T-2,fax,jdupont,2026-03-02T09:00:00.000Z,2026-03-02T09:05:00.000Z\n"),
            "line 3: bad kind 'fax' (expected call, ticket or callback)");
  EXPECT_EQ(refused(",call,jdupont,2026-03-02T09:00:00.000Z,2026-03-02T09:05:00.000Z\n"),
            "line 3: missing id");
  EXPECT_NE(refused("T-2,call,jdupont,2026-03-02 09:00,2026-03-02T09:05:00.000Z\n")
                .find("line 3: bad start"),
            std::string::npos);
  EXPECT_EQ(refused("T-2,call,jdupont,2026-03-02T09:05:00.000Z,2026-03-02T09:00:00.000Z\n"),
            "line 3: end must be after start, within 24 hours");
  EXPECT_EQ(refused("T-2,call,jdupont,2026-03-02T09:00:00.000Z\n"),
            "line 3: expected 5 cells, got 4");
  auto phone = parseCallsCsv("id,agent,start,end,phone\n");
  ASSERT_FALSE(phone.isOk());
  EXPECT_NE(phone.status().message().find("line 1: unknown column 'phone'"), std::string::npos);
  auto no_agent = parseCallsCsv("id,start,end\n");
  ASSERT_FALSE(no_agent.isOk());
  EXPECT_EQ(no_agent.status().message(), "line 1: missing column 'agent'");
}

TEST(ShiftsCsvTest, DaysAndClocksAreChecked) {
  auto lines = parseShiftsCsv(
      "who,days,start,end\n"
      "jdupont,mon-fri,08:00,16:30\n"
      "team:nuit,\"fri-mon,wed\",22:00,06:00\n");
  ASSERT_TRUE(lines.isOk()) << lines.status().toString();
  ASSERT_EQ(lines->size(), 2u);
  EXPECT_EQ((*lines)[1].text,
            R"({"who":"team:nuit","days":"fri-mon,wed","start":"22:00","end":"06:00"})");
  EXPECT_EQ(parseShiftsCsv("who,days,start,end\njdupont,weekdays,08:00,16:30\n").status().message(),
            "line 2: bad days 'weekdays' (expected like mon-fri or mon,wed,sat)");
  EXPECT_EQ(parseShiftsCsv("who,days,start,end\njdupont,mon,8:00,16:30\n").status().message(),
            "line 2: bad start '8:00' (expected HH:MM)");
  EXPECT_EQ(parseShiftsCsv("who,days,start,end\nteam:,mon,08:00,16:30\n").status().message(),
            "line 2: who must be a login or team:NAME");
}

}  // namespace
}  // namespace vigie::ctl
