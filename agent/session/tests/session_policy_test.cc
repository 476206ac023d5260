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

TEST(SessionPolicyTest, DefaultsAreTheNarrowOnes) {
  auto policy = parseSessionPolicy(R"j({"policy_version": "v"})j", kUser);
  ASSERT_TRUE(policy.isOk());
  EXPECT_TRUE(policy->applications.empty());
  EXPECT_EQ(policy->clipboard, ClipboardSources::kNamed);
  EXPECT_FALSE(policy->print);
  EXPECT_TRUE(policy->watched_places.empty());
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
            "focus: must be true or false"}));

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
}

}  // namespace
}  // namespace vigie::session
