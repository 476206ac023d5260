#include "fleet/workstation_policies.h"

#include <gtest/gtest.h>

#include "audit_fixture.h"
#include "fleet/compliance_pack.h"
#include "vigie/protocol/hex.h"
#include "vigie/protocol/json.h"

namespace vigie::collector {
namespace {

namespace json = protocol::json;

constexpr char kPolicy[] = R"json({
  "policy_version": "site-2026-12",
  "applications": [{"app": "crm-web", "brand": "Acme", "process": "^chromium$",
                    "screens": [{"screen": "customer", "title": "^Client (C-[0-9]+)"}]}],
  "clipboard": "named",
  "print": true,
  "watched_places": [{"path": "~/Downloads", "class": "downloads"}],
  "notice": {"controller": "Acme Contact SAS", "contact": "dpo@acme-contact.example",
             "purposes": ["Security of the customer data of our clients"],
             "recipients": ["Information security team"]},
  "recording_periods": [{"days": ["mon", "tue"], "start": "09:00", "end": "12:30",
                         "what": "Calls may be recorded for quality"}],
  "upload": {"batch_events": 500, "linger_ms": 250},
  "queue": {"max_age_days": 14}
})json";

class WorkstationPoliciesTest : public AuditFixtureOnBoth {
 protected:
  void SetUp() override {
    AuditFixture::SetUp();
    auto ca = crypto::CertificateAuthority::create("Test collector CA", 30);
    ASSERT_TRUE(ca.isOk());
    ca_ = std::make_unique<crypto::CertificateAuthority>(std::move(ca).value());
  }

  StatusOr<SignedPolicy> activate(std::string_view document) {
    auto retention = audit_->retention.classes();
    EXPECT_TRUE(retention.isOk());
    auto activation = audit_->policies.activate(document, *retention, *ca_, "admin1");
    if (!activation.isOk()) return activation.status();
    EXPECT_FALSE(activation->unchanged);
    return activation->policy;
  }

  std::unique_ptr<crypto::CertificateAuthority> ca_;
};

TEST_P(WorkstationPoliciesTest, ActivationCompletesSignsAndNumbersThePolicy) {
  EXPECT_EQ(audit_->policies.activeSerial().value(), 0);
  EXPECT_FALSE(audit_->policies.active().value().has_value());
  clock_.set(utc("2026-12-02T08:00:00.000Z"));
  auto first = activate(kPolicy);
  ASSERT_TRUE(first.isOk()) << first.status().toString();
  EXPECT_EQ(first->serial, 1);
  EXPECT_EQ(first->version, "site-2026-12");
  // The same document again changes nothing: agents would re-apply it and notify everyone.
  auto retention = audit_->retention.classes().value();
  clock_.advance(kHourMs);
  auto again = audit_->policies.activate(kPolicy, retention, *ca_, "admin2");
  ASSERT_TRUE(again.isOk());
  EXPECT_TRUE(again->unchanged);
  EXPECT_EQ(again->policy.serial, 1);
  EXPECT_EQ(again->policy.activated_by, "admin1");
  // A retention change is news for the notices: a new serial.
  ASSERT_TRUE(audit_->retention.set("access", 300, "", "dpo1").isOk());
  auto second = activate(kPolicy);
  ASSERT_TRUE(second.isOk());
  EXPECT_EQ(second->serial, 2);

  auto active = audit_->policies.active();
  ASSERT_TRUE(active.isOk() && active->has_value());
  EXPECT_EQ((*active)->serial, 2);
  EXPECT_EQ(audit_->policies.activeSerial().value(), 2);
  // What the collector vouches for comes first; the administrator's members follow unchanged.
  auto document = json::parse((*active)->document);
  ASSERT_TRUE(document.isOk());
  ASSERT_GE(document->object.size(), 4u);
  EXPECT_EQ(document->object[0].first, "serial");
  EXPECT_EQ(document->object[0].second.magnitude, 2u);
  EXPECT_EQ(document->object[1].first, "activated");
  EXPECT_EQ(document->object[1].second.string, "2026-12-02T09:00:00.000Z");
  EXPECT_EQ(document->object[2].first, "retention_days");
  const json::Value* access = document->object[2].second.find("access");
  ASSERT_NE(access, nullptr);
  EXPECT_EQ(access->magnitude, 300u);
  EXPECT_EQ(document->object[3].first, "policy_version");

  // The signature holds for the document with the CA certificate agents pinned, and only it.
  std::vector<uint8_t> signature((*active)->signature.size() / 2);
  ASSERT_TRUE(protocol::parseHex("signature", (*active)->signature, signature).isOk());
  EXPECT_TRUE(
      crypto::verifySignature(ca_->certificatePem(), (*active)->document, signature).isOk());
  EXPECT_FALSE(
      crypto::verifySignature(ca_->certificatePem(), (*active)->document + " ", signature).isOk());

  auto history = audit_->policies.history();
  ASSERT_TRUE(history.isOk());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].serial, 2);
  EXPECT_EQ((*history)[1].activated_by, "admin1");
}

TEST_P(WorkstationPoliciesTest, BadDocumentsAreRefusedByNameAndNothingIsActivated) {
  const std::pair<std::string, std::string> cases[] = {
      {"not json", "policy:"},
      {"[]", "must be a JSON object"},
      {R"({"serial": 9, "policy_version": "x"})", "serial: set by the collector"},
      {R"({"policy_version": "x", "retention_days": {}})", "retention_days: set by the collector"},
      {R"j({"policy_version": "x", "applications": [{"app": "a", "process": "("}]})j",
       "applications[0].process"},
      {R"({"policy_version": "x", "upload": {"batch_events": 0}})", "upload.batch_events"},
      {R"({"policy_version": "x", "queue": {"max_age_days": 5000}})", "queue.max_age_days"},
      {R"({"policy_version": "x", "queue": {"keep": 1}})", "queue.keep: unknown member"},
      {R"({"policy_version": "x", "surprise": 1})", "surprise: unknown member"},
  };
  for (const auto& [document, expected] : cases) {
    auto refused = activate(document);
    ASSERT_FALSE(refused.isOk()) << document;
    EXPECT_EQ(refused.status().code(), Status::Code::kInvalidArgument) << document;
    EXPECT_NE(refused.status().message().find(expected), std::string::npos)
        << document << " -> " << refused.status().message();
  }
  EXPECT_EQ(audit_->policies.activeSerial().value(), 0);
  EXPECT_TRUE(audit_->policies.history().value().empty());
}

TEST_P(WorkstationPoliciesTest, CompliancePackSaysWhatThePolicyAndRetentionSay) {
  ASSERT_TRUE(audit_->retention.set("exports", 300, "", "dpo1").isOk());
  ASSERT_TRUE(audit_->retention.set("access", 183, "", "dpo1").isOk());
  auto policy = activate(kPolicy);
  ASSERT_TRUE(policy.isOk());
  auto pack = buildCompliancePack(*policy, audit_->retention.classes().value());
  ASSERT_TRUE(pack.isOk()) << pack.status().toString();
  for (const std::string* text : {&pack->processing, &pack->notice, &pack->dpia}) {
    EXPECT_NE(text->find("site-2026-12 (serial 1"), std::string::npos) << *text;
  }
  EXPECT_NE(pack->processing.find("Acme Contact SAS"), std::string::npos);
  EXPECT_NE(pack->processing.find("- Security of the customer data of our clients"),
            std::string::npos);
  EXPECT_NE(pack->processing.find("- Information security team"), std::string::npos);
  EXPECT_NE(pack->processing.find("crm-web (CRM of Acme)"), std::string::npos);
  EXPECT_NE(pack->processing.find("| exports | 300 days |"), std::string::npos);
  EXPECT_NE(pack->processing.find("| access | 183 days |"), std::string::npos);
  EXPECT_NE(pack->processing.find("Print jobs**: printer"), std::string::npos);
  EXPECT_NE(pack->notice.find("mon, tue 09:00-12:30: Calls may be recorded for quality"),
            std::string::npos);
  EXPECT_NE(pack->notice.find("dpo@acme-contact.example"), std::string::npos);
  EXPECT_NE(pack->dpia.find("Purposes declared: 1"), std::string::npos);

  // A policy without notice or periods says what is missing instead of inventing it.
  auto bare = activate(R"({"policy_version": "bare", "clipboard": "none"})");
  ASSERT_TRUE(bare.isOk());
  auto bare_pack = buildCompliancePack(*bare, audit_->retention.classes().value());
  ASSERT_TRUE(bare_pack.isOk());
  EXPECT_NE(bare_pack->processing.find("no purpose declared"), std::string::npos);
  EXPECT_NE(bare_pack->processing.find("Clipboard copies**: not recorded"), std::string::npos);
  EXPECT_NE(bare_pack->notice.find("No period is declared"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, WorkstationPoliciesTest, kBothBackends, backendName);

}  // namespace
}  // namespace vigie::collector
