// Detection end to end: the real vigie-collector with a detection.json, a real enrolled
// vigie-agent sending crm.view events, the CTI feed and the watch-list over the real API, alerts
// raised in real time, taken through their life cycle, and a retrospective run over the same
// history that meets the real-time alerts instead of doubling them.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <map>
#include <thread>

#include "collector_process.h"
#include "enrolled_agent.h"
#include "https_client.h"
#include "subprocess.h"
#include "temp_dir.h"
#include "vigie/protocol/utc_time.h"

namespace vigie {
namespace {

using testing::CollectorProcess;
using testing::HttpAnswer;
using testing::HttpsClient;
using testing::Subprocess;
using testing::TempDir;
using testing::timeFromNow;

constexpr char kPassword[] = "correct horse battery";

size_t count(const std::string& text, const std::string& what) {
  size_t found = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++found;
  }
  return found;
}

class DetectionApiTest : public ::testing::Test {
 protected:
  void startCollector(const std::string& detection_json) {
    ASSERT_EQ(::mkdir(collector_dir_.c_str(), 0700), 0);
    std::ofstream(collector_dir_ + "/detection.json") << detection_json;
    collector_ = std::make_unique<CollectorProcess>(collector_dir_, 0);
    ASSERT_NE(collector_->port(), 0);
    for (const auto& [name, role, brand] :
         {std::tuple{"admin1", "admin", ""}, std::tuple{"auditor1", "auditor", ""},
          std::tuple{"cti-acme", "integration", "Acme"},
          std::tuple{"auditor-globex", "auditor", "Globex"}}) {
      collector_->addAccount(name, role, kPassword, brand);
    }
    client_ = std::make_unique<HttpsClient>(collector_->url(), collector_dir_ + "/ca.pem");
  }

  std::string token(const std::string& user) {
    auto& issued = tokens_[user];
    if (issued.empty()) issued = client_->login(user, kPassword);
    return issued;
  }

  // The alerts list, once it holds `wanted` items of `rule` (bounded wait).
  HttpAnswer waitForAlerts(const std::string& rule, size_t wanted) {
    HttpAnswer answer;
    for (int i = 0; i < 200; ++i) {
      answer = client_->call("GET", "/v1/alerts?rule=" + rule, token("auditor1"));
      if (count(answer.body, "\"rule\":\"" + rule + "\"") >= wanted) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return answer;
  }

  TempDir dir_;
  const std::string collector_dir_ = dir_.file("collector");
  std::unique_ptr<CollectorProcess> collector_;
  std::unique_ptr<HttpsClient> client_;
  std::map<std::string, std::string> tokens_;
};

// Decides every second; an access is justified by a call from 10 minutes before it to the moment
// itself, the feed taken as complete at once (the test posts its calls first). Alerts also go to
// a JSON-lines file.
std::string fastRules(const std::string& alerts_file) {
  return R"({"tick_seconds":1,"rules":{"unjustified_access":{"before_minutes":10,)"
         R"("after_minutes":0,"feed_delay_minutes":0,"min_records":2},"off_shift":{"enabled":false}},)"
         R"("outputs":{"jsonl":{"path":")" +
         alerts_file + R"("}}})";
}

TEST_F(DetectionApiTest, ColleaguesRecordAndUnjustifiedAccessRaiseExplainedPseudonymousAlerts) {
  const std::string alerts_file = dir_.file("alerts.jsonl");
  startCollector(fastRules(alerts_file));
  // The CTI: the person (the workstation login, root) is on a call about C-1 right now. A bad
  // line refuses the whole text, naming the line, and stores nothing.
  const std::string good = R"({"id":"K-1","agent":"root","start":")" + timeFromNow(-60000) +
                           R"(","end":")" + timeFromNow(600000) +
                           R"(","record_id":"C-1","campaign":"retention"})";
  HttpAnswer refused = client_->call("POST", "/v1/calls", token("cti-acme"),
                                     good + "\n{\"id\":\"K-2\",\"agent\":\"root\"}\n");
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(refused.body.find("line 2"), std::string::npos) << refused.body;
  HttpAnswer posted = client_->call("POST", "/v1/calls", token("cti-acme"), good + "\n");
  ASSERT_EQ(posted.status, 200) << posted.body;
  EXPECT_EQ(posted.body, R"({"accepted":1,"duplicates":0})") << "the refused text stored nothing";
  EXPECT_EQ(client_->call("POST", "/v1/calls", token("cti-acme"), good).body,
            R"({"accepted":0,"duplicates":1})");
  // A colleague's record on the watch-list.
  HttpAnswer watched =
      client_->call("PUT", "/v1/watchlist/C-77?brand=Acme", token("admin1"),
                    R"({"kind":"colleague","login":"mdurand","reason":"record of an employee"})");
  ASSERT_EQ(watched.status, 200) << watched.body;
  EXPECT_EQ(watched.body.find("mdurand"), std::string::npos) << "pseudonymised: " << watched.body;
  EXPECT_EQ(client_
                ->call("PUT", "/v1/watchlist/C-78", token("admin1"),
                       R"({"kind":"colleague","reason":"whose?"})")
                .status,
            400);

  testing::EnrolledAgent agent(dir_.file("agent"), dir_.file("agent.sock"));
  agent.enroll(collector_->url(), collector_dir_, "PC-114");
  agent.start();
  agent.sendViews({"C-1", "C-77", "C-2"});

  // The colleague's record: at once. Unjustified access: C-77 and C-2, once the window closes;
  // C-1 had its call.
  HttpAnswer colleague = waitForAlerts("watchlist", 1);
  ASSERT_EQ(count(colleague.body, "\"rule\":\"watchlist\""), 1u) << colleague.body;
  EXPECT_NE(colleague.body.find("colleague's customer record C-77"), std::string::npos);
  EXPECT_NE(colleague.body.find("\"person\":\"p-"), std::string::npos);
  EXPECT_EQ(colleague.body.find("root"), std::string::npos) << colleague.body;
  EXPECT_NE(colleague.body.find("\"device\":\"PC-114\""), std::string::npos);

  HttpAnswer unjustified = waitForAlerts("unjustified_access", 1);
  ASSERT_EQ(count(unjustified.body, "\"rule\":\"unjustified_access\""), 1u) << unjustified.body;
  for (int i = 0; i < 50 && count(unjustified.body, "\"type\":\"crm.view\"") < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    unjustified = client_->call("GET", "/v1/alerts?rule=unjustified_access", token("auditor1"));
  }
  EXPECT_NE(unjustified.body.find("\"record_id\":\"C-2\""), std::string::npos) << unjustified.body;
  EXPECT_NE(unjustified.body.find("\"record_id\":\"C-77\""), std::string::npos);
  EXPECT_EQ(unjustified.body.find("\"record_id\":\"C-1\""), std::string::npos)
      << "C-1 was justified by its call: " << unjustified.body;

  // The JSON-lines output has both, with the pseudonym and never the login.
  std::string lines;
  for (int i = 0; i < 100 && count(lines, "\n") < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::ifstream file(alerts_file);
    lines.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  }
  EXPECT_EQ(count(lines, "\n"), 2u) << lines;
  EXPECT_EQ(count(lines, "\"person\":\"p-"), 2u) << lines;
  EXPECT_EQ(lines.find("root"), std::string::npos) << lines;
  struct stat info {};
  ASSERT_EQ(::stat(alerts_file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);

  // Another brand's auditor sees none of it.
  EXPECT_EQ(client_->call("GET", "/v1/alerts", token("auditor-globex")).body,
            R"({"items":[],"next_before":null})");

  // Life cycle: acknowledged, closed with a verdict and a comment, then final.
  const std::string id =
      std::to_string(std::stoll(colleague.body.substr(colleague.body.find("\"id\":") + 5)));
  const std::string path = "/v1/alerts/" + id;
  HttpAnswer ack = client_->call("POST", path + "/acknowledge", token("auditor1"),
                                 R"({"comment":"looking into it"})");
  ASSERT_EQ(ack.status, 200) << ack.body;
  EXPECT_EQ(testing::jsonText(ack.body, "status"), "acknowledged");
  EXPECT_EQ(
      client_->call("POST", path + "/close", token("auditor1"), R"({"verdict":"true_positive"})")
          .status,
      400)
      << "closing needs a comment";
  EXPECT_EQ(
      client_
          ->call("POST", path + "/close", token("auditor1"), R"({"verdict":"maybe","comment":"x"})")
          .status,
      400);
  HttpAnswer closed = client_->call("POST", path + "/close", token("auditor1"),
                                    R"({"verdict":"true_positive","comment":"confirmed"})");
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(testing::jsonText(closed.body, "verdict"), "true_positive");
  EXPECT_EQ(testing::jsonText(closed.body, "updated_by"), "auditor1");
  EXPECT_EQ(client_->call("POST", path + "/acknowledge", token("auditor1"), "{}").status, 409);
  EXPECT_EQ(client_->call("GET", "/v1/alerts/999999", token("auditor1")).status, 404);
  EXPECT_EQ(client_->call("GET", "/v1/alerts?status=closed", token("auditor1")).body.find(path),
            std::string::npos);
  EXPECT_EQ(count(client_->call("GET", "/v1/alerts?status=closed", token("auditor1")).body,
                  "\"id\":" + id + ","),
            1u);

  // The same history after the fact: the run finds the same two alerts and doubles neither.
  HttpAnswer run = client_->call("POST", "/v1/detection/runs", token("auditor1"),
                                 R"({"rules":["watchlist","unjustified_access"],"days":1,"to":")" +
                                     timeFromNow(3600000) + R"("})");
  ASSERT_EQ(run.status, 202) << run.body;
  const std::string run_path =
      "/v1/detection/runs/" + std::to_string(std::stoll(run.body.substr(run.body.find(':') + 1)));
  HttpAnswer done;
  for (int i = 0; i < 300; ++i) {
    done = client_->call("GET", run_path, token("auditor1"));
    if (testing::jsonText(done.body, "state") == "done") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(testing::jsonText(done.body, "state"), "done") << done.body;
  EXPECT_NE(done.body.find("\"alerts\":0"), std::string::npos) << done.body;
  EXPECT_GE(std::stoll(done.body.substr(done.body.find("\"events\":") + 9)), 3);
  EXPECT_EQ(count(client_->call("GET", "/v1/alerts", token("auditor1")).body, "\"rule\":"), 2u);
  EXPECT_EQ(
      client_->call("POST", "/v1/detection/runs", token("auditor1"), R"({"rules":["snooping"]})")
          .status,
      400);
}

TEST_F(DetectionApiTest, AMisspeltThresholdStopsTheCollectorNamingIt) {
  ASSERT_EQ(::mkdir(collector_dir_.c_str(), 0700), 0);
  std::ofstream(collector_dir_ + "/detection.json") << R"({"rules":{"volume":{"own_factr":4}}})";
  Subprocess collector(
      {VIGIE_COLLECTOR_BINARY, "--data-dir", collector_dir_, "--listen", "127.0.0.1:0"}, -1,
      /*capture_stderr=*/true);
  const std::string output = collector.readAllOutput();
  EXPECT_NE(collector.wait(), 0);
  EXPECT_NE(output.find("rules.volume.own_factr"), std::string::npos) << output;
}

}  // namespace
}  // namespace vigie
