#include "audit/audit_trail.h"

#include <gtest/gtest.h>

#include "audit_fixture.h"
#include "vigie/crypto/digest.h"
#include "vigie/protocol/hex.h"

namespace vigie::collector {
namespace {

class AuditTrailTest : public AuditFixtureOnBoth {
 protected:
  void SetUp() override {
    AuditFixture::SetUp();
    if (HasFatalFailure()) return;
    first_ms_ = clock_.nowUnixMillis();
    appendAll();
  }

  // Five entries, one second apart.
  void appendAll() {
    AuditTrail& trail = audit_->trail;
    ASSERT_TRUE(
        trail.append("", "", "", "POST /v1/auth/login", R"({"user":"mallory"})", 401).isOk());
    clock_.advance(1000);
    ASSERT_TRUE(
        trail.append("anne", "auditor", "acme", "GET /v1/audit/record", R"({"id":"C-1042"})", 200)
            .isOk());
    clock_.advance(1000);
    ASSERT_TRUE(
        trail.append("anne", "auditor", "acme", "reveal.request", R"({"id":1})", 201).isOk());
    clock_.advance(1000);
    ASSERT_TRUE(trail.append("marie", "dpo", "", "reveal.approve", R"({"id":1})", 200).isOk());
    clock_.advance(1000);
    ASSERT_TRUE(trail.append("marie", "dpo", "", "GET /v1/trail/verify", "{}", 200).isOk());
  }

  // Runs `statement` on the database as someone with a SQL shell on it would.
  Status rawSql(const std::string& statement, const std::vector<SqlArg>& args = {}) {
    return audit_->db->with([&](Sql& db) { return db.run(statement, args); });
  }

  // Drops what makes the trail append-only, as that person could.
  void dropTheGuard() {
    if (backend() == Backend::kPostgres) {
      ASSERT_TRUE(rawSql("DROP TRIGGER trail_no_change ON trail").isOk());
    } else {
      ASSERT_TRUE(rawSql("DROP TRIGGER trail_no_update").isOk());
      ASSERT_TRUE(rawSql("DROP TRIGGER trail_no_delete").isOk());
    }
  }

  TrailVerification verify() {
    auto verified = audit_->trail.verify();
    EXPECT_TRUE(verified.isOk()) << verified.status().toString();
    return verified.isOk() ? *verified : TrailVerification{};
  }

  int64_t first_ms_ = 0;
};

TEST_P(AuditTrailTest, EntriesAreListedInOrderWithTheirFields) {
  auto all = audit_->trail.list(0, 100);
  ASSERT_TRUE(all.isOk());
  ASSERT_EQ(all->size(), 5u);
  for (size_t i = 0; i < all->size(); ++i) {
    EXPECT_EQ((*all)[i].seq, static_cast<int64_t>(i + 1));
    EXPECT_EQ((*all)[i].time_ms, first_ms_ + static_cast<int64_t>(i) * 1000);
    EXPECT_EQ((*all)[i].hash.size(), 64u);
  }
  const TrailEntry& second = (*all)[1];
  EXPECT_EQ(second.actor, "anne");
  EXPECT_EQ(second.role, "auditor");
  EXPECT_EQ(second.brand, "acme");
  EXPECT_EQ(second.action, "GET /v1/audit/record");
  EXPECT_EQ(second.detail, R"({"id":"C-1042"})");
  EXPECT_EQ(second.outcome, 200);
  EXPECT_EQ((*all)[0].outcome, 401);
  EXPECT_EQ((*all)[0].role, "");

  auto page = audit_->trail.list(2, 2);
  ASSERT_TRUE(page.isOk());
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].seq, 3);
  EXPECT_EQ((*page)[0].action, "reveal.request");
  EXPECT_EQ((*page)[1].seq, 4);
  EXPECT_EQ((*page)[1].action, "reveal.approve");
  EXPECT_EQ(audit_->trail.list(4, 10)->size(), 1u);
  EXPECT_TRUE(audit_->trail.list(5, 10)->empty());
  EXPECT_TRUE(audit_->trail.list(0, 0)->empty());
}

TEST_P(AuditTrailTest, EachHashChainsThePreviousOne) {
  auto all = audit_->trail.list(0, 100);
  ASSERT_TRUE(all.isOk());
  crypto::Digest previous{};
  for (const TrailEntry& entry : *all) {
    std::string input(previous.begin(), previous.end());
    input += AuditTrail::canonical(entry);
    previous = crypto::sha256(input);
    EXPECT_EQ(entry.hash, protocol::toHex(previous)) << "entry " << entry.seq;
  }
  const TrailVerification verified = verify();
  EXPECT_TRUE(verified.ok);
  EXPECT_EQ(verified.entries, 5);
  EXPECT_EQ(verified.broken_at, 0);
}

TEST_P(AuditTrailTest, StoreRefusesUpdateAndDelete) {
  const Status updated = rawSql("UPDATE trail SET outcome = 200 WHERE seq = 1");
  EXPECT_FALSE(updated.isOk());
  EXPECT_NE(updated.message().find("append-only"), std::string::npos) << updated.toString();
  const Status deleted = rawSql("DELETE FROM trail WHERE seq = 5");
  EXPECT_FALSE(deleted.isOk());
  EXPECT_NE(deleted.message().find("append-only"), std::string::npos) << deleted.toString();
  EXPECT_FALSE(rawSql("DELETE FROM trail").isOk());
  if (backend() == Backend::kPostgres) {
    EXPECT_FALSE(rawSql("TRUNCATE trail").isOk());
  }

  EXPECT_EQ(count("SELECT count(*) FROM trail"), 5);
  EXPECT_EQ(count("SELECT outcome FROM trail WHERE seq = 1"), 401);
  EXPECT_TRUE(verify().ok);
}

TEST_P(AuditTrailTest, AlteredEntryBreaksTheChainAtThatEntry) {
  dropTheGuard();
  ASSERT_TRUE(rawSql("UPDATE trail SET detail = '{\"id\":2}' WHERE seq = 3").isOk());
  const TrailVerification verified = verify();
  EXPECT_FALSE(verified.ok);
  EXPECT_EQ(verified.broken_at, 3);
}

TEST_P(AuditTrailTest, AlteredOutcomeOfTheFirstEntryIsFound) {
  dropTheGuard();
  ASSERT_TRUE(rawSql("UPDATE trail SET outcome = 200 WHERE seq = 1").isOk());
  const TrailVerification verified = verify();
  EXPECT_FALSE(verified.ok);
  EXPECT_EQ(verified.broken_at, 1);
}

TEST_P(AuditTrailTest, RehashedEntryStillBreaksTheNextOne) {
  // Someone rewrites entry 2 and recomputes its own hash: entry 3 no longer follows from it.
  auto all = audit_->trail.list(0, 100);
  ASSERT_TRUE(all.isOk());
  TrailEntry forged = (*all)[1];
  forged.detail = R"({"id":"C-9999"})";
  std::string input(32, '\0');
  const crypto::Digest first_hash = crypto::sha256(input + AuditTrail::canonical((*all)[0]));
  input.assign(first_hash.begin(), first_hash.end());
  const crypto::Digest forged_digest = crypto::sha256(input + AuditTrail::canonical(forged));

  dropTheGuard();
  const std::string forged_bytes(reinterpret_cast<const char*>(forged_digest.data()),
                                 forged_digest.size());
  ASSERT_TRUE(rawSql("UPDATE trail SET detail = '{\"id\":\"C-9999\"}', hash = ? WHERE seq = 2",
                     {SqlBlob{forged_bytes}})
                  .isOk());
  const TrailVerification verified = verify();
  EXPECT_FALSE(verified.ok);
  EXPECT_EQ(verified.broken_at, 3);
}

TEST_P(AuditTrailTest, RemovedEntryBreaksTheChainWhereItWas) {
  dropTheGuard();
  ASSERT_TRUE(rawSql("DELETE FROM trail WHERE seq = 3").isOk());
  const TrailVerification verified = verify();
  EXPECT_FALSE(verified.ok);
  EXPECT_EQ(verified.broken_at, 3);
}

TEST_P(AuditTrailTest, RemovedFirstEntryIsFound) {
  dropTheGuard();
  ASSERT_TRUE(rawSql("DELETE FROM trail WHERE seq = 1").isOk());
  const TrailVerification verified = verify();
  EXPECT_FALSE(verified.ok);
  EXPECT_EQ(verified.broken_at, 1);
}

TEST_P(AuditTrailTest, AppendAfterTheChainContinuesIt) {
  clock_.advance(1000);
  ASSERT_TRUE(audit_->trail.append("marie", "dpo", "", "retention.set", "{}", 204).isOk());
  auto last = audit_->trail.list(5, 10);
  ASSERT_TRUE(last.isOk());
  ASSERT_EQ(last->size(), 1u);
  EXPECT_EQ(last->front().seq, 6);
  const TrailVerification verified = verify();
  EXPECT_TRUE(verified.ok);
  EXPECT_EQ(verified.entries, 6);
}

TEST(AuditTrailCanonicalTest, ExactBytes) {
  TrailEntry entry;
  entry.seq = 7;
  entry.time_ms = 1764337698123;
  entry.actor = "marie \"la dpo\"";
  entry.role = "dpo";
  entry.brand = "";
  entry.action = "reveal.approve";
  entry.detail = R"({"id":3})";
  entry.outcome = 200;
  entry.hash = "ignored";
  EXPECT_EQ(
      AuditTrail::canonical(entry),
      R"({"seq":7,"time":"2025-11-28T13:48:18.123Z","actor":"marie \"la dpo\"",)"
      R"("role":"dpo","brand":"","action":"reveal.approve","detail":{"id":3},"outcome":200})");
  // The hash is not part of what it covers.
  TrailEntry other = entry;
  other.hash = "different";
  EXPECT_EQ(AuditTrail::canonical(other), AuditTrail::canonical(entry));
}

TEST(AuditTrailCanonicalTest, EveryFieldCounts) {
  TrailEntry base;
  base.seq = 1;
  base.time_ms = 1764337698123;
  base.actor = "anne";
  base.role = "auditor";
  base.brand = "acme";
  base.action = "GET /v1/audit/record";
  base.detail = "{}";
  base.outcome = 200;
  const std::string canonical = AuditTrail::canonical(base);
  auto changed = [&](auto change) {
    TrailEntry entry = base;
    change(entry);
    return AuditTrail::canonical(entry) != canonical;
  };
  EXPECT_TRUE(changed([](TrailEntry& e) { e.seq = 2; }));
  EXPECT_TRUE(changed([](TrailEntry& e) { e.time_ms += 1; }));
  EXPECT_TRUE(changed([](TrailEntry& e) { e.actor = "anna"; }));
  EXPECT_TRUE(changed([](TrailEntry& e) { e.role = "dpo"; }));
  EXPECT_TRUE(changed([](TrailEntry& e) { e.brand = ""; }));
  EXPECT_TRUE(changed([](TrailEntry& e) { e.action = "GET /v1/audit/timeline"; }));
  EXPECT_TRUE(changed([](TrailEntry& e) { e.detail = R"({"id":"C-1"})"; }));
  EXPECT_TRUE(changed([](TrailEntry& e) { e.outcome = 403; }));
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditTrailTest, kBothBackends, backendName);

}  // namespace
}  // namespace vigie::collector
