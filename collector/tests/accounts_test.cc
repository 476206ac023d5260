#include "audit/accounts.h"

#include <gtest/gtest.h>

#include <cctype>

#include "audit/login_limiter.h"
#include "audit_fixture.h"
#include "vigie/crypto/digest.h"
#include "vigie/protocol/hex.h"

namespace vigie::collector {
namespace {

constexpr char kPassword[] = "twelve chars!";

using AccountsTest = AuditFixtureOnBoth;
INSTANTIATE_TEST_SUITE_P(Backends, AccountsTest, kBothBackends, backendName);

bool samePrincipal(const Principal& a, const Principal& b) {
  return a.user == b.user && a.role == b.role && a.brand == b.brand;
}

TEST_P(AccountsTest, AddListRemove) {
  Accounts& accounts = audit_->accounts;
  ASSERT_TRUE(accounts.add("zoe.admin", kPassword, Role::kAdmin, "").isOk());
  ASSERT_TRUE(accounts.add("anne.audit", kPassword, Role::kAuditor, "acme").isOk());
  ASSERT_TRUE(accounts.add("crm-feed", kPassword, Role::kIntegration, "acme").isOk());

  auto listed = accounts.list();
  ASSERT_TRUE(listed.isOk());
  ASSERT_EQ(listed->size(), 3u);
  EXPECT_TRUE(samePrincipal((*listed)[0], {"anne.audit", Role::kAuditor, "acme"}));
  EXPECT_TRUE(samePrincipal((*listed)[1], {"crm-feed", Role::kIntegration, "acme"}));
  EXPECT_TRUE(samePrincipal((*listed)[2], {"zoe.admin", Role::kAdmin, ""}));

  ASSERT_TRUE(accounts.remove("anne.audit").isOk());
  listed = accounts.list();
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].user, "crm-feed");
  EXPECT_EQ((*listed)[1].user, "zoe.admin");
  EXPECT_EQ(accounts.remove("anne.audit").code(), Status::Code::kNotFound);
  EXPECT_EQ(accounts.checkPassword("anne.audit", kPassword).status().code(),
            Status::Code::kPermissionDenied);
}

TEST_P(AccountsTest, AddingAnExistingAccountIsRefusedAndKeepsTheFirst) {
  Accounts& accounts = audit_->accounts;
  ASSERT_TRUE(accounts.add("marie", kPassword, Role::kDpo, "").isOk());
  EXPECT_EQ(accounts.add("marie", "another password", Role::kAdmin, "acme").code(),
            Status::Code::kFailedPrecondition);
  auto listed = accounts.list();
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_TRUE(samePrincipal(listed->front(), {"marie", Role::kDpo, ""}));
  EXPECT_TRUE(accounts.checkPassword("marie", kPassword).isOk());
  EXPECT_FALSE(accounts.checkPassword("marie", "another password").isOk());
}

TEST_P(AccountsTest, BadInputIsRefusedAsInvalidArgument) {
  Accounts& accounts = audit_->accounts;
  const auto code = [&](std::string_view user, std::string_view password, Role role,
                        std::string_view brand) {
    return accounts.add(user, password, role, brand).code();
  };
  constexpr auto kInvalid = Status::Code::kInvalidArgument;
  EXPECT_EQ(code("paul", "eleven char", Role::kAuditor, ""), kInvalid);
  EXPECT_EQ(code("paul", "", Role::kAuditor, ""), kInvalid);
  EXPECT_EQ(code("", kPassword, Role::kAuditor, ""), kInvalid);
  EXPECT_EQ(code("paul martin", kPassword, Role::kAuditor, ""), kInvalid);
  EXPECT_EQ(code("paul/martin", kPassword, Role::kAuditor, ""), kInvalid);
  EXPECT_EQ(code("paul\n", kPassword, Role::kAuditor, ""), kInvalid);
  EXPECT_EQ(code("pa\xc3\xbcl", kPassword, Role::kAuditor, ""), kInvalid);
  EXPECT_EQ(code(std::string(65, 'p'), kPassword, Role::kAuditor, ""), kInvalid);
  EXPECT_EQ(code("paul", kPassword, Role::kAuditor, "acme corp"), kInvalid);
  EXPECT_EQ(code("feed", kPassword, Role::kIntegration, ""), kInvalid);
  EXPECT_TRUE(accounts.list()->empty());

  // The limits themselves are accepted.
  EXPECT_TRUE(accounts.add(std::string(64, 'p'), "twelve chars", Role::kAuditor, "").isOk());
  EXPECT_TRUE(accounts.add("feed", kPassword, Role::kIntegration, "acme").isOk());
  EXPECT_EQ(accounts.list()->size(), 2u);
}

TEST_P(AccountsTest, CheckPasswordGivesThePrincipalOrOneErrorForBothFailures) {
  Accounts& accounts = audit_->accounts;
  ASSERT_TRUE(accounts.add("anne", kPassword, Role::kAuditor, "acme").isOk());

  auto good = accounts.checkPassword("anne", kPassword);
  ASSERT_TRUE(good.isOk());
  EXPECT_TRUE(samePrincipal(*good, {"anne", Role::kAuditor, "acme"}));

  auto wrong_password = accounts.checkPassword("anne", "twelve chars?");
  auto unknown_user = accounts.checkPassword("nobody", kPassword);
  ASSERT_FALSE(wrong_password.isOk());
  ASSERT_FALSE(unknown_user.isOk());
  EXPECT_EQ(wrong_password.status().code(), Status::Code::kPermissionDenied);
  EXPECT_EQ(unknown_user.status().code(), Status::Code::kPermissionDenied);
  EXPECT_EQ(wrong_password.status().message(), unknown_user.status().message());
  EXPECT_EQ(wrong_password.status().message().find("anne"), std::string::npos);
}

TEST_P(AccountsTest, TokenResolvesToItsPrincipalUntilItExpires) {
  Accounts& accounts = audit_->accounts;
  ASSERT_TRUE(accounts.add("anne", kPassword, Role::kDpo, "acme").isOk());
  const Principal anne{"anne", Role::kDpo, "acme"};
  const int64_t issued_at = clock_.nowUnixMillis();
  auto token = accounts.issueToken(anne);
  ASSERT_TRUE(token.isOk());
  EXPECT_EQ(token->token.size(), 64u);
  EXPECT_EQ(token->token.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(token->expires_ms, issued_at + 8 * kHourMs);

  auto resolved = accounts.resolveToken(token->token);
  ASSERT_TRUE(resolved.isOk());
  ASSERT_TRUE(resolved->has_value());
  EXPECT_TRUE(samePrincipal(**resolved, anne));

  clock_.advance(8 * kHourMs - 1);
  EXPECT_TRUE(accounts.resolveToken(token->token)->has_value());
  clock_.advance(1);
  resolved = accounts.resolveToken(token->token);
  ASSERT_TRUE(resolved.isOk());
  EXPECT_FALSE(resolved->has_value());
}

TEST_P(AccountsTest, TokensAreOnlyStoredAsHashes) {
  ASSERT_TRUE(audit_->accounts.add("anne", kPassword, Role::kDpo, "").isOk());
  auto token = audit_->accounts.issueToken({"anne", Role::kDpo, ""});
  ASSERT_TRUE(token.isOk());
  const std::string digest = protocol::toHex(crypto::sha256(token->token));
  std::vector<std::string> stored;
  ASSERT_TRUE(audit_->db
                  ->with([&](Sql& db) {
                    return db.run("SELECT token_hash FROM tokens", {},
                                  [&](const SqlRow& row) { stored.push_back(row.text(0)); });
                  })
                  .isOk());
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(protocol::toHex({reinterpret_cast<const uint8_t*>(stored[0].data()), stored[0].size()}),
            digest);
  EXPECT_EQ(stored[0].find(token->token), std::string::npos);
}

TEST_P(AccountsTest, RevokedTokenEndsAndOtherTokensStay) {
  Accounts& accounts = audit_->accounts;
  ASSERT_TRUE(accounts.add("anne", kPassword, Role::kAuditor, "").isOk());
  const Principal anne{"anne", Role::kAuditor, ""};
  auto first = accounts.issueToken(anne);
  auto second = accounts.issueToken(anne);
  ASSERT_TRUE(first.isOk() && second.isOk());
  EXPECT_NE(first->token, second->token);

  ASSERT_TRUE(accounts.revokeToken(first->token).isOk());
  EXPECT_FALSE(accounts.resolveToken(first->token)->has_value());
  auto still = accounts.resolveToken(second->token);
  ASSERT_TRUE(still.isOk() && still->has_value());
  EXPECT_EQ((*still)->user, "anne");
}

TEST_P(AccountsTest, RemovedAccountsTokensEndEvenIfTheNameComesBack) {
  Accounts& accounts = audit_->accounts;
  ASSERT_TRUE(accounts.add("anne", kPassword, Role::kDpo, "").isOk());
  ASSERT_TRUE(accounts.add("paul", kPassword, Role::kAuditor, "").isOk());
  auto anne_token = accounts.issueToken({"anne", Role::kDpo, ""});
  auto paul_token = accounts.issueToken({"paul", Role::kAuditor, ""});
  ASSERT_TRUE(anne_token.isOk() && paul_token.isOk());

  ASSERT_TRUE(accounts.remove("anne").isOk());
  EXPECT_FALSE(accounts.resolveToken(anne_token->token)->has_value());
  EXPECT_TRUE(accounts.resolveToken(paul_token->token)->has_value());

  // A new account of the same name does not inherit the old sessions.
  ASSERT_TRUE(accounts.add("anne", kPassword, Role::kAdmin, "").isOk());
  EXPECT_FALSE(accounts.resolveToken(anne_token->token)->has_value());
}

TEST_P(AccountsTest, MalformedTokensResolveToNothing) {
  Accounts& accounts = audit_->accounts;
  ASSERT_TRUE(accounts.add("anne", kPassword, Role::kDpo, "").isOk());
  auto token = accounts.issueToken({"anne", Role::kDpo, ""});
  ASSERT_TRUE(token.isOk());
  const std::string& t = token->token;
  std::string one_changed = t;
  one_changed[10] = one_changed[10] == 'a' ? 'b' : 'a';
  std::string upper = t;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  ASSERT_NE(upper, t);

  for (const std::string& bad :
       {std::string(), std::string("abc"), t.substr(0, 63), t + "0", " " + t.substr(1), one_changed,
        upper, std::string(64, '\0'), std::string(64, 'z'), std::string(100000, 'a')}) {
    auto resolved = accounts.resolveToken(bad);
    ASSERT_TRUE(resolved.isOk()) << resolved.status().toString();
    EXPECT_FALSE(resolved->has_value()) << bad;
  }
  EXPECT_TRUE(accounts.resolveToken(t)->has_value());
}

TEST(RoleNamesTest, RoundTrip) {
  for (Role role : kAllRoles) EXPECT_EQ(roleFromName(roleName(role)), role);
  EXPECT_EQ(roleName(Role::kIntegration), "integration");
  EXPECT_FALSE(roleFromName("Admin").has_value());
  EXPECT_FALSE(roleFromName("").has_value());
}

// LoginLimiter --------------------------------------------------------------------------------

constexpr int64_t kWindowMs = 15 * kMinuteMs;

TEST(LoginLimiterTest, FiveFailuresForOneAccountBlockItFromAnyAddress) {
  testing::ManualClock clock;
  LoginLimiter limiter(clock);
  const int64_t first = clock.nowUnixMillis();
  for (int i = 0; i < 4; ++i) {
    limiter.recordFailure("anne", "10.0.0." + std::to_string(i));
    clock.advance(1000);
  }
  EXPECT_FALSE(limiter.retryAfterMs("anne", "10.0.0.99").has_value());
  limiter.recordFailure("anne", "10.0.0.4");

  const auto wait = limiter.retryAfterMs("anne", "10.0.0.99");
  ASSERT_TRUE(wait.has_value());
  // The oldest of the five leaves the window at first + 15 min.
  EXPECT_EQ(*wait, first + kWindowMs - clock.nowUnixMillis());
  EXPECT_TRUE(limiter.retryAfterMs("anne", "10.0.0.0").has_value());
  // Another account from the same addresses is not affected.
  EXPECT_FALSE(limiter.retryAfterMs("paul", "10.0.0.4").has_value());

  clock.set(first + kWindowMs - 1);
  EXPECT_EQ(limiter.retryAfterMs("anne", "10.0.0.99"), 1);
  clock.set(first + kWindowMs);
  EXPECT_FALSE(limiter.retryAfterMs("anne", "10.0.0.99").has_value());
}

TEST(LoginLimiterTest, TwentyFailuresFromOneAddressBlockItForEveryone) {
  testing::ManualClock clock;
  LoginLimiter limiter(clock);
  const int64_t first = clock.nowUnixMillis();
  for (int i = 0; i < 19; ++i) {
    limiter.recordFailure("user" + std::to_string(i), "192.0.2.7");
    clock.advance(10);
  }
  EXPECT_FALSE(limiter.retryAfterMs("carol", "192.0.2.7").has_value());
  limiter.recordFailure("user19", "192.0.2.7");

  const auto wait = limiter.retryAfterMs("carol", "192.0.2.7");
  ASSERT_TRUE(wait.has_value());
  EXPECT_EQ(*wait, first + kWindowMs - clock.nowUnixMillis());
  EXPECT_FALSE(limiter.retryAfterMs("carol", "192.0.2.8").has_value());

  clock.set(first + kWindowMs);
  EXPECT_FALSE(limiter.retryAfterMs("carol", "192.0.2.7").has_value());
}

TEST(LoginLimiterTest, TheLongerOfTheTwoWaitsIsAnswered) {
  testing::ManualClock clock;
  LoginLimiter limiter(clock);
  const int64_t start = clock.nowUnixMillis();
  // The address fills first, the account later.
  for (int i = 0; i < 20; ++i) limiter.recordFailure("x" + std::to_string(i), "192.0.2.7");
  clock.advance(5 * kMinuteMs);
  for (int i = 0; i < 5; ++i) limiter.recordFailure("anne", "198.51.100.1");
  EXPECT_EQ(limiter.retryAfterMs("anne", "192.0.2.7"),
            start + 5 * kMinuteMs + kWindowMs - clock.nowUnixMillis());
  clock.set(start + kWindowMs);
  // The address has cleared; the account has not.
  EXPECT_FALSE(limiter.retryAfterMs("x0", "192.0.2.7").has_value());
  EXPECT_EQ(limiter.retryAfterMs("anne", "192.0.2.7"), 5 * kMinuteMs);
}

TEST(LoginLimiterTest, TrackedKeysStayWithinTheBound) {
  testing::ManualClock clock;
  LoginLimits limits;
  limits.failures_per_account = 2;
  limits.failures_per_address = 1000;
  limits.max_tracked_keys = 3;
  LoginLimiter limiter(clock, limits);
  for (const char* user : {"u0", "u1", "u2"}) {
    limiter.recordFailure(user, "10.0.0.1");
    limiter.recordFailure(user, "10.0.0.1");
  }
  for (const char* user : {"u0", "u1", "u2"}) {
    EXPECT_TRUE(limiter.retryAfterMs(user, "10.0.0.1").has_value()) << user;
  }
  // A fourth account does not fit while the three are in their window: its failures are not
  // kept, and the three tracked ones are not forgotten to make room.
  for (int i = 0; i < 5; ++i) limiter.recordFailure("u3", "10.0.0.1");
  EXPECT_FALSE(limiter.retryAfterMs("u3", "10.0.0.1").has_value());
  for (const char* user : {"u0", "u1", "u2"}) {
    EXPECT_TRUE(limiter.retryAfterMs(user, "10.0.0.1").has_value()) << user;
  }

  // Once they have left the window, their room is reused.
  clock.advance(kWindowMs);
  limiter.recordFailure("u3", "10.0.0.1");
  limiter.recordFailure("u3", "10.0.0.1");
  EXPECT_TRUE(limiter.retryAfterMs("u3", "10.0.0.1").has_value());
  for (int i = 4; i < 8; ++i) {
    const std::string user = "u" + std::to_string(i);
    limiter.recordFailure(user, "10.0.0.1");
    limiter.recordFailure(user, "10.0.0.1");
  }
  // u3 plus two more fit; the rest could not be tracked.
  int blocked = 0;
  for (int i = 3; i < 8; ++i) {
    if (limiter.retryAfterMs("u" + std::to_string(i), "10.0.0.1")) ++blocked;
  }
  EXPECT_EQ(blocked, 3);
}

TEST(LoginLimiterTest, AddressesAreBoundedToo) {
  testing::ManualClock clock;
  LoginLimits limits;
  limits.failures_per_account = 1000;
  limits.failures_per_address = 2;
  limits.max_tracked_keys = 2;
  LoginLimiter limiter(clock, limits);
  for (int i = 0; i < 10; ++i) {
    const std::string address = "203.0.113." + std::to_string(i);
    limiter.recordFailure("anne", address);
    limiter.recordFailure("anne", address);
  }
  int blocked = 0;
  for (int i = 0; i < 10; ++i) {
    if (limiter.retryAfterMs("paul", "203.0.113." + std::to_string(i))) ++blocked;
  }
  EXPECT_EQ(blocked, 2);
}

}  // namespace
}  // namespace vigie::collector
