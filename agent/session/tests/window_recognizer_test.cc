#include "window_recognizer.h"

#include <gtest/gtest.h>

namespace vigie::session {
namespace {

SessionPolicy examplePolicy() {
  auto policy = parseSessionPolicy(R"j({
    "policy_version": "t",
    "applications": [
      {"app": "crm-web", "brand": "Acme", "process": "^chromium$", "title": "- Acme CRM",
       "source_urls": ["^https://crm\\.acme\\.example/"],
       "screens": [{"screen": "customer", "title": "^Client (C-[0-9]+)"},
                   {"screen": "contract", "mode": "edit", "title": "^Contrat (K-[0-9]+)",
                    "keep_title": true}]},
      {"app": "crm-desktop", "brand": "Bravo", "process": "^CrmDesktop$", "focus": true,
       "screens": [{"screen": "customer", "title": "^Fiche ([0-9]+)"}]},
      {"app": "softphone", "process": "^linphone$"}
    ]})j",
                                   UserDirectories{"/home/u", "u"});
  EXPECT_TRUE(policy.isOk()) << policy.status().toString();
  return std::move(policy).value();
}

platform::ForegroundWindow window(std::string process, std::string window_class,
                                  std::string title) {
  platform::ForegroundWindow w;
  w.process = std::move(process);
  w.window_class = std::move(window_class);
  w.title = std::move(title);
  return w;
}

TEST(WindowRecognizerTest, ACrmScreenGivesTheRecordAndDropsTheTitle) {
  const SessionPolicy policy = examplePolicy();
  auto seen = recognizeWindow(policy, window("chromium", "Chromium", "Client C-1042 - Acme CRM"));
  ASSERT_TRUE(seen.has_value());
  EXPECT_EQ(seen->type, protocol::EventType::kCrmView);
  const auto& view = std::get<protocol::CrmView>(seen->data);
  EXPECT_EQ(view.app, "crm-web");
  EXPECT_EQ(view.screen, "customer");
  EXPECT_EQ(view.record_id, "C-1042");
  EXPECT_EQ(view.mode, protocol::CrmMode::kView);
  EXPECT_EQ(view.brand, "Acme");
  EXPECT_FALSE(view.title.has_value());
}

TEST(WindowRecognizerTest, ARuleCanKeepTheTitleAndSayEdit) {
  const SessionPolicy policy = examplePolicy();
  auto seen = recognizeWindow(policy, window("chromium", "", "Contrat K-7 - Acme CRM"));
  ASSERT_TRUE(seen.has_value());
  const auto& view = std::get<protocol::CrmView>(seen->data);
  EXPECT_EQ(view.mode, protocol::CrmMode::kEdit);
  EXPECT_EQ(view.title, "Contrat K-7 - Acme CRM");
}

TEST(WindowRecognizerTest, TheWindowClassAlsoNamesTheApplication) {
  const SessionPolicy policy = examplePolicy();
  auto seen = recognizeWindow(policy, window("xterm", "CrmDesktop", "Fiche 88"));
  ASSERT_TRUE(seen.has_value());
  EXPECT_EQ(std::get<protocol::CrmView>(seen->data).record_id, "88");
  // No screen matches: a named work tool with focus=true gives app.focus, without the title.
  seen = recognizeWindow(policy, window("xterm", "CrmDesktop", "Recherche"));
  ASSERT_TRUE(seen.has_value());
  EXPECT_EQ(seen->type, protocol::EventType::kAppFocus);
  EXPECT_FALSE(std::get<protocol::AppFocus>(seen->data).title.has_value());
}

TEST(WindowRecognizerTest, WhatThePolicyDoesNotNameIsNotRecorded) {
  const SessionPolicy policy = examplePolicy();
  // Another site in the same browser: the application title pattern does not match.
  EXPECT_FALSE(recognizeWindow(policy, window("chromium", "Chromium", "Client C-1 - Webmail")));
  // A named application without focus=true and no screen.
  EXPECT_FALSE(recognizeWindow(policy, window("linphone", "", "Appel en cours")));
  // An application the policy does not name at all.
  EXPECT_FALSE(recognizeWindow(policy, window("gimp", "Gimp", "Client C-1042 - Acme CRM")));
}

TEST(WindowRecognizerTest, CopiesBelongToTheApplicationOfTheirPage) {
  const SessionPolicy policy = examplePolicy();
  platform::ClipboardChange change;
  change.owner_process = "chromium";
  change.source_url = "https://crm.acme.example/customers/C-1";
  const ApplicationRule* app = applicationOfCopy(policy, change);
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->app, "crm-web");
  change.source_url = "https://webmail.example/";
  EXPECT_EQ(applicationOfCopy(policy, change), nullptr);  // the browser, but not the CRM
  change.source_url.reset();
  change.owner_process = "xterm";
  change.owner_class = "CrmDesktop";
  app = applicationOfCopy(policy, change);
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->app, "crm-desktop");
}

}  // namespace
}  // namespace vigie::session
