// The audit API end to end: the real vigie-collector (Poco, TLS) answering a real libcurl client
// that verifies its certificate; workstation events from a real enrolled vigie-agent; accounts
// made with the collector's own --add-account.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "api/api_routes.h"
#include "collector_process.h"
#include "enrolled_agent.h"
#include "https_client.h"
#include "subprocess.h"
#include "temp_dir.h"
#include "vigie/protocol/utc_time.h"

namespace vigie {
namespace {

using collector::Role;
using testing::CollectorProcess;
using testing::HttpAnswer;
using testing::HttpsClient;
using testing::Subprocess;
using testing::TempDir;
using testing::timeFromNow;

constexpr char kPassword[] = "correct horse battery";

// A window around now for questions: the last day and the next.
std::string window() {
  return "&from=" + timeFromNow(-24 * 3600 * 1000) + "&to=" + timeFromNow(24 * 3600 * 1000);
}

// One account per role, plus brand-bound ones.
const std::map<std::string, std::pair<std::string, std::string>> kAccounts = {
    {"admin1", {"admin", ""}},
    {"auditor1", {"auditor", ""}},
    {"dpo1", {"dpo", ""}},
    {"dpo2", {"dpo", ""}},
    {"fleet1", {"fleet", ""}},
    {"crm-acme", {"integration", "Acme"}},
    {"auditor-globex", {"auditor", "Globex"}},
};

class AuditApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    collector_ = std::make_unique<CollectorProcess>(collector_dir_, 0);
    ASSERT_NE(collector_->port(), 0);
    for (const auto& [name, role_brand] : kAccounts) {
      std::string command = "printf '%s\\n' '" + std::string(kPassword) + "' | " +
                            VIGIE_COLLECTOR_BINARY + " --data-dir " + collector_dir_ +
                            " --add-account " + name + " --role " + role_brand.first;
      if (!role_brand.second.empty()) command += " --brand " + role_brand.second;
      Subprocess add({"/bin/sh", "-c", command}, -1, true);
      const std::string output = add.readAllOutput();
      ASSERT_EQ(add.wait(), 0) << output;
    }
    client_ = std::make_unique<HttpsClient>(collector_->url(), collector_dir_ + "/ca.pem");
  }

  std::string token(const std::string& user) {
    auto found = tokens_.find(user);
    if (found != tokens_.end()) return found->second;
    const std::string issued = client_->login(user, kPassword);
    EXPECT_FALSE(issued.empty()) << user << " could not log in";
    tokens_[user] = issued;
    return issued;
  }

  HttpAnswer get(const std::string& user, const std::string& target) {
    return client_->call("GET", target, token(user));
  }

  // Two CRM audit records for C-1042 by CRM user JDUPONT, who is the workstation login "root".
  void postCrmRecords() {
    HttpAnswer person = client_->call(
        "PUT", "/v1/people/root", token("admin1"),
        R"({"team":"recouvrement","crm_accounts":[{"brand":"Acme","user":"JDUPONT"}]})");
    ASSERT_EQ(person.status, 204) << person.body;
    // After the workstation's view (now): the CRM saved the edit a minute later.
    const std::string lines =
        R"({"id":"A-77","time":")" + timeFromNow(60000) +
        R"(","user":"JDUPONT","record_id":"C-1042","action":"update","fields":["iban","address"]})"
        "\n"
        R"({"id":"A-78","time":")" +
        timeFromNow(120000) +
        R"(","user":"JDUPONT","record_id":"C-1042","action":"export"})"
        "\n";
    HttpAnswer posted =
        client_->call("POST", "/v1/crm-events", token("crm-acme"), lines, "application/x-ndjson");
    ASSERT_EQ(posted.status, 200) << posted.body;
    EXPECT_EQ(posted.body, R"({"accepted":2,"duplicates":0})");
  }

  TempDir dir_;
  const std::string collector_dir_ = dir_.file("collector");
  std::unique_ptr<CollectorProcess> collector_;
  std::unique_ptr<HttpsClient> client_;
  std::map<std::string, std::string> tokens_;
};

std::string concrete(std::string_view pattern) {
  std::string path(pattern);
  for (size_t hole = path.find("{}"); hole != std::string::npos; hole = path.find("{}")) {
    path.replace(hole, 2, "1");
  }
  return path;
}

// Walks the route table: a new route cannot be added without its permission being enforced.
TEST_F(AuditApiTest, EveryRouteRefusesTheAnonymousAndTheWrongRoles) {
  const std::map<Role, std::string> by_role = {{Role::kAdmin, "admin1"},
                                               {Role::kAuditor, "auditor1"},
                                               {Role::kDpo, "dpo1"},
                                               {Role::kFleet, "fleet1"},
                                               {Role::kIntegration, "crm-acme"}};
  size_t checked = 0;
  for (const collector::api::Route& route : collector::api::apiRoutes()) {
    const std::string method(route.method);
    const std::string path = concrete(route.pattern);
    SCOPED_TRACE(method + " " + path);
    if (route.roles.empty()) continue;  // login
    EXPECT_EQ(client_->call(method, path).status, 401);
    EXPECT_EQ(client_->call(method, path, std::string(64, 'a')).status, 401);
    HttpAnswer anonymous = client_->call(method, path);
    EXPECT_TRUE(anonymous.hasHeader("WWW-Authenticate: Bearer"));
    for (const auto& [role, user] : by_role) {
      // Logging out ends the session: use a session of its own.
      const std::string session =
          path == "/v1/auth/logout" ? client_->login(user, kPassword) : token(user);
      const long status = client_->call(method, path, session, "{}").status;
      if (route.roles.has(role)) {
        EXPECT_NE(status, 401) << user;
        EXPECT_NE(status, 403) << user;
        EXPECT_LT(status, 500) << user;
      } else {
        EXPECT_EQ(status, 403) << user;
      }
    }
    ++checked;
  }
  EXPECT_GE(checked, 28u);
  EXPECT_EQ(client_->call("GET", "/v1/nothing-here", token("dpo1")).status, 404);
  EXPECT_EQ(client_->call("PATCH", "/v1/audit/record", token("dpo1")).status, 405);
}

TEST_F(AuditApiTest, RecordHistoryJoinsWorkstationViewsAndCrmChangesUnderOnePseudonym) {
  testing::EnrolledAgent agent(dir_.file("agent"), dir_.file("agent.sock"));
  agent.enroll(collector_->url(), collector_dir_, "PC-114");
  agent.start();
  agent.sendViews({"C-1042", "C-2000"});
  postCrmRecords();

  // Wait (bounded) for the agent's batch to be stored.
  HttpAnswer history;
  const std::string query = "/v1/audit/record?id=C-1042" + window();
  for (int i = 0; i < 300; ++i) {
    history = get("auditor1", query);
    if (history.body.find("\"source\":\"workstation\"") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(history.status, 200) << history.body;
  const size_t view = history.body.find("\"type\":\"crm.view\"");
  const size_t update = history.body.find("\"type\":\"crm.update\"");
  ASSERT_NE(view, std::string::npos) << history.body;
  ASSERT_NE(update, std::string::npos) << history.body;
  EXPECT_LT(view, update) << "time order: the view happened first";
  EXPECT_NE(history.body.find(R"("fields":["iban","address"])"), std::string::npos);
  EXPECT_NE(history.body.find("\"team\":\"recouvrement\""), std::string::npos);
  EXPECT_EQ(history.body.find("C-2000"), std::string::npos) << "another record leaked in";
  // The same person on both sides, as a pseudonym; never the login.
  const std::string pseudonym = testing::jsonText(history.body, "user");
  ASSERT_EQ(pseudonym.size(), 12u) << history.body;
  EXPECT_EQ(history.body.find("root"), std::string::npos) << history.body;
  size_t occurrences = 0;
  for (size_t at = history.body.find(pseudonym); at != std::string::npos;
       at = history.body.find(pseudonym, at + 1)) {
    ++occurrences;
  }
  EXPECT_EQ(occurrences, 3u) << history.body;

  // A brand-bound auditor of another brand sees none of it, and may not ask for it.
  HttpAnswer other = get("auditor-globex", query);
  ASSERT_EQ(other.status, 200);
  EXPECT_EQ(other.body, R"({"items":[],"next":null})");
  EXPECT_EQ(get("auditor-globex", query + "&brand=Acme").status, 403);

  // The person's timeline by pseudonym, paged one item at a time through every page.
  std::string after;
  std::multiset<std::string> types;
  for (size_t pages = 0; pages < 20; ++pages) {
    HttpAnswer page = get("dpo1", "/v1/audit/timeline?user=" + pseudonym + window() + "&limit=1" +
                                      (after.empty() ? "" : "&after=" + after));
    ASSERT_EQ(page.status, 200) << page.body;
    types.insert(testing::jsonText(page.body, "type"));
    after = testing::jsonText(page.body, "next");
    if (after.empty()) break;
  }
  EXPECT_EQ(types.count("crm.view"), 2u);
  EXPECT_EQ(types.count("crm.update"), 1u);
  EXPECT_EQ(types.count("crm.export"), 1u);

  // Two-person reveal: the auditor asks, cannot approve; a dpo approves; the auditor reads it.
  HttpAnswer asked = client_->call(
      "POST", "/v1/reveals", token("auditor1"),
      R"({"pseudonym":")" + pseudonym + R"(","reason":"ticket SEC-12: export of C-1042"})");
  ASSERT_EQ(asked.status, 201) << asked.body;
  EXPECT_EQ(client_->call("POST", "/v1/reveals/1/approve", token("auditor1")).status, 403);
  HttpAnswer pending = get("auditor1", "/v1/reveals/1");
  EXPECT_EQ(pending.body.find("\"identity\""), std::string::npos);
  HttpAnswer approved = client_->call("POST", "/v1/reveals/1/approve", token("dpo1"));
  ASSERT_EQ(approved.status, 200) << approved.body;
  HttpAnswer revealed = get("auditor1", "/v1/reveals/1");
  EXPECT_EQ(testing::jsonText(revealed.body, "identity"), "root") << revealed.body;
  EXPECT_EQ(get("dpo2", "/v1/reveals/1").status, 403) << "a third person reads nothing";

  // Every step is in the trail, and the chain holds.
  HttpAnswer trail = get("dpo2", "/v1/trail?limit=1000");
  ASSERT_EQ(trail.status, 200);
  for (const char* action : {"GET /v1/audit/record", "POST /v1/reveals",
                             "POST /v1/reveals/{}/approve", "GET /v1/reveals/{}"}) {
    EXPECT_NE(trail.body.find(action), std::string::npos) << action;
  }
  EXPECT_NE(trail.body.find("\"identity_shown\":true"), std::string::npos);
  EXPECT_NE(trail.body.find("SEC-12"), std::string::npos) << "the stated reason is kept";
  HttpAnswer verified = get("dpo2", "/v1/trail/verify");
  EXPECT_NE(verified.body.find("\"ok\":true"), std::string::npos) << verified.body;
}

TEST_F(AuditApiTest, HostileFiltersAreAnsweredAsPlainValuesOrRefused) {
  postCrmRecords();
  const std::vector<std::string> hostile = {
      "%27%20OR%20%271%27%3D%271",               // ' OR '1'='1
      "C-1042%27%20--",                          // C-1042' --
      "%22%3B%20DROP%20TABLE%20events%3B%20--",  // "; DROP TABLE events; --
      "*",
      "%25",
      "C-1042%00",
      "%0d%0aSet-Cookie:%20x",
      std::string(300, 'A'),
  };
  for (const std::string& value : hostile) {
    for (const std::string& target :
         {"/v1/audit/record?id=" + value, "/v1/audit/timeline?user=" + value,
          "/v1/audit/exports?team=" + value, "/v1/audit/exports?brand=" + value,
          "/v1/audit/record?id=C-1042&after=" + value, "/v1/audit/record?id=C-1042&from=" + value,
          "/v1/audit/timeline?user=p-0000000000&to=" + value,
          "/v1/audit/incidents?limit=" + value}) {
      SCOPED_TRACE(target);
      HttpAnswer answer = get("dpo1", target);
      EXPECT_TRUE(answer.status == 200 || answer.status == 400) << answer.status << answer.body;
      if (answer.status == 200) {
        EXPECT_NE(answer.body.find("\"items\":[]"), std::string::npos);
      }
    }
  }
  // The store is intact and still answers.
  HttpAnswer intact = get("dpo1", "/v1/audit/record?id=C-1042" + window());
  EXPECT_NE(intact.body.find("crm.update"), std::string::npos) << intact.body;

  // Unbounded or malformed questions get bounded answers and clear errors.
  EXPECT_EQ(get("dpo1", "/v1/audit/record?id=C-1042&limit=100000").status, 400);
  EXPECT_EQ(get("dpo1", "/v1/audit/record?id=C-1042&from=2020-01-01&to=2030-01-01").status, 400);
  EXPECT_EQ(get("dpo1", "/v1/audit/record?id=C-1042&id=C-1").status, 400);
  EXPECT_EQ(get("dpo1", "/v1/audit/record").status, 400);
  HttpAnswer unknown = get("dpo1", "/v1/audit/record?id=C-1042&sort=time");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_NE(unknown.body.find("unknown parameter"), std::string::npos);
  EXPECT_EQ(get("dpo1", "/v1/audit/record?id=" + std::string(5000, 'x')).status, 414);
  EXPECT_EQ(client_->call("POST", "/v1/reveals", token("dpo1"), std::string(20000, ' ')).status,
            413);
  EXPECT_EQ(client_->call("POST", "/v1/reveals", token("dpo1"), "{not json").status, 400);
  EXPECT_EQ(client_
                ->call("POST", "/v1/crm-events", token("crm-acme"),
                       std::string(2 * 1024 * 1024, '\n'), "application/x-ndjson")
                .status,
            413);
  HttpAnswer values = client_->call(
      "POST", "/v1/crm-events", token("crm-acme"),
      R"({"id":"A-90","time":")" + timeFromNow(0) +
          R"(","user":"JDUPONT","record_id":"C-1","action":"update","fields":["iban"]})"
          "\n"
          R"({"id":"A-91","time":")" +
          timeFromNow(0) +
          R"(","user":"JDUPONT","record_id":"C-1","action":"update","new_value":"FR76..."})",
      "application/x-ndjson");
  EXPECT_EQ(values.status, 400);
  EXPECT_NE(values.body.find("line 2"), std::string::npos) << values.body;
  EXPECT_EQ(get("dpo1", "/v1/audit/record?id=C-1" + window()).body, R"({"items":[],"next":null})")
      << "a refused request stores nothing, not even its good lines";
}

TEST_F(AuditApiTest, GuessingPasswordsIsRateLimitedEvenWithTheRightOne) {
  const std::string wrong = R"({"user":"dpo1","password":"not the password"})";
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(client_->call("POST", "/v1/auth/login", "", wrong).status, 401);
  }
  HttpAnswer limited = client_->call("POST", "/v1/auth/login", "",
                                     R"({"user":"dpo1","password":"correct horse battery"})");
  EXPECT_EQ(limited.status, 429);
  EXPECT_TRUE(limited.hasHeader("Retry-After: "));
  // Another account is not locked by it.
  EXPECT_FALSE(client_->login("dpo2", kPassword).empty());
  HttpAnswer trail = get("dpo2", "/v1/trail?limit=1000");
  EXPECT_NE(trail.body.find("rate limited"), std::string::npos);
}

TEST_F(AuditApiTest, ConsoleServesOnlyItsOwnFilesUnderAStrictPolicy) {
  HttpAnswer page = client_->call("GET", "/console/");
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(page.hasHeader("Content-Security-Policy: default-src 'self'"));
  EXPECT_NE(page.body.find("app.js"), std::string::npos);
  EXPECT_EQ(client_->call("GET", "/console/app.js").status, 200);
  for (const char* path : {"/console/../ca.key", "/console/%2e%2e/ca.key", "/console/ca.key",
                           "/console/../../etc/passwd", "/console/app.js/..",
                           "/console//etc/passwd", "/v1/../console/ca.key"}) {
    HttpAnswer answer = client_->call("GET", path);
    EXPECT_EQ(answer.status, 404) << path;
    EXPECT_EQ(answer.body.find("PRIVATE KEY"), std::string::npos) << path;
  }
  EXPECT_EQ(client_->call("POST", "/console/").status, 405);
}

TEST_F(AuditApiTest, RetentionNeedsAJustificationBeyondAYearAndRecordsIt) {
  EXPECT_EQ(client_->call("PUT", "/v1/retention/access", token("dpo1"), R"({"days":90})").status,
            400);
  EXPECT_EQ(client_->call("PUT", "/v1/retention/access", token("dpo1"), R"({"days":400})").status,
            400);
  EXPECT_EQ(
      client_
          ->call("PUT", "/v1/retention/access", token("dpo1"),
                 R"({"days":400,"justification":"litigation with client Acme, case 2030-17"})")
          .status,
      204);
  EXPECT_EQ(client_->call("PUT", "/v1/retention/nothing", token("dpo1"), R"({"days":200})").status,
            404);
  HttpAnswer shown = get("admin1", "/v1/retention");
  EXPECT_NE(shown.body.find(R"("class":"access","days":400,"justification":"litigation)"),
            std::string::npos)
      << shown.body;
  HttpAnswer purge = client_->call("POST", "/v1/retention/purge", token("admin1"));
  EXPECT_EQ(purge.status, 200) << purge.body;
  EXPECT_NE(purge.body.find("\"purged\":{\"access\":0"), std::string::npos) << purge.body;
  HttpAnswer trail = get("dpo2", "/v1/trail?limit=1000");
  EXPECT_NE(trail.body.find("case 2030-17"), std::string::npos);
}

}  // namespace
}  // namespace vigie
