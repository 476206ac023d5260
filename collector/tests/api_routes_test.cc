#include "api/api_routes.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace vigie::collector::api {
namespace {

using Args = std::vector<std::string>;

bool matches(std::string_view pattern, std::string_view path, Args* captured = nullptr) {
  Args args{"stale"};
  const bool matched = matchRoute(pattern, path, args);
  if (captured != nullptr) *captured = args;
  return matched;
}

std::string nameOf(const Route& route) {
  return std::string(route.method) + " " + std::string(route.pattern);
}

// A path the route's pattern stands for, with `segment` in each hole.
std::string concrete(std::string_view pattern, const std::string& segment) {
  std::string path(pattern);
  for (size_t hole = path.find("{}"); hole != std::string::npos; hole = path.find("{}")) {
    path.replace(hole, 2, segment);
  }
  return path;
}

TEST(MatchRouteTest, ExactPaths) {
  EXPECT_TRUE(matches("/v1/auth/login", "/v1/auth/login"));
  EXPECT_TRUE(matches("/v1/trail/verify", "/v1/trail/verify"));
  EXPECT_FALSE(matches("/v1/trail", "/v1/trail/verify"));
  EXPECT_FALSE(matches("/v1/trail/verify", "/v1/trail"));
  EXPECT_FALSE(matches("/v1/auth/login", "/v1/auth/Login"));
  EXPECT_FALSE(matches("/v1/auth/login", "/v1/auth/login/"));
  EXPECT_FALSE(matches("/v1/auth/login", "//v1/auth/login"));
  EXPECT_FALSE(matches("/v1/auth/login", ""));
  EXPECT_FALSE(matches("/v1/auth/login", "/v1/auth/login?x=1"));
}

TEST(MatchRouteTest, HolesCaptureOneSegmentEach) {
  Args args;
  ASSERT_TRUE(matches("/v1/reveals/{}/approve", "/v1/reveals/42/approve", &args));
  EXPECT_EQ(args, (Args{"42"}));
  ASSERT_TRUE(matches("/v1/accounts/{}", "/v1/accounts/jean.dupont@acme-fr_2", &args));
  EXPECT_EQ(args, (Args{"jean.dupont@acme-fr_2"}));
  ASSERT_TRUE(matches("/v1/brands/{}/export", "/v1/brands/acme/export", &args));
  EXPECT_EQ(args, (Args{"acme"}));
  ASSERT_TRUE(matches("/a/{}/b/{}", "/a/x/b/y", &args));
  EXPECT_EQ(args, (Args{"x", "y"}));
  ASSERT_TRUE(matches("/v1/accounts/{}", "/v1/accounts/" + std::string(64, 'a'), &args));
  EXPECT_EQ(args, (Args{std::string(64, 'a')}));
  // Names that merely contain dots are names.
  ASSERT_TRUE(matches("/v1/accounts/{}", "/v1/accounts/...", &args));
  ASSERT_TRUE(matches("/v1/accounts/{}", "/v1/accounts/.hidden", &args));

  // The exact parts around the holes must match too.
  EXPECT_FALSE(matches("/v1/reveals/{}/approve", "/v1/reveals/42/deny"));
  EXPECT_FALSE(matches("/v1/reveals/{}/approve", "/v1/reveals/42"));
  EXPECT_FALSE(matches("/v1/reveals/{}/approve", "/v2/reveals/42/approve"));
  EXPECT_FALSE(matches("/v1/reveals/{}", "/v1/reveals"));
  EXPECT_FALSE(matches("/v1/brands/{}/export", "/v1/brands/acme/exports"));
}

TEST(MatchRouteTest, SegmentsThatAreNotNamesNeverMatch) {
  for (const std::string& segment :
       {std::string(".."), std::string("."), std::string("%2e%2e"), std::string("%2E%2E"),
        std::string(".%2e"), std::string("%2F"), std::string(""), std::string(65, 'a'),
        std::string("a b"), std::string("a\\b"), std::string("a%00"), std::string("a\nb"),
        std::string("a\0b", 3), std::string("\xc3\xa9t\xc3\xa9"), std::string("a?b"),
        std::string("a#b"), std::string("a:b"), std::string("~user")}) {
    Args args;
    EXPECT_FALSE(matches("/v1/accounts/{}", "/v1/accounts/" + segment, &args)) << segment;
    EXPECT_FALSE(matches("/v1/reveals/{}/approve", "/v1/reveals/" + segment + "/approve"))
        << segment;
  }
}

TEST(MatchRouteTest, ASegmentNeverSpansASlash) {
  EXPECT_FALSE(matches("/v1/accounts/{}", "/v1/accounts/a/b"));
  EXPECT_FALSE(matches("/v1/accounts/{}", "/v1/accounts/a/"));
  EXPECT_FALSE(matches("/v1/accounts/{}", "/v1/accounts/"));
  EXPECT_FALSE(matches("/v1/accounts/{}", "/v1/accounts//"));
  EXPECT_FALSE(matches("/v1/accounts/{}", "/v1/accounts/../accounts"));
  EXPECT_FALSE(matches("/v1/reveals/{}/approve", "/v1/reveals/1/2/approve"));
  EXPECT_FALSE(matches("/v1/reveals/{}/approve", "/v1/reveals//approve"));
  EXPECT_FALSE(matches("/v1/reveals/{}/approve", "/v1/reveals/1/approve/"));
  EXPECT_FALSE(matches("/v1/brands/{}/export", "/v1/brands/acme/export/.."));
}

TEST(MatchRouteTest, ArgumentsAreClearedOnEveryCall) {
  Args args{"left", "over"};
  EXPECT_FALSE(matchRoute("/v1/trail", "/v1/other", args));
  EXPECT_TRUE(args.empty());
  args = {"left"};
  EXPECT_TRUE(matchRoute("/v1/trail", "/v1/trail", args));
  EXPECT_TRUE(args.empty());
}

TEST(ApiRoutesTest, EveryRouteButLoginNeedsARole) {
  bool saw_login = false;
  for (const Route& route : apiRoutes()) {
    if (route.method == "POST" && route.pattern == "/v1/auth/login") {
      saw_login = true;
      EXPECT_TRUE(route.roles.empty());
      continue;
    }
    EXPECT_FALSE(route.roles.empty()) << nameOf(route);
    EXPECT_NE(route.function, nullptr) << nameOf(route);
  }
  EXPECT_TRUE(saw_login);
}

TEST(ApiRoutesTest, NoTwoRoutesShareMethodAndPattern) {
  std::set<std::string> seen;
  for (const Route& route : apiRoutes()) {
    EXPECT_TRUE(seen.insert(nameOf(route)).second) << nameOf(route);
  }
  EXPECT_EQ(seen.size(), apiRoutes().size());
}

TEST(ApiRoutesTest, EachConcretePathReachesExactlyOneRoute) {
  for (const Route& route : apiRoutes()) {
    const std::string path = concrete(route.pattern, "x1");
    int matched = 0;
    for (const Route& other : apiRoutes()) {
      Args args;
      if (other.method == route.method && matchRoute(other.pattern, path, args)) {
        ++matched;
        EXPECT_EQ(other.pattern, route.pattern) << path;
      }
    }
    EXPECT_EQ(matched, 1) << nameOf(route);
  }
}

TEST(ApiRoutesTest, IntegrationAccountsReachOnlyTheFeeds) {
  std::set<std::string> reachable;
  for (const Route& route : apiRoutes()) {
    if (!route.roles.has(Role::kIntegration)) continue;
    const std::string name = nameOf(route);
    if (route.pattern.starts_with("/v1/auth/")) continue;
    reachable.insert(name);
  }
  EXPECT_EQ(reachable, (std::set<std::string>{"POST /v1/crm-events", "POST /v1/calls"}));
}

// Who may call what, as docs/audit-api.md says.
TEST(ApiRoutesTest, RolesFollowTheContract) {
  const Role kA = Role::kAdmin, kU = Role::kAuditor, kD = Role::kDpo, kF = Role::kFleet,
             kI = Role::kIntegration;
  const std::map<std::string, std::set<Role>> expected = {
      {"POST /v1/auth/logout", {kA, kU, kD, kF, kI}},
      {"GET /v1/auth/me", {kA, kU, kD, kF, kI}},
      {"GET /v1/accounts", {kA}},
      {"POST /v1/accounts", {kA}},
      {"DELETE /v1/accounts/{}", {kA}},
      {"GET /v1/audit/record", {kU, kD}},
      {"GET /v1/audit/timeline", {kU, kD}},
      {"GET /v1/audit/exports", {kU, kD}},
      {"GET /v1/audit/incidents", {kU, kD}},
      {"POST /v1/reveals", {kU, kD}},
      {"GET /v1/reveals", {kU, kD}},
      {"POST /v1/reveals/{}/approve", {kD}},
      {"POST /v1/reveals/{}/deny", {kD}},
      {"GET /v1/reveals/{}", {kU, kD}},
      {"GET /v1/trail", {kD}},
      {"GET /v1/trail/verify", {kD}},
      {"POST /v1/crm-events", {kI}},
      {"PUT /v1/people/{}", {kA}},
      {"PUT /v1/devices/{}", {kA, kF}},
      {"GET /v1/fleet", {kA, kF}},
      {"GET /v1/fleet/{}", {kA, kF}},
      {"GET /v1/retention", {kA, kD}},
      {"PUT /v1/retention/{}", {kA, kD}},
      {"POST /v1/retention/purge", {kA, kD}},
      {"GET /v1/holds", {kD}},
      {"POST /v1/holds", {kD}},
      {"DELETE /v1/holds/{}", {kD}},
      {"GET /v1/brands/{}/export", {kD}},
      {"DELETE /v1/brands/{}", {kD}},
      {"POST /v1/calls", {kI}},
      {"POST /v1/shifts", {kA}},
      {"GET /v1/shifts", {kA, kU, kD}},
      {"GET /v1/watchlist", {kA, kU, kD}},
      {"PUT /v1/watchlist/{}", {kA, kD}},
      {"DELETE /v1/watchlist/{}", {kA, kD}},
      {"GET /v1/alerts", {kU, kD}},
      {"GET /v1/alerts/{}", {kU, kD}},
      {"POST /v1/alerts/{}/acknowledge", {kU, kD}},
      {"POST /v1/alerts/{}/close", {kU, kD}},
      {"GET /v1/detection/policy", {kA, kU, kD}},
      {"POST /v1/detection/runs", {kU, kD}},
      {"GET /v1/detection/runs", {kU, kD}},
      {"GET /v1/detection/runs/{}", {kU, kD}},
      {"GET /v1/workstation-policy", {kA, kF, kD}},
      {"POST /v1/workstation-policy", {kA, kF}},
      {"GET /v1/workstation-policy/history", {kA, kF, kD}},
      {"GET /v1/compliance-pack", {kA, kD}},
  };
  std::set<std::string> listed;
  for (const Route& route : apiRoutes()) {
    const std::string name = nameOf(route);
    listed.insert(name);
    if (name == "POST /v1/auth/login") continue;
    auto found = expected.find(name);
    if (found == expected.end()) {
      ADD_FAILURE() << name << " is not in the contract";
      continue;
    }
    for (Role role : kAllRoles) {
      EXPECT_EQ(route.roles.has(role), found->second.contains(role))
          << name << " for " << roleName(role);
    }
  }
  for (const auto& [name, roles] : expected) EXPECT_TRUE(listed.contains(name)) << name;
}

TEST(ApiRoutesTest, BodyLimitsFollowTheContract) {
  for (const Route& route : apiRoutes()) {
    const std::string name = nameOf(route);
    if (name == "POST /v1/crm-events" || name == "POST /v1/calls" ||
        name == "POST /v1/workstation-policy") {
      EXPECT_EQ(route.max_body, 1024u * 1024u);
    } else if (name == "POST /v1/shifts") {
      EXPECT_EQ(route.max_body, 4u * 1024u * 1024u);
    } else {
      EXPECT_LE(route.max_body, 16u * 1024u) << name;
    }
    if (route.method == "GET") {
      EXPECT_EQ(route.max_body, 0u) << name;
    }
  }
}

TEST(ApiRoutesTest, OnlyQuestionsListsAndTheTrailTakeQueryParameters) {
  const std::map<std::string, std::set<std::string>> expected = {
      {"GET /v1/audit/record", {"id", "from", "to", "limit", "after", "brand"}},
      {"GET /v1/audit/timeline", {"user", "from", "to", "limit", "after", "brand"}},
      {"GET /v1/audit/exports", {"team", "pii", "from", "to", "limit", "after", "brand"}},
      {"GET /v1/audit/incidents", {"from", "to", "limit", "after", "brand"}},
      {"GET /v1/trail", {"after", "limit"}},
      {"GET /v1/alerts", {"status", "rule", "person", "from", "to", "before", "limit", "brand"}},
      {"GET /v1/fleet", {"status"}},
      {"GET /v1/watchlist", {"brand"}},
      {"PUT /v1/watchlist/{}", {"brand"}},
      {"DELETE /v1/watchlist/{}", {"brand"}},
  };
  for (const Route& route : apiRoutes()) {
    std::set<std::string> params;
    std::string_view list = route.params;
    while (!list.empty()) {
      const size_t comma = std::min(list.find(','), list.size());
      params.emplace(list.substr(0, comma));
      list.remove_prefix(std::min(comma + 1, list.size()));
    }
    auto found = expected.find(nameOf(route));
    EXPECT_EQ(params, found == expected.end() ? std::set<std::string>{} : found->second)
        << nameOf(route);
  }
}

}  // namespace
}  // namespace vigie::collector::api
