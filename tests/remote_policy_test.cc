// The workstation policy end to end: an administrator activates a policy at the real collector
// over the audit API, a real enrolled vigie-agent pulls it over mutual TLS, verifies the
// collector's signature, publishes it for the session sensors and applies it without a restart;
// a bad document never reaches it, and a policy changed on the workstation's disk is refused,
// reported, and replaced by the collector's own.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "collector_process.h"
#include "enrolled_agent.h"
#include "https_client.h"
#include "subprocess.h"
#include "temp_dir.h"
#include "vigie/protocol/json.h"

namespace vigie {
namespace {

using testing::CollectorProcess;
using testing::HttpsClient;
using testing::Subprocess;
using testing::TempDir;

constexpr char kPassword[] = "correct horse battery";

std::string policy(const std::string& version, int batch_events) {
  return R"({"policy_version":")" + version +
         R"(","applications":[{"app":"crm-web","brand":"Acme",)"
         R"("process":"^chromium$","screens":[{"screen":"customer","title":"^Client (C-[0-9]+) "}]}],)"
         R"("clipboard":"named","notice":{"controller":"Acme Contact SAS","contact":"dpo@acme.example",)"
         R"("purposes":["Security of customer data"],"recipients":["Security team"]},)"
         R"("upload":{"batch_events":)" +
         std::to_string(batch_events) + R"(,"linger_ms":30}})";
}

std::string readFile(const std::string& path) {
  std::ifstream file(path);
  return std::string(std::istreambuf_iterator<char>(file), {});
}

class RemotePolicyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(::mkdir(collector_dir_.c_str(), 0700), 0);
    collector_ = std::make_unique<CollectorProcess>(collector_dir_, 0);
    ASSERT_NE(collector_->port(), 0);
    for (const auto& [name, role] : {std::pair{"admin1", "admin"}, {"auditor1", "auditor"}}) {
      Subprocess add(
          {"/bin/sh", "-c",
           "printf '%s\\n' '" + std::string(kPassword) + "' | " + VIGIE_COLLECTOR_BINARY +
               " --data-dir " + collector_dir_ + " --add-account " + name + " --role " + role},
          -1, true);
      const std::string output = add.readAllOutput();
      ASSERT_EQ(add.wait(), 0) << output;
    }
    client_ = std::make_unique<HttpsClient>(collector_->url(), collector_dir_ + "/ca.pem");
    admin_ = client_->login("admin1", kPassword);
    ASSERT_FALSE(admin_.empty());
    agent_.enroll(collector_->url(), collector_dir_, "ws-policy-1");
  }

  // The published policy's text once it holds `serial` (bounded wait), else what is there.
  std::string waitForPublished(int serial) {
    const std::string wanted = "{\"serial\":" + std::to_string(serial) + ",";
    std::string text;
    for (int i = 0; i < 300; ++i) {
      text = readFile(published_);
      if (text.rfind(wanted, 0) == 0) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return text;
  }

  // The fleet view of the test workstation once it holds `wanted` (bounded wait).
  std::string fleetOnce(const std::string& wanted) {
    std::string body;
    for (int i = 0; i < 200; ++i) {
      body = client_->call("GET", "/v1/fleet/ws-policy-1", admin_).body;
      if (body.find(wanted) != std::string::npos) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return body;
  }

  // The agent's own events as the collector stored them (its account is the service's).
  std::string agentTimeline(const std::string& type) {
    const std::string auditor = client_->login("auditor1", kPassword);
    std::string body;
    for (int i = 0; i < 200; ++i) {
      body = client_->call("GET", "/v1/audit/timeline?user=root&limit=1000", auditor).body;
      if (body.find("\"" + type + "\"") != std::string::npos) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return body;
  }

  TempDir dir_;
  const std::string collector_dir_ = dir_.file("collector");
  const std::string socket_ = dir_.file("run/agent.sock");
  const std::string published_ = dir_.file("run/policy.json");
  std::unique_ptr<CollectorProcess> collector_;
  std::unique_ptr<HttpsClient> client_;
  std::string admin_;
  testing::EnrolledAgent agent_{dir_.file("agent"), socket_};
};

TEST_F(RemotePolicyTest, ActivatedPolicyIsPulledVerifiedPublishedAndAppliedWithoutRestart) {
  agent_.start({"--heartbeat-seconds", "1"});
  // Nothing activated: nothing published, the sensors keep their local policy.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_FALSE(std::filesystem::exists(published_));

  // A bad document is refused at the collector with the member named, and never signed.
  auto bad = client_->call("POST", "/v1/workstation-policy", admin_,
                           R"({"policy_version":"x","upload":{"batch_events":0}})");
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(bad.body.find("upload.batch_events"), std::string::npos) << bad.body;
  EXPECT_EQ(client_->call("GET", "/v1/workstation-policy", admin_).status, 404);
  // Auditors read audit data; they do not set what workstations record.
  const std::string auditor = client_->login("auditor1", kPassword);
  EXPECT_EQ(client_->call("POST", "/v1/workstation-policy", auditor, policy("a", 100)).status, 403);

  auto first = client_->call("POST", "/v1/workstation-policy", admin_, policy("site-1", 100));
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_NE(first.body.find("\"serial\":1"), std::string::npos) << first.body;
  const std::string text = waitForPublished(1);
  ASSERT_EQ(text.rfind("{\"serial\":1,", 0), 0u) << text;
  // Exactly what the collector signed, readable by every account's sensor.
  const auto active = client_->call("GET", "/v1/workstation-policy", admin_);
  ASSERT_EQ(active.status, 200);
  EXPECT_NE(active.body.find("\"document\":" + text), std::string::npos) << active.body;
  struct stat info {};
  ASSERT_EQ(::stat(published_.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0644u);
  EXPECT_NE(agentTimeline("agent.policy").find(R"("policy_version":"site-1","serial":1)"),
            std::string::npos);

  // A new activation reaches the running agent: same process, new policy.
  ASSERT_EQ(client_->call("POST", "/v1/workstation-policy", admin_, policy("site-2", 50)).status,
            201);
  EXPECT_EQ(waitForPublished(2).rfind("{\"serial\":2,", 0), 0u);
  EXPECT_NE(agentTimeline("agent.policy").find(R"("policy_version":"site-2","serial":2)"),
            std::string::npos);
  // The heartbeat reports the policy applied; the fleet view finds the workstation up to date.
  std::string fleet = fleetOnce(R"("policy":{"serial":2,"version":"site-2"})");
  EXPECT_NE(fleet.find(R"("policy":{"serial":2,"version":"site-2"})"), std::string::npos) << fleet;
  EXPECT_NE(fleet.find(R"("status":"healthy")"), std::string::npos) << fleet;

  // A policy the workstation has not applied yet makes it outdated.
  agent_.stop();
  ASSERT_EQ(client_->call("POST", "/v1/workstation-policy", admin_, policy("site-3", 70)).status,
            201);
  fleet = fleetOnce(R"("status":"outdated")");
  EXPECT_NE(fleet.find(R"("status":"outdated")"), std::string::npos) << fleet;
  EXPECT_NE(fleet.find("policy serial 2, active 3"), std::string::npos) << fleet;

  auto history = client_->call("GET", "/v1/workstation-policy/history", admin_);
  EXPECT_NE(history.body.find("\"version\":\"site-2\""), std::string::npos) << history.body;
  EXPECT_NE(history.body.find("\"activated_by\":\"admin1\""), std::string::npos);
}

TEST_F(RemotePolicyTest, APolicyChangedOnTheWorkstationIsRefusedReportedAndReplaced) {
  agent_.start({"--heartbeat-seconds", "1"});
  ASSERT_EQ(client_->call("POST", "/v1/workstation-policy", admin_, policy("site-1", 100)).status,
            201);
  ASSERT_EQ(waitForPublished(1).rfind("{\"serial\":1,", 0), 0u);
  agent_.stop();

  // Someone with access to the disk widens what the policy records.
  const std::string kept = dir_.file("agent/policy/policy.json");
  std::string document = readFile(kept);
  const size_t at = document.find("\"named\"");
  ASSERT_NE(at, std::string::npos);
  document.replace(at, 7, "\"all\"");
  std::ofstream(kept, std::ios::trunc) << document;

  agent_.start({"--heartbeat-seconds", "1"});
  // Refused and recorded; the collector's own policy is pulled again and published.
  const std::string timeline = agentTimeline("agent.integrity");
  EXPECT_NE(timeline.find("policy_refused"), std::string::npos) << timeline;
  EXPECT_NE(timeline.find("does not verify"), std::string::npos) << timeline;
  const std::string text = waitForPublished(1);
  EXPECT_NE(text.find("\"clipboard\":\"named\""), std::string::npos) << text;
}

}  // namespace
}  // namespace vigie
