// The fleet end to end: a real vigie-collector with short fleet thresholds, a real enrolled
// vigie-agent sending real heartbeats over mutual TLS with a session sensor attached, the fleet
// view over the API (healthy, then late, then silent once the agent stops) and the
// workstation_silent alert; malformed heartbeats refused and never stored.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <map>
#include <thread>

#include "collector_process.h"
#include "enrolled_agent.h"
#include "https_client.h"
#include "sensor_client.h"
#include "temp_dir.h"
#include "vigie/agent/enrollment_client.h"
#include "vigie/agent/http_transport.h"

namespace vigie {
namespace {

using testing::CollectorProcess;
using testing::HttpAnswer;
using testing::HttpsClient;
using testing::TempDir;

constexpr char kPassword[] = "correct horse battery";

// Every second a detection tick; silence alerted whenever the workstation counts as silent.
constexpr char kDetection[] =
    R"({"tick_seconds":1,"rules":{"workstation_silent":{"after_minutes":0,"days":"mon-sun",)"
    R"("start":"00:00","end":"24:00"}}})";

class FleetApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(::mkdir(collector_dir_.c_str(), 0700), 0);
    std::ofstream(collector_dir_ + "/detection.json") << kDetection;
    // Late after 2 x 1 s + 1 s without heartbeat, silent after 6 s.
    collector_ = std::make_unique<CollectorProcess>(
        collector_dir_, 0,
        std::vector<std::string>{"--heartbeat-seconds", "1", "--late-grace-seconds", "1",
                                 "--silent-seconds", "6"});
    ASSERT_NE(collector_->port(), 0);
    for (const auto& [name, role] : {std::pair{"fleet1", "fleet"}, std::pair{"admin1", "admin"},
                                     std::pair{"auditor1", "auditor"}, std::pair{"dpo1", "dpo"}}) {
      collector_->addAccount(name, role, kPassword);
    }
    client_ = std::make_unique<HttpsClient>(collector_->url(), collector_dir_ + "/ca.pem");
  }

  std::string token(const std::string& user) {
    auto& issued = tokens_[user];
    if (issued.empty()) issued = client_->login(user, kPassword);
    return issued;
  }

  // GETs `target` as `user` until `done` holds for the answer (bounded wait); returns the last.
  HttpAnswer pollUntil(const std::string& user, const std::string& target,
                       const std::function<bool(const std::string&)>& done,
                       std::chrono::seconds within = std::chrono::seconds(30)) {
    HttpAnswer answer;
    const auto deadline = std::chrono::steady_clock::now() + within;
    do {
      answer = client_->call("GET", target, token(user));
      if (answer.status == 200 && done(answer.body)) return answer;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    } while (std::chrono::steady_clock::now() < deadline);
    return answer;
  }

  // A heartbeat posted with the agent's own certificate (or none), as raw as the test wants.
  StatusOr<agent::HttpResponse> postHeartbeat(const std::string& body, bool with_certificate) {
    auto enrollment = agent::loadEnrollment(agent_.dataDir());
    if (!enrollment.isOk()) return enrollment.status();
    if (!enrollment->has_value()) return Status::notFound("the agent is not enrolled");
    agent::TlsSettings tls = (*enrollment)->tls();
    if (!with_certificate) tls.certificate_file = tls.key_file = "";
    auto transport = agent::newCurlTransport(tls);
    if (!transport.isOk()) return transport.status();
    return (*transport)->post("/v1/heartbeat", body, "application/json", false);
  }

  static bool has(const std::string& body, const std::string& what) {
    return body.find(what) != std::string::npos;
  }

  TempDir dir_;
  const std::string collector_dir_ = dir_.file("collector");
  std::unique_ptr<CollectorProcess> collector_;
  std::unique_ptr<HttpsClient> client_;
  std::map<std::string, std::string> tokens_;
  testing::EnrolledAgent agent_{dir_.file("agent"), dir_.file("agent.sock")};
};

TEST_F(FleetApiTest, HeartbeatsShowTheWorkstationHealthyThenLateThenSilentWithOneAlert) {
  agent_.enroll(collector_->url(), collector_dir_, "PC-7");
  agent_.start({"--heartbeat-seconds", "1"});
  // A session sensor stays attached: its logon is answered, its connection kept open.
  auto sensor = platform::connectLocal(agent_.socket());
  ASSERT_TRUE(sensor.isOk()) << sensor.status().toString();
  const auto logon =
      testing::exchangeLines(**sensor, {R"({"type":"session.logon","session":"2","data":{}})"});
  ASSERT_EQ(logon.size(), 1u);
  ASSERT_EQ(logon[0].rfind("ok ", 0), 0u) << logon[0];
  agent_.sendViews({"C-1", "C-2"});

  // Healthy, with its sensor, its uploads and its queue (drained: the uploads went through).
  HttpAnswer healthy = pollUntil("fleet1", "/v1/fleet", [](const std::string& body) {
    return has(body, R"("status":"healthy")") && has(body, R"("status":"connected")") &&
           !has(body, R"("last_upload":null)") && has(body, R"("queue":{"events":0,)");
  });
  ASSERT_EQ(healthy.status, 200) << healthy.body;
  ASSERT_TRUE(has(healthy.body, R"("status":"healthy")")) << healthy.body;
  EXPECT_TRUE(has(healthy.body, R"("device":"PC-7")")) << healthy.body;
  EXPECT_TRUE(has(healthy.body, R"("sessions":[{"session":"2","person":"p-)")) << healthy.body;
  EXPECT_TRUE(has(healthy.body, R"("status":"connected")")) << healthy.body;
  EXPECT_TRUE(has(healthy.body, R"("queue":{"events":0,"bytes":0,"oldest_event":null)"))
      << healthy.body;
  EXPECT_TRUE(has(healthy.body, R"("drops":0)")) << healthy.body;
  EXPECT_TRUE(has(healthy.body, R"("policy":{"serial":0,"version":""})")) << healthy.body;
  EXPECT_FALSE(has(healthy.body, "root")) << "people are pseudonymised: " << healthy.body;

  // Who may ask: fleet and admin; not auditors. Every call is in the trail.
  EXPECT_EQ(client_->call("GET", "/v1/fleet", token("admin1")).status, 200);
  EXPECT_EQ(client_->call("GET", "/v1/fleet", token("auditor1")).status, 403);
  EXPECT_EQ(client_->call("GET", "/v1/fleet").status, 401);
  HttpAnswer one = client_->call("GET", "/v1/fleet/PC-7", token("fleet1"));
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(testing::jsonText(one.body, "device"), "PC-7");
  EXPECT_EQ(client_->call("GET", "/v1/fleet/PC-404", token("fleet1")).status, 404);
  EXPECT_EQ(client_->call("GET", "/v1/fleet?status=asleep", token("fleet1")).status, 400);
  HttpAnswer trail = client_->call("GET", "/v1/trail?limit=1000", token("dpo1"));
  EXPECT_TRUE(has(trail.body, "GET /v1/fleet/{}")) << trail.body;
  EXPECT_TRUE(has(trail.body, R"("detail":{"device":"PC-7"})")) << trail.body;

  // Malformed heartbeats: 400 with the reason, nothing stored; no certificate: 401.
  const std::string sneaky =
      R"({"agent_version":"9.9.9","os":"x","host":"x","policy":{"serial":0,"version":""},)"
      R"("queue":{"events":0,"bytes":0,"oldest_event_ms":null},"drops":0,"last_upload_ms":null,)"
      R"("sessions":[],"sent_ms":1764661060000,"extra":true})";
  for (const std::string& bad : {sneaky, std::string("{"), std::string("[]")}) {
    auto refused = postHeartbeat(bad, true);
    ASSERT_TRUE(refused.isOk()) << refused.status().toString();
    EXPECT_EQ(refused->status, 400) << bad;
    EXPECT_TRUE(has(refused->body, "\"error\"")) << refused->body;
  }
  auto unknown_field = postHeartbeat(sneaky, true);
  ASSERT_TRUE(unknown_field.isOk());
  EXPECT_TRUE(has(unknown_field->body, "unknown field extra")) << unknown_field->body;
  auto anonymous = postHeartbeat(sneaky, false);
  ASSERT_TRUE(anonymous.isOk()) << anonymous.status().toString();
  EXPECT_EQ(anonymous->status, 401);
  EXPECT_FALSE(has(client_->call("GET", "/v1/fleet/PC-7", token("fleet1")).body, "9.9.9"));

  // The agent stops: late within a few seconds, then silent, and one alert for the silence.
  (*sensor)->shutdown();
  agent_.stop();
  HttpAnswer late = pollUntil("fleet1", "/v1/fleet?status=late", [](const std::string& body) {
    return has(body, R"("device":"PC-7")");
  });
  EXPECT_TRUE(has(late.body, R"("status":"late")")) << late.body;
  HttpAnswer silent = pollUntil("fleet1", "/v1/fleet?status=silent", [](const std::string& body) {
    return has(body, R"("device":"PC-7")");
  });
  ASSERT_TRUE(has(silent.body, R"("status":"silent")")) << silent.body;
  EXPECT_TRUE(has(silent.body, R"("why":"no heartbeat for )")) << silent.body;

  HttpAnswer alerts = pollUntil("auditor1", "/v1/alerts?rule=workstation_silent",
                                [](const std::string& body) { return has(body, "PC-7"); });
  ASSERT_TRUE(has(alerts.body, R"("rule":"workstation_silent")")) << alerts.body;
  EXPECT_TRUE(has(alerts.body, R"("device":"PC-7")")) << alerts.body;
  EXPECT_TRUE(has(alerts.body, R"("type":"heartbeat")")) << alerts.body;
  // Ticks go on: still one alert for the one silence.
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  HttpAnswer again = client_->call("GET", "/v1/alerts?rule=workstation_silent", token("auditor1"));
  size_t count = 0;
  for (size_t at = again.body.find("\"rule\":\"workstation_silent\""); at != std::string::npos;
       at = again.body.find("\"rule\":\"workstation_silent\"", at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 1u) << again.body;
}

}  // namespace
}  // namespace vigie
