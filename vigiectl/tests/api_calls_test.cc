#include "api_calls.h"

#include <gtest/gtest.h>

#include <deque>

namespace vigie::ctl {
namespace {

// Answers requests from a script and remembers what was asked.
class ScriptedClient final : public ApiClient {
 public:
  void answer(long status, std::string body) { answers_.push_back({status, std::move(body), {}}); }
  StatusOr<ApiResponse> send(const ApiRequest& request) override {
    requests.push_back(request);
    if (answers_.empty()) return Status::ioError("no scripted answer");
    ApiResponse response = answers_.front();
    answers_.pop_front();
    return response;
  }
  std::vector<ApiRequest> requests;

 private:
  std::deque<ApiResponse> answers_;
};

TEST(BuildUrlTest, PercentEncodesSegmentsAndQuery) {
  EXPECT_EQ(buildUrl("https://h:8443", {"v1", "audit", "record"},
                     {{"id", "C-1042/../x?&y=1"}, {"from", "2026-11-29T10:02:00.000Z"}}),
            "https://h:8443/v1/audit/record?id=C-1042%2F..%2Fx%3F%26y%3D1"
            "&from=2026-11-29T10%3A02%3A00.000Z");
  EXPECT_EQ(buildUrl("https://h:8443", {"v1", "accounts", "a b/c"}, {}),
            "https://h:8443/v1/accounts/a%20b%2Fc");
  EXPECT_EQ(percentEncode("h\xC3\xA9"), "h%C3%A9");
}

TEST(NormalizeBaseUrlTest, HttpsHostAndPortOnly) {
  EXPECT_EQ(normalizeBaseUrl("https://h:8443/").value(), "https://h:8443");
  EXPECT_FALSE(normalizeBaseUrl("http://h:8443").isOk());
  EXPECT_FALSE(normalizeBaseUrl("https://").isOk());
  EXPECT_FALSE(normalizeBaseUrl("https://h:8443/v1").isOk());
  EXPECT_FALSE(normalizeBaseUrl("https://u@h:8443").isOk());
  EXPECT_FALSE(normalizeBaseUrl("https://h:8443?x").isOk());
}

TEST(AnswerErrorTest, CarriesTheServersMessage) {
  Status status = answerError({403, R"({"error": "role auditor may not read the trail"})", {}});
  EXPECT_EQ(status.code(), Status::Code::kPermissionDenied);
  EXPECT_EQ(status.message(), "role auditor may not read the trail (HTTP 403)");
  status = answerError({401, R"({"error": "unknown token"})", {}});
  EXPECT_NE(status.message().find("unknown token (HTTP 401)"), std::string::npos);
  EXPECT_NE(status.message().find("vigiectl login"), std::string::npos);
  status = answerError({429, R"({"error": "too many attempts"})", 60});
  EXPECT_NE(status.message().find("retry in 60 s"), std::string::npos);
  status = answerError({502, "<html>bad gateway</html>", {}});
  EXPECT_EQ(status.message(), "the collector answered HTTP 502");
}

TEST(ForEachPageTest, FollowsNextUntilNull) {
  ScriptedClient client;
  client.answer(200, R"({"items": [{"n": 1}, {"n": 2}], "next": "c1"})");
  client.answer(200, R"({"items": [{"n": 3}, {"n": 4}], "next": "c/2"})");
  client.answer(200, R"({"items": [{"n": 5}], "next": null})");
  ApiRequest first;
  first.path = {"v1", "audit", "record"};
  first.query = {{"id", "C-1"}, {"limit", "2"}};
  size_t items = 0;
  size_t last_page = 0;
  const Status status = forEachPage(client, first, true, [&](const Page& page, size_t number) {
    items += page.items.size();
    last_page = number;
    return Status::ok();
  });
  ASSERT_TRUE(status.isOk()) << status.toString();
  EXPECT_EQ(items, 5u);
  EXPECT_EQ(last_page, 3u);
  ASSERT_EQ(client.requests.size(), 3u);
  EXPECT_EQ(client.requests[0].query, first.query);
  EXPECT_EQ(client.requests[1].query,
            (QueryParams{{"id", "C-1"}, {"limit", "2"}, {"after", "c1"}}));
  EXPECT_EQ(client.requests[2].query,
            (QueryParams{{"id", "C-1"}, {"limit", "2"}, {"after", "c/2"}}));
}

TEST(ForEachPageTest, OnePageWhenNotFollowing) {
  ScriptedClient client;
  client.answer(200, R"({"items": [{"n": 1}], "next": "c1"})");
  bool more = false;
  const Status status = forEachPage(
      client, ApiRequest(), false, [](const Page&, size_t) { return Status::ok(); }, &more);
  EXPECT_TRUE(status.isOk());
  EXPECT_TRUE(more);
  EXPECT_EQ(client.requests.size(), 1u);
}

TEST(ForEachPageTest, StopsOnAnErrorOrAStuckCursor) {
  ScriptedClient client;
  client.answer(200, R"({"items": [], "next": "c1"})");
  client.answer(400, R"({"error": "unknown cursor"})");
  Status status =
      forEachPage(client, ApiRequest(), true, [](const Page&, size_t) { return Status::ok(); });
  EXPECT_EQ(status.message(), "page 2: unknown cursor (HTTP 400)");

  ScriptedClient stuck;
  stuck.answer(200, R"({"items": [], "next": "c1"})");
  stuck.answer(200, R"({"items": [], "next": "c1"})");
  status = forEachPage(stuck, ApiRequest(), true, [](const Page&, size_t) { return Status::ok(); });
  EXPECT_EQ(status.code(), Status::Code::kCorruption);

  ScriptedClient malformed;
  malformed.answer(200, R"({"next": null})");
  status =
      forEachPage(malformed, ApiRequest(), true, [](const Page&, size_t) { return Status::ok(); });
  EXPECT_EQ(status.code(), Status::Code::kCorruption);
}

}  // namespace
}  // namespace vigie::ctl
