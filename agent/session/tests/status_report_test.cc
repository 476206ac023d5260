#include "status_report.h"

#include <gtest/gtest.h>

#include "fixed_zone.h"
#include "vigie/protocol/my_data.h"

namespace vigie::session {
namespace {

using testing::FixedZone;
using testing::utcMillis;

std::vector<std::string> answerLines() {
  const int64_t nine = utcMillis(2026, 12, 7, 8, 0);
  return {
      protocol::myDataHeaderLine({"alice", nine - 3'600'000, 2, 3}),
      protocol::myDataEntryLine({1, nine, "7", protocol::EventType::kSessionLogon, "{}"}),
      protocol::myDataEntryLine(
          {2, nine + 61'000, "7", protocol::EventType::kCrmView,
           R"({"app":"crm-web","screen":"customer","record_id":"C-1","mode":"view","brand":"Acme"})"}),
      protocol::myDataEntryLine(
          {3, nine + 62'000, "7", protocol::EventType::kClipboardCopy,
           R"({"source_app":"crm-web","formats":["UTF8_STRING","TEXT"],"size_bytes":40,"pii":{"email":1,"phone_fr":0,"iban":1,"payment_card":0,"nir":0}})"})};
}

TEST(StatusReportTest, MyDataListsEachEntryInLocalTimeWithItsData) {
  auto data = decodeMyData(answerLines());
  ASSERT_TRUE(data.isOk()) << data.status().toString();
  const std::string text = myDataText(*data, FixedZone(60));
  EXPECT_NE(text.find("about alice today, since 08:00:00 (3 events)"), std::string::npos) << text;
  EXPECT_NE(text.find("09:00:00  session.logon\n"), std::string::npos) << text;
  EXPECT_NE(text.find("09:01:01  crm.view  app crm-web, screen customer, record_id C-1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("formats UTF8_STRING,TEXT, size_bytes 40, pii email:1 iban:1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("2 earlier events"), std::string::npos) << text;
  const std::string json = myDataJson(*data);
  EXPECT_EQ(json.rfind(R"({"user":"alice","since":")", 0), 0u) << json;
  EXPECT_NE(json.find(R"("dropped":2,"entries":[{"seq":1,)"), std::string::npos) << json;
}

TEST(StatusReportTest, AnAnswerThatDoesNotAddUpIsRefused) {
  auto lines = answerLines();
  lines.pop_back();
  EXPECT_FALSE(decodeMyData(lines).isOk());
  EXPECT_FALSE(decodeMyData({}).isOk());
}

TEST(StatusReportTest, StatusGivesThePolicyItsPeriodsAndTodaysCounts) {
  SessionPolicy policy;
  policy.version = "2026-12-a";
  policy.serial = 4;
  policy.notice = NoticeText{"Acme Contact SAS", "dpo@acme.example", {"Security"}, {}};
  policy.recording_periods = {{0b0011111, 9 * 60, 12 * 60 + 30, "Calls recorded"}};
  const FixedZone zone(60);
  const std::string text =
      statusText(policy, "/run/vigie-agent/policy.json", decodeMyData(answerLines()), zone,
                 utcMillis(2026, 12, 7, 10, 0));
  EXPECT_NE(text.find("Policy in force: 2026-12-a (serial 4, notice version 4/2026-12-a)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Purpose: Security\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Contact: dpo@acme.example\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Call recording: in progress, 09:00 to 12:30 today: Calls recorded"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Next recording period: Tue 09:00 to 12:30"), std::string::npos) << text;
  EXPECT_NE(text.find("  crm.view          1\n"), std::string::npos) << text;
  const std::string offline = statusText(policy, "p", Status::notFound("cannot connect"), zone, 0);
  EXPECT_NE(offline.find("Recorded about you today: unknown (cannot connect)"), std::string::npos)
      << offline;
}

}  // namespace
}  // namespace vigie::session
