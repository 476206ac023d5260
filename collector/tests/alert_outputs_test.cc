#include "detect/alert_outputs.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "audit_fixture.h"
#include "detect/alert_dispatcher.h"
#include "detect/tls_client.h"
#include "subprocess.h"
#include "vigie/crypto/x509.h"
#include "vigie/platform/atomic_file.h"

namespace vigie::collector {
namespace {

using namespace std::chrono_literals;

constexpr char kSecret[] = "webhook-secret-0123456789";
constexpr char kLogin[] = "jdupont";

protocol::json::Value parseJson(const std::string& text) {
  auto parsed = protocol::json::parse(text);
  EXPECT_TRUE(parsed.isOk()) << parsed.status().toString() << ": " << text;
  return parsed.isOk() ? std::move(parsed).value() : protocol::json::Value{};
}

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> all;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) all.push_back(line);
  return all;
}

// The value of `"key":` in a flat JSON object, as written (strings keep their quotes).
std::string member(const std::string& json, const std::string& key) {
  const std::string tag = "\"" + key + "\":";
  const size_t at = json.find(tag);
  if (at == std::string::npos) return "";
  const size_t start = at + tag.size();
  return json.substr(start, json.find_first_of(",}", start) - start);
}

// Waits for `condition` to hold, checking every 20 ms up to `timeout`: for what another process
// does (rsyslogd listening, writing its file), which gives nothing to wait on.
template <typename F>
bool eventually(F&& condition, std::chrono::milliseconds timeout = 20s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

// A CA, and a server certificate from it for `names`, as files.
struct TestPki {
  std::string ca_file, certificate_file, key_file;
};

TestPki makePki(const testing::TempDir& dir, const std::string& prefix,
                const std::vector<std::string>& names) {
  auto authority = crypto::CertificateAuthority::create(prefix + " test CA", 30);
  EXPECT_TRUE(authority.isOk());
  auto key = crypto::generatePrivateKeyPem();
  EXPECT_TRUE(key.isOk());
  auto certificate = authority->issueServerCertificate(*key, names, 30);
  EXPECT_TRUE(certificate.isOk());
  TestPki pki{dir.file(prefix + "-ca.pem"), dir.file(prefix + "-server.pem"),
              dir.file(prefix + "-server.key")};
  EXPECT_TRUE(platform::writeFileAtomically(pki.ca_file, authority->certificatePem()).isOk());
  EXPECT_TRUE(platform::writeFileAtomically(pki.certificate_file, *certificate).isOk());
  EXPECT_TRUE(platform::writeFileAtomically(pki.key_file, *key).isOk());
  return pki;
}

OutgoingAlert outgoing(int64_t id, Severity severity = Severity::kHigh) {
  return {id, "volume", severity, 1764337698123 + id,
          R"({"id":)" + std::to_string(id) + R"(,"rule":"volume","person":"p-0123456789"})"};
}

// ---------------------------------------------------------------------------------------------
// Configuration

TEST(AlertOutputConfig, ReadsEveryOutput) {
  const auto parsed = parseOutputsConfig(parseJson(R"({
    "webhook": {"url": "https://siem.example:8443/hooks/vigie?k=1", "ca_file": "/etc/ca.pem",
                "secret_file": "/etc/vigie/webhook.secret", "timeout_seconds": 5},
    "syslog": {"host": "127.0.0.1", "port": 10514, "ca_file": "/etc/ca.pem",
               "hostname": "collector-1", "app_name": "vigie-alerts", "timeout_seconds": 3},
    "jsonl": {"path": "/var/lib/vigie/alerts.jsonl"}})"));
  ASSERT_TRUE(parsed.isOk()) << parsed.status().toString();
  ASSERT_TRUE(parsed->webhook && parsed->syslog && parsed->jsonl);
  EXPECT_EQ(parsed->webhook->url, "https://siem.example:8443/hooks/vigie?k=1");
  EXPECT_EQ(parsed->webhook->secret_file, "/etc/vigie/webhook.secret");
  EXPECT_EQ(parsed->webhook->timeout_seconds, 5);
  EXPECT_EQ(parsed->syslog->port, 10514);
  EXPECT_EQ(parsed->syslog->hostname, "collector-1");
  EXPECT_EQ(parsed->syslog->app_name, "vigie-alerts");
  EXPECT_EQ(parsed->syslog->timeout_seconds, 3);
  EXPECT_EQ(parsed->jsonl->path, "/var/lib/vigie/alerts.jsonl");

  // Each is optional, and so are the members with a default.
  const auto some = parseOutputsConfig(parseJson(R"({"syslog": {"host": "siem.example"}})"));
  ASSERT_TRUE(some.isOk()) << some.status().toString();
  EXPECT_FALSE(some->webhook || some->jsonl);
  EXPECT_EQ(some->syslog->port, 6514);
  EXPECT_EQ(some->syslog->app_name, "vigie");
  EXPECT_EQ(some->syslog->ca_file, "");
  EXPECT_TRUE(parseOutputsConfig(parseJson("{}")).isOk());
  EXPECT_TRUE(parseOutputsConfig(protocol::json::Value{}).isOk());  // no "outputs" at all
}

TEST(AlertOutputConfig, RefusesEachBadMemberByName) {
  const std::pair<const char*, const char*> cases[] = {
      {R"([])", "outputs: expected an object"},
      {R"({"kafka": {}})", "outputs: unknown member \"kafka\""},
      {R"({"webhook": "https://x"})", "outputs.webhook: expected an object"},
      {R"({"webhook": {}})", "outputs.webhook.url: is required"},
      {R"({"webhook": {"url": "http://siem.example/hook"}})",
       "outputs.webhook.url: must be an https"},
      {R"({"webhook": {"url": "https://"}})", "outputs.webhook.url: has no host"},
      {R"({"webhook": {"url": "https://user:pw@siem.example/"}})",
       "outputs.webhook.url: must not carry user information"},
      {R"({"webhook": {"url": "https://siem.example/", "retries": 3}})",
       "outputs.webhook: unknown member \"retries\""},
      {R"({"webhook": {"url": "https://siem.example/", "timeout_seconds": 0}})",
       "outputs.webhook.timeout_seconds: expected an integer from 1 to 300"},
      {R"({"webhook": {"url": "https://siem.example/", "timeout_seconds": "10"}})",
       "outputs.webhook.timeout_seconds"},
      {R"({"webhook": {"url": "https://siem.example/", "ca_file": "ca.pem"}})",
       "outputs.webhook.ca_file: must be an absolute path"},
      {R"({"webhook": {"url": "https://siem.example/", "secret_file": ""}})",
       "outputs.webhook.secret_file: must be non-empty"},
      {R"({"syslog": {"port": 6514}})", "outputs.syslog.host: is required"},
      {R"({"syslog": {"host": "siem.example", "port": 70000}})",
       "outputs.syslog.port: expected an integer from 1 to 65535"},
      {R"({"syslog": {"host": "siem.example", "port": -1}})", "outputs.syslog.port"},
      {R"({"syslog": {"host": "siem.example", "protocol": "udp"}})",
       "outputs.syslog: unknown member \"protocol\""},
      {R"({"syslog": {"host": "siem.example", "hostname": "my host"}})",
       "outputs.syslog.hostname: must be non-empty, printable ASCII, no spaces"},
      {R"({"syslog": {"host": "siem.example", "app_name": "a-name-longer-than-forty-eight-characters-0123456"}})",
       "outputs.syslog.app_name: longer than 48 bytes"},
      {R"({"syslog": {"host": 6514}})", "outputs.syslog.host: expected a string"},
      {R"({"jsonl": {}})", "outputs.jsonl.path: is required"},
      {R"({"jsonl": {"path": "alerts.jsonl"}})", "outputs.jsonl.path: must be an absolute path"},
      {R"({"jsonl": {"path": "/tmp/a.jsonl", "mode": "0644"}})",
       "outputs.jsonl: unknown member \"mode\""},
  };
  for (const auto& [text, expected] : cases) {
    const auto parsed = parseOutputsConfig(parseJson(text));
    ASSERT_FALSE(parsed.isOk()) << text;
    EXPECT_EQ(parsed.status().code(), Status::Code::kInvalidArgument) << text;
    EXPECT_NE(parsed.status().message().find(expected), std::string::npos)
        << text << " -> " << parsed.status().message();
  }
}

TEST(AlertOutputConfig, FilesAreCheckedWhenTheOutputsAreMade) {
  testing::TempDir dir;
  WebhookConfig webhook{"https://127.0.0.1:1/hook", dir.file("missing-ca.pem"), "", 10};
  auto made = makeWebhookOutput(webhook);
  ASSERT_FALSE(made.isOk());
  EXPECT_NE(made.status().message().find("outputs.webhook.ca_file"), std::string::npos);

  // The signing secret is a key: others must not read it, and it must be worth the name.
  webhook.ca_file = "";
  webhook.secret_file = dir.file("webhook.secret");
  ASSERT_TRUE(
      platform::writeFileAtomically(webhook.secret_file, std::string(kSecret) + "\n").isOk());
  ASSERT_EQ(::chmod(webhook.secret_file.c_str(), 0644), 0);
  made = makeWebhookOutput(webhook);
  ASSERT_FALSE(made.isOk());
  EXPECT_EQ(made.status().code(), Status::Code::kPermissionDenied);
  EXPECT_NE(made.status().message().find("chmod 600"), std::string::npos);
  ASSERT_TRUE(platform::writeFileAtomically(webhook.secret_file, "short\n").isOk());
  made = makeWebhookOutput(webhook);
  ASSERT_FALSE(made.isOk());
  EXPECT_NE(made.status().message().find("shorter than 16"), std::string::npos);
  webhook.secret_file = dir.file("absent.secret");
  EXPECT_FALSE(makeWebhookOutput(webhook).isOk());

  auto jsonl = makeJsonlOutput({dir.file("no-such-dir/alerts.jsonl")});
  ASSERT_FALSE(jsonl.isOk());
  EXPECT_NE(jsonl.status().message().find("outputs.jsonl.path"), std::string::npos);

  SyslogConfig syslog;
  syslog.host = "127.0.0.1";
  syslog.ca_file = dir.file("missing-ca.pem");
  auto made_syslog = makeSyslogOutput(syslog);
  ASSERT_FALSE(made_syslog.isOk());
  EXPECT_NE(made_syslog.status().message().find("outputs.syslog.ca_file"), std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// Formats

TEST(AlertOutputFormat, SignatureIsHmacSha256OfTheBody) {
  // RFC 4231, test case 2.
  EXPECT_EQ(webhookSignature("Jefe", "what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(AlertOutputFormat, SyslogMessageFollowsRfc5424) {
  EXPECT_EQ(syslogPriority(Severity::kHigh), 82);    // authpriv.crit
  EXPECT_EQ(syslogPriority(Severity::kMedium), 84);  // authpriv.warning
  EXPECT_EQ(syslogPriority(Severity::kLow), 85);     // authpriv.notice
  OutgoingAlert alert = outgoing(7, Severity::kMedium);
  alert.raised_ms = 1764337698123;
  EXPECT_EQ(syslogMessage(alert, "collector-1", "vigie"),
            "<84>1 2025-11-28T13:48:18.123Z collector-1 vigie - volume - " + alert.json);
  // What does not fit a header field's syntax becomes nil.
  alert.rule = "two words";
  EXPECT_EQ(syslogMessage(alert, "", "vigie"),
            "<84>1 2025-11-28T13:48:18.123Z - vigie - - - " + alert.json);
}

// ---------------------------------------------------------------------------------------------
// A webhook receiver over HTTPS: answers the statuses it is given in turn, then 200.

class WebhookReceiver {
 public:
  struct Request {
    std::string alert_id, signature, content_type, body;
    int answer = 0;
  };

  WebhookReceiver(const TestPki& pki, std::vector<int> answers) : answers_(std::move(answers)) {
    Poco::Net::Context::Params params;
    params.privateKeyFile = pki.key_file;
    params.certificateFile = pki.certificate_file;
    params.verificationMode = Poco::Net::Context::VERIFY_NONE;
    params.loadDefaultCAs = false;
    Poco::Net::Context::Ptr context =
        new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, params);
    Poco::Net::SecureServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0), 64, context);
    port_ = socket.address().port();
    auto* server_params = new Poco::Net::HTTPServerParams;
    server_params->setMaxThreads(4);
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), socket, server_params);
    server_->start();
  }
  ~WebhookReceiver() { server_->stopAll(true); }

  uint16_t port() const { return port_; }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_) + "/hooks/vigie"; }
  std::vector<Request> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  int record(Request request) {
    std::lock_guard lock(mutex_);
    request.answer = next_ < answers_.size() ? answers_[next_++] : 200;
    requests_.push_back(request);
    return request.answer;
  }

  class Handler final : public Poco::Net::HTTPRequestHandler {
   public:
    explicit Handler(WebhookReceiver& receiver) : receiver_(receiver) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override {
      Request seen;
      Poco::StreamCopier::copyToString(request.stream(), seen.body);
      seen.alert_id = request.get("X-Vigie-Alert-Id", "");
      seen.signature = request.get("X-Vigie-Signature", "");
      seen.content_type = request.getContentType();
      response.setStatusAndReason(
          static_cast<Poco::Net::HTTPResponse::HTTPStatus>(receiver_.record(std::move(seen))));
      response.setContentLength(2);
      response.send() << "ok";
    }

   private:
    WebhookReceiver& receiver_;
  };

  class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
   public:
    explicit Factory(WebhookReceiver& receiver) : receiver_(receiver) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest&) override {
      return new Handler(receiver_);
    }

   private:
    WebhookReceiver& receiver_;
  };

  mutable std::mutex mutex_;
  std::vector<int> answers_;
  size_t next_ = 0;
  std::vector<Request> requests_;
  uint16_t port_ = 0;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

TEST(AlertOutputWebhook, UntrustedOrMisnamedServersAreRefused) {
  testing::TempDir dir;
  const TestPki trusted = makePki(dir, "trusted", {"127.0.0.1"});
  const TestPki stranger = makePki(dir, "stranger", {"127.0.0.1"});
  const TestPki misnamed = makePki(dir, "misnamed", {"siem.example"});
  const OutgoingAlert alerts[] = {outgoing(1)};
  const auto never = [](size_t, std::string_view) {
    ADD_FAILURE() << "nothing may be delivered";
    return Status::ok();
  };

  // A certificate from a CA the output does not trust.
  WebhookReceiver untrusted(stranger, {});
  auto output = makeWebhookOutput({untrusted.url(), trusted.ca_file, "", 5});
  ASSERT_TRUE(output.isOk()) << output.status().toString();
  Status sent = (*output)->deliver(alerts, never);
  EXPECT_EQ(sent.code(), Status::Code::kIoError);
  EXPECT_NE(sent.message().find("https://127.0.0.1:"), std::string::npos) << sent.toString();
  EXPECT_TRUE(untrusted.requests().empty());

  // A certificate from the CA the output trusts, but for another host name: the name (here an
  // IP address) is checked, too.
  WebhookReceiver other_host(misnamed, {});
  output = makeWebhookOutput({other_host.url(), misnamed.ca_file, "", 5});
  ASSERT_TRUE(output.isOk());
  EXPECT_EQ((*output)->deliver(alerts, never).code(), Status::Code::kIoError);
  EXPECT_TRUE(other_host.requests().empty());

  // The same receiver, trusted and named right, gets it.
  WebhookReceiver good(trusted, {});
  output = makeWebhookOutput({good.url(), trusted.ca_file, "", 5});
  ASSERT_TRUE(output.isOk());
  size_t settled = 99;
  EXPECT_TRUE((*output)
                  ->deliver(alerts,
                            [&](size_t through, std::string_view refusal) {
                              settled = through;
                              EXPECT_TRUE(refusal.empty());
                              return Status::ok();
                            })
                  .isOk());
  EXPECT_EQ(settled, 0u);
  ASSERT_EQ(good.requests().size(), 1u);
  EXPECT_EQ(good.requests()[0].alert_id, "1");
  EXPECT_EQ(good.requests()[0].signature, "");  // no secret configured
  EXPECT_EQ(good.requests()[0].content_type, "application/json");
}

// ---------------------------------------------------------------------------------------------
// The dispatcher, on a real alert store.

class AlertOutputDispatch : public AuditFixtureOnBoth {
 protected:
  // An alert about kLogin, numbered `n` (its key), with `severity`.
  int64_t raise(int n, Severity severity = Severity::kHigh, const std::string& rule = "volume") {
    AlertDraft draft;
    draft.key = rule + ":" + kLogin + ":" + std::to_string(n);
    draft.rule = rule;
    draft.severity = severity;
    draft.user = kLogin;
    draft.device = "dev-1";
    draft.brand = "acme";
    draft.time_ms = clock_.nowUnixMillis();
    draft.summary = "130 customer records viewed in an hour (own mean 12)";
    draft.evidence = {{"dev-1", static_cast<uint64_t>(n), clock_.nowUnixMillis(), "crm.view",
                       "C-" + std::to_string(1000 + n)}};
    auto raised = alerts().raise(draft);
    EXPECT_TRUE(raised.isOk()) << raised.status().toString();
    EXPECT_TRUE(!raised.isOk() || raised->created);
    return raised.isOk() ? raised->id : 0;
  }

  std::unique_ptr<AlertDispatcher> dispatcher(std::vector<AlertOutputPtr> outputs) {
    DispatcherOptions options;
    options.backoff_base_ms = 20;
    options.backoff_cap_ms = 200;
    options.poll_ms = 100;
    options.batch_alerts = 3;  // several batches in every test
    options.jitter_seed = 42;
    return std::make_unique<AlertDispatcher>(alerts(), audit_->pseudonyms, std::move(outputs),
                                             options);
  }

  OutputStats statsOf(const AlertDispatcher& dispatcher, std::string_view output) {
    for (const OutputStats& stats : dispatcher.stats()) {
      if (stats.output == output) return stats;
    }
    ADD_FAILURE() << "no output " << output;
    return {};
  }

  // For failure messages: where each output stands and why.
  static std::string describe(const AlertDispatcher& dispatcher) {
    std::string text;
    for (const OutputStats& stats : dispatcher.stats()) {
      text += stats.output + ": through " + std::to_string(stats.delivered_through) + ", " +
              std::to_string(stats.delivered) + " delivered, " + std::to_string(stats.failures) +
              " failures, last error: " + stats.last_error + "\n";
    }
    return text;
  }

  std::string pseudonym() const { return audit_->pseudonyms.of(kLogin); }
  AlertStore& alerts() { return audit_->alerts; }
};

TEST_P(AlertOutputDispatch, WebhookRetriesThenDeliversEachAlertOnceInOrder) {
  const TestPki pki = makePki(dir_, "webhook", {"localhost", "127.0.0.1"});
  WebhookReceiver receiver(pki, {503, 503});
  const std::string secret_file = dir_.file("webhook.secret");
  ASSERT_TRUE(platform::writeFileAtomically(secret_file, std::string(kSecret) + "\n").isOk());
  std::vector<AlertOutputPtr> outputs;
  auto webhook = makeWebhookOutput({receiver.url(), pki.ca_file, secret_file, 5});
  ASSERT_TRUE(webhook.isOk()) << webhook.status().toString();
  outputs.push_back(std::move(webhook).value());

  std::vector<int64_t> ids;
  for (int n = 1; n <= 4; ++n) ids.push_back(raise(n, Severity::kHigh));
  auto running = dispatcher(std::move(outputs));
  for (int n = 5; n <= 7; ++n) {
    ids.push_back(raise(n, Severity::kMedium));
    running->wake();
  }
  ASSERT_TRUE(running->waitForDeliveryForTest(kWebhookOutput, ids.back(), 20s))
      << describe(*running);

  // The first alert was refused twice with 503, then every alert was accepted once, in order.
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), ids.size() + 2);
  EXPECT_EQ(requests[0].answer, 503);
  EXPECT_EQ(requests[1].answer, 503);
  std::vector<int64_t> accepted;
  for (const auto& request : requests) {
    EXPECT_EQ(request.signature, webhookSignature(kSecret, request.body)) << request.alert_id;
    EXPECT_EQ(request.content_type, "application/json");
    EXPECT_EQ(member(request.body, "id"), request.alert_id);
    EXPECT_NE(request.body.find("\"person\":\"" + pseudonym() + "\""), std::string::npos);
    EXPECT_EQ(request.body.find(kLogin), std::string::npos) << request.body;
    if (request.answer == 200) accepted.push_back(std::stoll(request.alert_id));
  }
  EXPECT_EQ(accepted, ids);
  EXPECT_EQ(alerts().deliveredThrough(kWebhookOutput).value(), ids.back());
  const OutputStats stats = statsOf(*running, kWebhookOutput);
  EXPECT_EQ(stats.delivered, ids.size());
  EXPECT_EQ(stats.failures, 2u);
  EXPECT_FALSE(stats.failing);
  EXPECT_NE(stats.last_error.find("HTTP 503"), std::string::npos);
  // The URL's path may hold a token: errors name the host only.
  EXPECT_EQ(stats.last_error.find("/hooks/vigie"), std::string::npos);
}

TEST_P(AlertOutputDispatch, WebhookPermanentRefusalIsSkippedNotRetried) {
  const TestPki pki = makePki(dir_, "webhook", {"127.0.0.1"});
  WebhookReceiver receiver(pki, {429, 400});  // 429: later; 400: never
  std::vector<AlertOutputPtr> outputs;
  outputs.push_back(makeWebhookOutput({receiver.url(), pki.ca_file, "", 5}).value());
  const int64_t first = raise(1);
  const int64_t second = raise(2);
  auto running = dispatcher(std::move(outputs));
  ASSERT_TRUE(running->waitForDeliveryForTest(kWebhookOutput, second, 20s)) << describe(*running);

  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].alert_id, std::to_string(first));
  EXPECT_EQ(requests[1].alert_id, std::to_string(first));
  EXPECT_EQ(requests[1].answer, 400);
  EXPECT_EQ(requests[2].alert_id, std::to_string(second));
  EXPECT_EQ(requests[2].answer, 200);
  const OutputStats stats = statsOf(*running, kWebhookOutput);
  EXPECT_EQ(stats.refused, 1u);
  EXPECT_EQ(stats.delivered, 1u);
  EXPECT_EQ(stats.failures, 1u);  // the 429
}

TEST_P(AlertOutputDispatch, JsonlFileIsPrivateFollowsRotationAndResumesAfterRestart) {
  const std::string path = dir_.file("alerts.jsonl");
  std::vector<int64_t> ids;
  for (int n = 1; n <= 4; ++n) ids.push_back(raise(n, Severity::kLow));
  {
    std::vector<AlertOutputPtr> outputs;
    outputs.push_back(makeJsonlOutput({path}).value());
    auto running = dispatcher(std::move(outputs));
    ASSERT_TRUE(running->waitForDeliveryForTest(kJsonlOutput, ids.back(), 20s))
        << describe(*running);
  }
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  auto written = lines(readFile(path));
  ASSERT_EQ(written.size(), 4u);
  for (size_t i = 0; i < written.size(); ++i) {
    const auto json = parseJson(written[i]);
    ASSERT_EQ(json.kind, protocol::json::Value::Kind::kObject);
    EXPECT_EQ(json.find("id")->magnitude, static_cast<uint64_t>(ids[i]));
    EXPECT_EQ(json.find("severity")->string, "low");
    EXPECT_EQ(json.find("person")->string, pseudonym());
    EXPECT_EQ(written[i].find(kLogin), std::string::npos);
  }

  // Rotated while the collector was down, then rotated again while it runs: each alert lands in
  // exactly one file, none twice, none lost.
  ASSERT_EQ(::rename(path.c_str(), (path + ".1").c_str()), 0);
  for (int n = 5; n <= 6; ++n) ids.push_back(raise(n));
  std::vector<AlertOutputPtr> outputs;
  outputs.push_back(makeJsonlOutput({path}).value());
  auto running = dispatcher(std::move(outputs));
  ASSERT_TRUE(running->waitForDeliveryForTest(kJsonlOutput, ids.back(), 20s)) << describe(*running);
  ASSERT_EQ(::rename(path.c_str(), (path + ".2").c_str()), 0);
  ids.push_back(raise(7));
  running->wake();
  ASSERT_TRUE(running->waitForDeliveryForTest(kJsonlOutput, ids.back(), 20s)) << describe(*running);

  std::vector<int64_t> seen;
  for (const std::string& file : {path + ".1", path + ".2", path}) {
    for (const std::string& line : lines(readFile(file))) {
      seen.push_back(std::stoll(member(line, "id")));
    }
  }
  EXPECT_EQ(seen, ids);
  EXPECT_EQ(lines(readFile(path)).size(), 1u);
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
}

TEST_P(AlertOutputDispatch, AnOutputsCursorOnlyMovesForward) {
  // Collectors sharing a database share the cursor: one that settles an older batch later
  // leaves it where the other put it.
  EXPECT_EQ(alerts().deliveredThrough(kJsonlOutput).value(), 0);
  ASSERT_TRUE(alerts().setDeliveredThrough(kJsonlOutput, 7).isOk());
  ASSERT_TRUE(alerts().setDeliveredThrough(kJsonlOutput, 4).isOk());
  EXPECT_EQ(alerts().deliveredThrough(kJsonlOutput).value(), 7);
  ASSERT_TRUE(alerts().setDeliveredThrough(kJsonlOutput, 9).isOk());
  EXPECT_EQ(alerts().deliveredThrough(kJsonlOutput).value(), 9);
  EXPECT_EQ(alerts().deliveredThrough(kWebhookOutput).value(), 0);
}

TEST_P(AlertOutputDispatch, DeadWebhooksDoNotHoldBackTheFile) {
  const TestPki pki = makePki(dir_, "webhook", {"127.0.0.1"});
  // One webhook refuses connections (its receiver is gone); the other hangs: the connection is
  // accepted by the kernel but nothing ever answers, so every attempt takes its full timeout.
  std::string refusing_url;
  {
    WebhookReceiver gone(pki, {});
    refusing_url = gone.url();
  }
  Poco::Net::ServerSocket silent(Poco::Net::SocketAddress("127.0.0.1", 0));
  const std::string silent_url =
      "https://127.0.0.1:" + std::to_string(silent.address().port()) + "/hooks/vigie";
  for (const auto& [url, hangs] : {std::pair{refusing_url, false}, std::pair{silent_url, true}}) {
    SCOPED_TRACE(url);
    const std::string file = dir_.file(hangs ? "alerts-2.jsonl" : "alerts-1.jsonl");
    std::vector<AlertOutputPtr> outputs;
    outputs.push_back(makeWebhookOutput({url, pki.ca_file, "", 1}).value());
    outputs.push_back(makeJsonlOutput({file}).value());
    // Each round has its own cursors: the store forgets the previous round's.
    ASSERT_TRUE(
        audit_->db->with([](Sql& db) { return db.run("DELETE FROM alert_outputs"); }).isOk());
    int64_t last = 0;
    for (int n = 1; n <= 5; ++n) last = raise((hangs ? 20 : 10) + n);
    auto running = dispatcher(std::move(outputs));
    ASSERT_TRUE(running->waitForDeliveryForTest(kJsonlOutput, last, 20s)) << describe(*running);
    EXPECT_EQ(lines(readFile(file)).size(), static_cast<size_t>(last));  // all in the store
    if (hangs) {
      // Done while the webhook's first attempt is still waiting for the TLS handshake.
      EXPECT_EQ(statsOf(*running, kWebhookOutput).failures, 0u);
    } else {
      ASSERT_TRUE(eventually([&] { return statsOf(*running, kWebhookOutput).failures >= 2; }));
      EXPECT_TRUE(statsOf(*running, kWebhookOutput).failing);
    }
    EXPECT_EQ(alerts().deliveredThrough(kWebhookOutput).value(), 0);
  }
}

// ---------------------------------------------------------------------------------------------
// Syslog, against a real rsyslogd on loopback: imtcp with the GnuTLS stream driver.

// Where scripts/install-deps.sh unpacks rsyslog when the package cannot be installed (it
// conflicts with syslog-ng's, which the benchmarks use).
constexpr char kUnpackedRsyslog[] = "/opt/vigie/test-tools/rsyslog";

std::string findRsyslogd() {
  const std::string unpacked = std::string(kUnpackedRsyslog) + "/usr/sbin/rsyslogd";
  for (const std::string& candidate :
       {std::string("/usr/sbin/rsyslogd"), std::string("/sbin/rsyslogd"), unpacked}) {
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

// The module directory an unpacked rsyslogd needs (-M); empty for an installed one.
std::string rsyslogModules(const std::string& binary) {
  if (!binary.starts_with(kUnpackedRsyslog)) return "";
  std::error_code ignored;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(kUnpackedRsyslog) + "/usr/lib", ignored)) {
    if (std::filesystem::exists(entry.path() / "rsyslog" / "imtcp.so")) {
      return (entry.path() / "rsyslog").string();
    }
  }
  return "";
}

class Rsyslog {
 public:
  Rsyslog(std::string binary, const testing::TempDir& dir, const TestPki& pki)
      : binary_(std::move(binary)), dir_(dir), pki_(pki) {
    std::filesystem::create_directories(dir_.file("rsyslog-work"));
  }

  // Starts rsyslogd on `port` (0: any free one) and waits until it listens.
  bool start(uint16_t port) {
    const std::string port_file = dir_.file("rsyslog.port");
    std::filesystem::remove(port_file);
    // Messages from the network go to their own ruleset, and only they reach the file: rsyslog's
    // own (start, stop, a probe's failed handshake) stay out of it.
    std::ofstream(dir_.file("rsyslog.conf"))
        << "global(workDirectory=\"" << dir_.file("rsyslog-work") << "\"\n"
        << "  defaultNetstreamDriver=\"gtls\"\n"
        << "  defaultNetstreamDriverCAFile=\"" << pki_.ca_file << "\"\n"
        << "  defaultNetstreamDriverCertFile=\"" << pki_.certificate_file << "\"\n"
        << "  defaultNetstreamDriverKeyFile=\"" << pki_.key_file << "\")\n"
        << "module(load=\"imtcp\" streamDriver.name=\"gtls\" streamDriver.mode=\"1\"\n"
        << "  streamDriver.authMode=\"anon\")\n"
        << "template(name=\"raw\" type=\"string\" string=\"%rawmsg%\\n\")\n"
        << "ruleset(name=\"received\") {\n"
        << "  action(type=\"omfile\" file=\"" << received() << "\" template=\"raw\")\n"
        << "}\n"
        << "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"" << port << "\"\n"
        << "  ruleset=\"received\" listenPortFileName=\"" << port_file << "\")\n";
    std::vector<std::string> argv = {
        binary_, "-n", "-f", dir_.file("rsyslog.conf"), "-i", dir_.file("rsyslog.pid")};
    if (const std::string modules = rsyslogModules(binary_); !modules.empty()) {
      argv.insert(argv.end(), {"-M", modules});
    }
    process_ = std::make_unique<testing::Subprocess>(argv);
    if (port == 0) {
      // rsyslog writes the port it was given only when it chose it.
      if (!eventually([&] { return !readFile(port_file).empty(); })) return false;
      port_ = static_cast<uint16_t>(std::stoi(readFile(port_file)));
      return true;
    }
    // Listening once a TLS handshake succeeds (a bare TCP probe would make it log a failed one).
    port_ = port;
    auto context = makeTlsClientContext("probe", pki_.ca_file, "127.0.0.1");
    if (!context.isOk()) return false;
    return eventually([&] {
      try {
        Poco::Net::SecureStreamSocket probe(*context);
        probe.connect(Poco::Net::SocketAddress("127.0.0.1", port_), Poco::Timespan(1, 0));
        probe.close();
        return true;
      } catch (const Poco::Exception&) {
        return false;
      }
    });
  }

  void stop() {
    process_->signal(SIGTERM);
    process_->wait();
    process_.reset();
  }

  uint16_t port() const { return port_; }
  std::string received() const { return dir_.file("received.log"); }

 private:
  std::string binary_;
  const testing::TempDir& dir_;
  TestPki pki_;
  std::unique_ptr<testing::Subprocess> process_;
  uint16_t port_ = 0;
};

TEST_P(AlertOutputDispatch, SyslogReachesARealRsyslogAcrossItsRestarts) {
  const std::string rsyslogd = findRsyslogd();
  if (rsyslogd.empty())
    GTEST_SKIP() << "rsyslogd is not installed (scripts/install-deps.sh unpacks it)";
  const TestPki pki = makePki(dir_, "syslog", {"localhost", "127.0.0.1"});
  Rsyslog server(rsyslogd, dir_, pki);
  ASSERT_TRUE(server.start(0)) << "rsyslogd did not start listening (is rsyslog-gnutls, its TLS "
                                  "driver, installed?)";

  SyslogConfig config;
  config.host = "127.0.0.1";
  config.port = server.port();
  config.ca_file = pki.ca_file;
  config.hostname = "collector-1";
  config.timeout_seconds = 2;
  std::vector<AlertOutputPtr> outputs;
  auto made = makeSyslogOutput(config);
  ASSERT_TRUE(made.isOk()) << made.status().toString();
  outputs.push_back(std::move(made).value());

  std::vector<std::pair<int64_t, std::string>> sent;  // id, rule
  sent.emplace_back(raise(1, Severity::kHigh, "mass_export"), "mass_export");
  sent.emplace_back(raise(2, Severity::kMedium, "volume"), "volume");
  sent.emplace_back(raise(3, Severity::kLow, "off_shift"), "off_shift");
  auto running = dispatcher(std::move(outputs));
  ASSERT_TRUE(running->waitForDeliveryForTest(kSyslogOutput, sent.back().first, 20s))
      << describe(*running);

  // Restarted while the connection is open and idle: the next alert goes on a new connection.
  ASSERT_TRUE(eventually([&] { return lines(readFile(server.received())).size() == 3; }))
      << readFile(server.received());
  server.stop();
  ASSERT_TRUE(server.start(config.port));
  sent.emplace_back(raise(4, Severity::kHigh, "copy_after_view"), "copy_after_view");
  running->wake();
  ASSERT_TRUE(running->waitForDeliveryForTest(kSyslogOutput, sent.back().first, 20s))
      << describe(*running);

  // Down while alerts are raised: retried until it is back.
  ASSERT_TRUE(eventually([&] { return lines(readFile(server.received())).size() == 4; }));
  server.stop();
  sent.emplace_back(raise(5, Severity::kHigh, "watchlist"), "watchlist");
  sent.emplace_back(raise(6, Severity::kMedium, "volume"), "volume");
  running->wake();
  ASSERT_TRUE(eventually([&] { return statsOf(*running, kSyslogOutput).failures >= 2; }));
  EXPECT_TRUE(statsOf(*running, kSyslogOutput).failing);
  ASSERT_TRUE(server.start(config.port));
  ASSERT_TRUE(running->waitForDeliveryForTest(kSyslogOutput, sent.back().first, 20s))
      << describe(*running);
  ASSERT_TRUE(eventually([&] { return lines(readFile(server.received())).size() >= 6; }));
  server.stop();

  // Every alert arrived once, in order, as RFC 5424 with the pseudonym and never the login.
  const auto received = lines(readFile(server.received()));
  ASSERT_EQ(received.size(), sent.size()) << readFile(server.received());
  const char* priorities[] = {"<82>", "<84>", "<85>", "<82>", "<82>", "<84>"};
  for (size_t i = 0; i < received.size(); ++i) {
    const std::string& line = received[i];
    SCOPED_TRACE(line);
    EXPECT_EQ(line.rfind(std::string(priorities[i]) + "1 ", 0), 0u);
    EXPECT_NE(line.find(" collector-1 vigie - " + sent[i].second + " - {"), std::string::npos);
    const std::string json = line.substr(line.find('{'));
    EXPECT_EQ(member(json, "id"), std::to_string(sent[i].first));
    EXPECT_EQ(member(json, "rule"), "\"" + sent[i].second + "\"");
    EXPECT_EQ(member(json, "person"), "\"" + pseudonym() + "\"");
    EXPECT_EQ(line.find(kLogin), std::string::npos);
  }
  EXPECT_EQ(statsOf(*running, kSyslogOutput).delivered, sent.size());
}

INSTANTIATE_TEST_SUITE_P(Backends, AlertOutputDispatch, kBothBackends, backendName);

}  // namespace
}  // namespace vigie::collector
