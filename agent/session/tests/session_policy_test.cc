#include "session_policy.h"

#include <gtest/gtest.h>

namespace vigie::session {
namespace {

const UserDirectories kUser{"/home/amelie", "amelie"};

constexpr char kPolicy[] = R"j({
  "policy_version": "2026-11-a",
  "applications": [
    {"app": "crm-web", "brand": "Acme Energie", "process": "^chromium$", "title": "Acme CRM",
     "source_urls": ["^https://crm\\.acme\\.example/"],
     "screens": [{"screen": "customer", "mode": "edit", "title": "Client (C-[0-9]+)",
                  "keep_title": true}]},
    {"app": "mail", "process": "^thunderbird$", "focus": true}
  ],
  "clipboard": "all",
  "print": true,
  "watched_places": [
    {"path": "~/Downloads/", "class": "downloads"},
    {"path": "/media/$USER", "class": "removable", "mount_points": true}
  ]
})j";

TEST(SessionPolicyTest, ReadsAWholePolicy) {
  auto policy = parseSessionPolicy(kPolicy, kUser);
  ASSERT_TRUE(policy.isOk()) << policy.status().toString();
  EXPECT_EQ(policy->version, "2026-11-a");
  ASSERT_EQ(policy->applications.size(), 2u);
  const ApplicationRule& crm = policy->applications[0];
  EXPECT_EQ(crm.brand, "Acme Energie");
  ASSERT_EQ(crm.screens.size(), 1u);
  EXPECT_EQ(crm.screens[0].mode, protocol::CrmMode::kEdit);
  EXPECT_TRUE(crm.screens[0].keep_title);
  EXPECT_TRUE(crm.title.has_value());
  EXPECT_EQ(crm.source_urls.size(), 1u);
  EXPECT_TRUE(policy->applications[1].focus);
  EXPECT_EQ(policy->clipboard, ClipboardSources::kAll);
  EXPECT_TRUE(policy->print);
  ASSERT_EQ(policy->watched_places.size(), 2u);
  EXPECT_EQ(policy->watched_places[0].path, "/home/amelie/Downloads");
  EXPECT_EQ(policy->watched_places[1].path, "/media/amelie");
  EXPECT_EQ(policy->watched_places[1].path_class, protocol::PathClass::kRemovable);
  EXPECT_TRUE(policy->watched_places[1].mount_points);
}

TEST(SessionPolicyTest, ReadsTheNoticeThePeriodsAndWhatTheCollectorSets) {
  auto policy = parseSessionPolicy(R"j({
    "policy_version": "2026-12-a",
    "notice": {"controller": "Acme Contact SAS", "contact": "dpo@acme.example",
               "purposes": ["Security of customer data"], "recipients": ["Security team"]},
    "recording_periods": [
      {"days": ["mon", "fri"], "start": "09:00", "end": "12:30", "what": "Calls recorded"},
      {"days": ["sun"], "start": "22:00", "end": "24:00", "what": "Night shift"}],
    "serial": 4, "activated": "2026-12-01T08:00:00Z",
    "retention_days": {"access": 183, "alerts": 365},
    "upload": {"batch_events": 2000}, "queue": {"max_age_days": 30}
  })j",
                                   kUser);
  ASSERT_TRUE(policy.isOk()) << policy.status().toString();
  ASSERT_TRUE(policy->notice.has_value());
  EXPECT_EQ(policy->notice->controller, "Acme Contact SAS");
  EXPECT_EQ(policy->notice->contact, "dpo@acme.example");
  EXPECT_EQ(policy->notice->purposes, std::vector<std::string>{"Security of customer data"});
  EXPECT_EQ(policy->notice->recipients, std::vector<std::string>{"Security team"});
  ASSERT_EQ(policy->recording_periods.size(), 2u);
  const RecordingPeriod& morning = policy->recording_periods[0];
  EXPECT_EQ(morning.days, 0b0010001);
  EXPECT_TRUE(morning.onDay(0));
  EXPECT_FALSE(morning.onDay(1));
  EXPECT_EQ(morning.start_minute, 9 * 60);
  EXPECT_EQ(morning.end_minute, 12 * 60 + 30);
  EXPECT_EQ(morning.what, "Calls recorded");
  EXPECT_EQ(policy->recording_periods[1].end_minute, 24 * 60);
  EXPECT_EQ(policy->serial, 4u);
  EXPECT_EQ(policy->activated, "2026-12-01T08:00:00Z");
  ASSERT_EQ(policy->retention_days.size(), 2u);
  EXPECT_EQ(policy->retention_days[1].event_class, "alerts");
  EXPECT_EQ(policy->retention_days[1].days, 365u);
  EXPECT_EQ(noticeVersion(*policy), "4/2026-12-a");
}

TEST(SessionPolicyTest, DefaultsAreTheNarrowOnes) {
  auto policy = parseSessionPolicy(R"j({"policy_version": "v"})j", kUser);
  ASSERT_TRUE(policy.isOk());
  EXPECT_TRUE(policy->applications.empty());
  EXPECT_EQ(policy->clipboard, ClipboardSources::kNamed);
  EXPECT_FALSE(policy->print);
  EXPECT_TRUE(policy->watched_places.empty());
  EXPECT_FALSE(policy->notice.has_value());
  EXPECT_TRUE(policy->recording_periods.empty());
  EXPECT_EQ(policy->serial, 0u);
  EXPECT_EQ(noticeVersion(*policy), "0/v");
}

struct BadPolicy {
  const char* json;
  const char* message;
};

class SessionPolicyErrorTest : public ::testing::TestWithParam<BadPolicy> {};

TEST_P(SessionPolicyErrorTest, NamesTheProblem) {
  auto policy = parseSessionPolicy(GetParam().json, kUser);
  ASSERT_FALSE(policy.isOk());
  EXPECT_EQ(policy.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(policy.status().message().find(GetParam().message), std::string::npos)
      << policy.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    Errors, SessionPolicyErrorTest,
    ::testing::Values(
        BadPolicy{"not json", "policy: "}, BadPolicy{"{}", "policy_version: required"},
        BadPolicy{R"j({"policy_version":"v","extra":1})j", "extra: unknown member"},
        BadPolicy{R"j({"policy_version":"v","applications":[{"app":"a","process":"("}]})j",
                  "applications[0].process: invalid regular expression"},
        BadPolicy{R"j({"policy_version":"v","applications":[{"app":"a","brand":"b","process":"x",
                     "screens":[{"screen":"s","title":"no group"}]}]})j",
                  "applications[0].screens[0].title: needs a capture group"},
        BadPolicy{R"j({"policy_version":"v","applications":[{"app":"a","process":"x",
                     "screens":[{"screen":"s","title":"(x)"}]}]})j",
                  "applications[0].brand: required when"},
        BadPolicy{R"j({"policy_version":"v","applications":[{"app":"a","brand":"b","process":"x",
                     "screens":[{"screen":"s","mode":"delete","title":"(x)"}]}]})j",
                  "mode: unknown value \"delete\""},
        BadPolicy{R"j({"policy_version":"v","clipboard":"some"})j", "clipboard: must be"},
        BadPolicy{
            R"j({"policy_version":"v","watched_places":[{"path":"rel","class":"downloads"}]})j",
            "watched_places[0].path: must be absolute"},
        BadPolicy{R"j({"policy_version":"v","watched_places":[{"path":"/x","class":"usb"}]})j",
                  "watched_places[0].class: unknown value"},
        BadPolicy{R"j({"policy_version":"v","applications":{}})j",
                  "applications: must be an array"},
        BadPolicy{
            R"j({"policy_version":"v","applications":[{"app":"a","process":"x","focus":1}]})j",
            "focus: must be true or false"},
        BadPolicy{R"j({"policy_version":"v","notice":{"contact":"c","purposes":["p"]}})j",
                  "notice.controller: required"},
        BadPolicy{R"j({"policy_version":"v","notice":{"controller":"c","contact":"c",
                     "purposes":[]}})j",
                  "notice.purposes: required, at least one"},
        BadPolicy{R"j({"policy_version":"v","notice":{"controller":"c","contact":"c",
                     "purposes":["p", 3]}})j",
                  "notice.purposes[1]: must be a string"},
        BadPolicy{R"j({"policy_version":"v","notice":{"controller":"c","contact":"c",
                     "purposes":["p"],"email":"x"}})j",
                  "notice.email: unknown member"},
        BadPolicy{R"j({"policy_version":"v","recording_periods":[{"days":["mon"],
                     "start":"9:00","end":"12:00","what":"w"}]})j",
                  "recording_periods[0].start: must be \"HH:MM\""},
        BadPolicy{R"j({"policy_version":"v","recording_periods":[{"days":["mon"],
                     "start":"09:00","end":"24:01","what":"w"}]})j",
                  "recording_periods[0].end: not a time of day"},
        BadPolicy{R"j({"policy_version":"v","recording_periods":[{"days":["mon"],
                     "start":"24:00","end":"24:00","what":"w"}]})j",
                  "recording_periods[0].start: not a time of day"},
        BadPolicy{R"j({"policy_version":"v","recording_periods":[{"days":["mon"],
                     "start":"12:00","end":"12:00","what":"w"}]})j",
                  "recording_periods[0].end: must be after start"},
        BadPolicy{R"j({"policy_version":"v","recording_periods":[{"days":["mon","tue","mon"],
                     "start":"09:00","end":"12:00","what":"w"}]})j",
                  "recording_periods[0].days[2]: \"mon\" given twice"},
        BadPolicy{R"j({"policy_version":"v","recording_periods":[{"days":["monday"],
                     "start":"09:00","end":"12:00","what":"w"}]})j",
                  "recording_periods[0].days[0]: unknown day"},
        BadPolicy{R"j({"policy_version":"v","recording_periods":[{"days":[],
                     "start":"09:00","end":"12:00","what":"w"}]})j",
                  "recording_periods[0].days: required"},
        BadPolicy{R"j({"policy_version":"v","recording_periods":[{"days":["sat"],
                     "start":"09:00","end":"12:00"}]})j",
                  "recording_periods[0].what: required"},
        BadPolicy{R"j({"policy_version":"v","recording_periods":{}})j",
                  "recording_periods: must be an array"},
        BadPolicy{R"j({"policy_version":"v","serial":"4"})j",
                  "serial: must be a non-negative integer"},
        BadPolicy{R"j({"policy_version":"v","activated":"yesterday"})j",
                  "activated: must be a UTC time"},
        BadPolicy{R"j({"policy_version":"v","retention_days":{"access":0}})j",
                  "retention_days.access: must be a number of days"},
        BadPolicy{R"j({"policy_version":"v","retention_days":[183]})j",
                  "retention_days: must be an object"}));

// One policy serves Linux and Windows workstations: "~" is the person's profile folder on both,
// and Windows drive paths are absolute.
TEST(SessionPolicyTest, WindowsPathsAndProfilesAreUnderstood) {
  auto policy = parseSessionPolicy(R"j({"policy_version": "v", "watched_places": [
      {"path": "~\\Downloads\\", "class": "downloads"},
      {"path": "D:/Exports/$USER/", "class": "network_share"},
      {"path": "E:\\", "class": "removable"},
      {"path": "\\\\files\\exports", "class": "network_share"}]})j",
                                   UserDirectories{R"(C:\Users\amelie)", "amelie"});
  ASSERT_TRUE(policy.isOk()) << policy.status().toString();
  ASSERT_EQ(policy->watched_places.size(), 4u);
  EXPECT_EQ(policy->watched_places[0].path, R"(C:\Users\amelie\Downloads)");
  EXPECT_EQ(policy->watched_places[1].path, "D:/Exports/amelie");
  EXPECT_EQ(policy->watched_places[2].path, R"(E:\)");  // a drive's root keeps its separator
  EXPECT_EQ(policy->watched_places[3].path, R"(\\files\exports)");
  for (const char* relative : {R"(Downloads\x)", "C:relative", R"(\\)", "1:/x"}) {
    const std::string text = R"j({"policy_version": "v", "watched_places": [{"path": ")j" +
                             std::string(relative) + R"j(", "class": "downloads"}]})j";
    std::string escaped;
    for (const char c : text) escaped += c == '\\' ? std::string("\\\\") : std::string(1, c);
    auto refused = parseSessionPolicy(escaped, kUser);
    ASSERT_FALSE(refused.isOk()) << relative;
    EXPECT_NE(refused.status().message().find("must be absolute"), std::string::npos) << relative;
  }
}

TEST(SessionPolicyTest, AMissingFileIsNotFound) {
  auto policy = loadSessionPolicy("/nonexistent/policy.json", kUser);
  ASSERT_FALSE(policy.isOk());
  EXPECT_EQ(policy.status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace vigie::session

namespace vigie::session {
namespace {

TEST(SessionPolicyTest, TheShippedExamplePolicyIsValid) {
  auto policy = loadSessionPolicy(VIGIE_EXAMPLE_POLICY, kUser);
  ASSERT_TRUE(policy.isOk()) << policy.status().toString();
  EXPECT_EQ(policy->applications.size(), 2u);
  EXPECT_EQ(policy->watched_places.front().path, "/home/amelie/Downloads");
  ASSERT_TRUE(policy->notice.has_value());
  EXPECT_FALSE(policy->notice->purposes.empty());
  EXPECT_EQ(policy->recording_periods.size(), 1u);
}

}  // namespace
}  // namespace vigie::session
