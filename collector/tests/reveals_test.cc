#include "audit/reveals.h"

#include <gtest/gtest.h>

#include "audit_fixture.h"

namespace vigie::collector {
namespace {

constexpr char kReason[] = "case 2026-114: complaint from customer C-1042";

class RevealsTest : public AuditFixtureOnBoth {
 protected:
  void SetUp() override {
    AuditFixture::SetUp();
    if (HasFatalFailure()) return;
    // jdupont is known to the store through the CRM's audit feed only.
    storeCrm("acme", {crmRecord("A-77", utc("2026-11-29T10:04:00.000Z"), "jdupont", "C-1042",
                                "update", {"iban"})});
    pseudonym_ = audit_->pseudonyms.of("jdupont");
  }

  int64_t request(const Principal& by) {
    auto id = audit_->reveals.request(by, pseudonym_, kReason);
    EXPECT_TRUE(id.isOk()) << id.status().toString();
    return id.isOk() ? *id : 0;
  }

  std::optional<std::string> identitySeenBy(const Principal& by, int64_t id) {
    auto shown = audit_->reveals.show(by, id);
    EXPECT_TRUE(shown.isOk()) << shown.status().toString();
    return shown.isOk() ? shown->identity : std::nullopt;
  }

  std::string pseudonym_;
  const Principal auditor_{"anne", Role::kAuditor, "acme"};
  const Principal other_auditor_{"paul", Role::kAuditor, "acme"};
  const Principal dpo_{"marie", Role::kDpo, ""};
  const Principal acme_dpo_{"claire", Role::kDpo, "acme"};
  const Principal zeta_dpo_{"zoe", Role::kDpo, "zeta"};
};

TEST_P(RevealsTest, PseudonymsLookLikeTheContractSays) {
  EXPECT_EQ(pseudonym_.size(), 12u);
  EXPECT_TRUE(Pseudonyms::looksLike(pseudonym_));
  EXPECT_EQ(audit_->pseudonyms.of("jdupont"), pseudonym_);
  EXPECT_NE(audit_->pseudonyms.of("jdupond"), pseudonym_);
  auto login = audit_->pseudonyms.loginOf(pseudonym_);
  ASSERT_TRUE(login.isOk());
  EXPECT_EQ(*login, "jdupont");
}

TEST_P(RevealsTest, BadRequestsAreRefused) {
  Reveals& reveals = audit_->reveals;
  for (const std::string& bad :
       {std::string("jdupont"), std::string(""), pseudonym_.substr(0, 11), pseudonym_ + "0",
        "P-" + pseudonym_.substr(2), std::string("p-ABCDEF0123"), std::string("p-abcdefg012"),
        "q-" + pseudonym_.substr(2)}) {
    EXPECT_EQ(reveals.request(auditor_, bad, kReason).status().code(),
              Status::Code::kInvalidArgument)
        << bad;
  }
  EXPECT_EQ(reveals.request(auditor_, pseudonym_, "too short").status().code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(reveals.request(auditor_, pseudonym_, std::string(501, 'r')).status().code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(reveals.request(auditor_, pseudonym_, "two lines\nof reason").status().code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(reveals.request(auditor_, audit_->pseudonyms.of("nobody"), kReason).status().code(),
            Status::Code::kNotFound);
  EXPECT_TRUE(reveals.list(auditor_)->empty());

  // The limits themselves are accepted.
  EXPECT_TRUE(reveals.request(auditor_, pseudonym_, "ten chars!").isOk());
  EXPECT_TRUE(reveals.request(auditor_, pseudonym_, std::string(500, 'r')).isOk());
}

TEST_P(RevealsTest, RequestIsPendingAndNamesItsRequester) {
  const int64_t id = request(auditor_);
  auto shown = audit_->reveals.show(auditor_, id);
  ASSERT_TRUE(shown.isOk());
  EXPECT_EQ(shown->id, id);
  EXPECT_EQ(shown->status, "pending");
  EXPECT_EQ(shown->pseudonym, pseudonym_);
  EXPECT_EQ(shown->reason, kReason);
  EXPECT_EQ(shown->requester, "anne");
  EXPECT_EQ(shown->requester_brand, "acme");
  EXPECT_EQ(shown->requested_ms, clock_.nowUnixMillis());
  EXPECT_EQ(shown->decider, "");
  EXPECT_FALSE(shown->identity.has_value());
}

TEST_P(RevealsTest, RequesterCannotApproveItsOwnRequest) {
  const int64_t id = request(dpo_);
  EXPECT_EQ(audit_->reveals.decide(dpo_, id, true).code(), Status::Code::kPermissionDenied);
  EXPECT_EQ(audit_->reveals.decide(dpo_, id, false).code(), Status::Code::kPermissionDenied);
  EXPECT_EQ(audit_->reveals.show(dpo_, id)->status, "pending");
  EXPECT_FALSE(identitySeenBy(dpo_, id).has_value());
}

TEST_P(RevealsTest, OnlyADpoOfTheRequestersBrandOrUnboundDecides) {
  const int64_t id = request(auditor_);
  EXPECT_EQ(audit_->reveals.decide(other_auditor_, id, true).code(),
            Status::Code::kPermissionDenied);
  EXPECT_EQ(audit_->reveals.decide({"root", Role::kAdmin, ""}, id, true).code(),
            Status::Code::kPermissionDenied);
  EXPECT_EQ(audit_->reveals.decide(zeta_dpo_, id, true).code(), Status::Code::kPermissionDenied);
  EXPECT_EQ(audit_->reveals.show(auditor_, id)->status, "pending");

  EXPECT_TRUE(audit_->reveals.decide(acme_dpo_, id, true).isOk());
  EXPECT_EQ(audit_->reveals.show(auditor_, id)->decider, "claire");

  // An unbound requester's request is not for a brand-bound dpo.
  const int64_t unbound = request(dpo_);
  EXPECT_EQ(audit_->reveals.decide(acme_dpo_, unbound, true).code(),
            Status::Code::kPermissionDenied);
  EXPECT_TRUE(audit_->reveals.decide({"hugo", Role::kDpo, ""}, unbound, true).isOk());
}

TEST_P(RevealsTest, ApprovedIdentityIsShownToRequesterAndApproverOnly) {
  const int64_t id = request(auditor_);
  EXPECT_FALSE(identitySeenBy(auditor_, id).has_value());
  ASSERT_TRUE(audit_->reveals.decide(dpo_, id, true).isOk());

  auto shown = audit_->reveals.show(auditor_, id);
  ASSERT_TRUE(shown.isOk());
  EXPECT_EQ(shown->status, "approved");
  EXPECT_EQ(shown->decider, "marie");
  EXPECT_EQ(shown->decided_ms, clock_.nowUnixMillis());
  EXPECT_EQ(shown->identity, "jdupont");
  EXPECT_EQ(identitySeenBy(dpo_, id), "jdupont");

  for (const Principal& third : {other_auditor_, acme_dpo_, Principal{"anne2", Role::kDpo, ""}}) {
    EXPECT_EQ(audit_->reveals.show(third, id).status().code(), Status::Code::kPermissionDenied)
        << third.user;
  }
}

TEST_P(RevealsTest, DeniedRequestShowsNoIdentity) {
  const int64_t id = request(auditor_);
  ASSERT_TRUE(audit_->reveals.decide(dpo_, id, false).isOk());
  auto shown = audit_->reveals.show(auditor_, id);
  ASSERT_TRUE(shown.isOk());
  EXPECT_EQ(shown->status, "denied");
  EXPECT_EQ(shown->decider, "marie");
  EXPECT_FALSE(shown->identity.has_value());
  EXPECT_FALSE(identitySeenBy(dpo_, id).has_value());
}

TEST_P(RevealsTest, IdentityIsShownFor24HoursAfterApproval) {
  const int64_t id = request(auditor_);
  clock_.advance(3 * kHourMs);  // approved some time after the request
  ASSERT_TRUE(audit_->reveals.decide(dpo_, id, true).isOk());
  clock_.advance(24 * kHourMs - 1);
  EXPECT_EQ(identitySeenBy(auditor_, id), "jdupont");
  clock_.advance(1);
  EXPECT_FALSE(identitySeenBy(auditor_, id).has_value());
  EXPECT_FALSE(identitySeenBy(dpo_, id).has_value());
  EXPECT_EQ(audit_->reveals.show(auditor_, id)->status, "approved");
}

TEST_P(RevealsTest, ADecidedRequestCannotBeDecidedAgain) {
  const int64_t approved = request(auditor_);
  ASSERT_TRUE(audit_->reveals.decide(dpo_, approved, true).isOk());
  EXPECT_EQ(audit_->reveals.decide(dpo_, approved, false).code(),
            Status::Code::kFailedPrecondition);
  EXPECT_EQ(audit_->reveals.decide(acme_dpo_, approved, true).code(),
            Status::Code::kFailedPrecondition);
  EXPECT_EQ(audit_->reveals.show(auditor_, approved)->decider, "marie");

  const int64_t denied = request(auditor_);
  ASSERT_TRUE(audit_->reveals.decide(dpo_, denied, false).isOk());
  EXPECT_EQ(audit_->reveals.decide(acme_dpo_, denied, true).code(),
            Status::Code::kFailedPrecondition);
  EXPECT_FALSE(identitySeenBy(auditor_, denied).has_value());
}

TEST_P(RevealsTest, UnknownRequestIsNotFound) {
  EXPECT_EQ(audit_->reveals.decide(dpo_, 42, true).code(), Status::Code::kNotFound);
  EXPECT_EQ(audit_->reveals.show(auditor_, 42).status().code(), Status::Code::kNotFound);
}

TEST_P(RevealsTest, ListShowsOwnRequestsAndForADpoThosePendingItMayDecide) {
  const int64_t anne_pending = request(auditor_);
  const int64_t anne_decided = request(auditor_);
  ASSERT_TRUE(audit_->reveals.decide(dpo_, anne_decided, false).isOk());
  const int64_t paul_pending = request(other_auditor_);
  const int64_t marie_own = request(dpo_);
  const int64_t zeta_pending = request({"zack", Role::kAuditor, "zeta"});

  auto ids = [&](const Principal& by) {
    std::vector<int64_t> found;
    auto listed = audit_->reveals.list(by);
    EXPECT_TRUE(listed.isOk()) << listed.status().toString();
    if (listed.isOk()) {
      for (const RevealRequest& r : *listed) found.push_back(r.id);
    }
    return found;
  };
  using V = std::vector<int64_t>;
  // Newest first.
  EXPECT_EQ(ids(auditor_), (V{anne_decided, anne_pending}));
  EXPECT_EQ(ids(other_auditor_), (V{paul_pending}));
  // The unbound dpo: its own, and every other pending request.
  EXPECT_EQ(ids(dpo_), (V{zeta_pending, marie_own, paul_pending, anne_pending}));
  // A brand-bound dpo: pending requests of its brand only.
  EXPECT_EQ(ids(acme_dpo_), (V{paul_pending, anne_pending}));
  EXPECT_EQ(ids(zeta_dpo_), (V{zeta_pending}));
  // An auditor does not see others' requests even when pending.
  EXPECT_EQ(ids({"lea", Role::kAuditor, ""}), V{});
}

TEST_P(RevealsTest, PersonKnownFromWorkstationEventsCanBeRevealed) {
  addDevice("dev-a", "PC-114");
  writeEvents("dev-a", {crmView("mlefevre", utc("2026-11-29T10:00:00.000Z"), "C-1042")});
  const std::string pseudonym = audit_->pseudonyms.of("mlefevre");
  auto id = audit_->reveals.request(auditor_, pseudonym, kReason);
  ASSERT_TRUE(id.isOk()) << id.status().toString();
  ASSERT_TRUE(audit_->reveals.decide(dpo_, *id, true).isOk());
  EXPECT_EQ(identitySeenBy(auditor_, *id), "mlefevre");
}

INSTANTIATE_TEST_SUITE_P(Backends, RevealsTest, kBothBackends, backendName);

}  // namespace
}  // namespace vigie::collector
