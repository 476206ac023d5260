// Enrollment and exactly-once delivery with the real programs: vigie-collector (Poco, TLS) and
// vigie-agent (libcurl) on loopback, ports chosen at run time, kill -9 and outages on purpose.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "collector_process.h"
#include "manual_clock.h"
#include "sensor_client.h"
#include "subprocess.h"
#include "temp_dir.h"
#include "vigie/agent/agent_service.h"
#include "vigie/agent/enrollment_client.h"
#include "vigie/agent/http_transport.h"
#include "vigie/collector/collector_home.h"
#include "vigie/collector/event_store.h"
#include "vigie/crypto/key_store.h"
#include "vigie/platform/atomic_file.h"
#include "vigie/platform/clock.h"
#include "vigie/platform/local_socket.h"
#include "vigie/protocol/batch_codec.h"
#include "vigie/sqlcipher/sqlite.h"

namespace vigie {
namespace {

using testing::CollectorProcess;
using testing::Subprocess;
using testing::TempDir;

constexpr char kDevice[] = "dev-e2e";

class DeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    collector_ = std::make_unique<CollectorProcess>(collector_dir_, 0);
    ASSERT_NE(collector_->port(), 0);
  }

  // `vigie-agent enroll`; returns its exit status and what it printed.
  std::pair<int, std::string> enroll(const std::string& url, const std::string& ca_file,
                                     std::vector<std::string> extra = {}) {
    std::vector<std::string> argv{
        VIGIE_AGENT_BINARY, "enroll",   "--collector",   url,
        "--ca-file",        ca_file,    "--secret-file", collector_dir_ + "/enrollment.secret",
        "--data-dir",       agent_dir_, "--device-id",   kDevice};
    argv.insert(argv.end(), extra.begin(), extra.end());
    Subprocess command(argv, -1, /*capture_stderr=*/true);
    std::string output = command.readAllOutput();
    const int status = command.wait();
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
  }

  void enrollOrDie() {
    auto [status, output] = enroll(collector_->url(), collector_dir_ + "/ca.pem");
    ASSERT_EQ(status, 0) << output;
  }

  std::unique_ptr<Subprocess> startAgent() {
    std::error_code ignored;
    std::filesystem::remove(socket_, ignored);
    auto agent = std::make_unique<Subprocess>(
        std::vector<std::string>{VIGIE_AGENT_BINARY, "run", "--data-dir", agent_dir_, "--socket",
                                 socket_, "--linger-ms", "20", "--batch-events", "200"});
    for (int i = 0; i < 1000 && !std::filesystem::exists(socket_); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_TRUE(std::filesystem::exists(socket_)) << "the agent did not start";
    return agent;
  }

  // Sends `count` crm.view drafts; returns the highest seq the agent committed.
  uint64_t sendViews(size_t count, const std::string& prefix) {
    auto stream = platform::connectLocal(socket_);
    EXPECT_TRUE(stream.isOk()) << stream.status().toString();
    if (!stream.isOk()) return 0;
    std::vector<std::string> lines;
    for (size_t i = 0; i < count; ++i)
      lines.push_back(testing::crmViewDraft(prefix + std::to_string(i)));
    uint64_t highest = 0;
    for (const auto& reply : testing::exchangeLines(**stream, lines)) {
      EXPECT_EQ(reply.rfind("ok ", 0), 0u) << reply;
      if (reply.rfind("ok ", 0) == 0)
        highest = std::max<uint64_t>(highest, std::stoull(reply.substr(3)));
    }
    return highest;
  }

  collector::EventStorePtr openStore() {
    auto home = collector::openCollectorHome(collector_dir_);
    EXPECT_TRUE(home.isOk()) << home.status().toString();
    if (!home.isOk()) return nullptr;
    auto store = collector::openSqlCipherStore(home->store_file, home->store_key);
    EXPECT_TRUE(store.isOk()) << store.status().toString();
    return store.isOk() ? std::move(store).value() : nullptr;
  }

  // The device's stored sequence numbers, each once (a repeat fails the test).
  std::vector<uint64_t> storedSeqs() {
    auto store = openStore();
    std::vector<uint64_t> seqs;
    if (!store) return seqs;
    collector::EventQuery query;
    query.device_id = kDevice;
    EXPECT_TRUE(store
                    ->forEachEvent(query,
                                   [&](const collector::StoredEvent& stored) {
                                     seqs.push_back(stored.event.seq);
                                     return true;
                                   })
                    .isOk());
    std::sort(seqs.begin(), seqs.end());
    EXPECT_EQ(std::adjacent_find(seqs.begin(), seqs.end()), seqs.end()) << "a seq stored twice";
    return seqs;
  }

  // Waits (bounded) until the collector holds 1..n without a hole for some n >= `through`.
  std::vector<uint64_t> waitForContiguous(uint64_t through, int seconds = 60) {
    std::vector<uint64_t> seqs;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < deadline) {
      seqs = storedSeqs();
      if (!seqs.empty() && seqs.back() >= through && seqs.back() == seqs.size()) return seqs;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return seqs;
  }

  std::vector<collector::Incident> incidents() {
    auto store = openStore();
    if (!store) return {};
    auto found = store->incidents(std::string(kDevice));
    EXPECT_TRUE(found.isOk());
    return found.isOk() ? *found : std::vector<collector::Incident>{};
  }

  // A transport with the enrolled agent's credentials, for requests the agent would never make.
  agent::HttpTransportPtr enrolledTransport(bool with_certificate = true) {
    auto enrollment = agent::loadEnrollment(agent_dir_);
    EXPECT_TRUE(enrollment.isOk() && enrollment->has_value());
    if (!enrollment.isOk() || !enrollment->has_value()) return nullptr;
    agent::TlsSettings tls = (*enrollment)->tls();
    if (!with_certificate) tls.certificate_file.clear();
    auto transport = agent::newCurlTransport(tls);
    EXPECT_TRUE(transport.isOk());
    return transport.isOk() ? std::move(transport).value() : nullptr;
  }

  TempDir dir_;
  const std::string collector_dir_ = dir_.file("collector");
  const std::string agent_dir_ = dir_.file("agent");
  const std::string socket_ = dir_.file("agent.sock");
  std::unique_ptr<CollectorProcess> collector_;
};

TEST_F(DeliveryTest, EnrolledAgentDeliversEveryEventOnceAndEmptiesItsQueue) {
  enrollOrDie();
  auto agent = startAgent();
  const uint64_t last = sendViews(300, "R-");
  const auto seqs = waitForContiguous(last);
  ASSERT_FALSE(seqs.empty());
  EXPECT_GE(seqs.back(), last);
  EXPECT_EQ(seqs.size(), seqs.back());
  EXPECT_TRUE(incidents().empty());

  // The record's access is answerable at the collector.
  auto store = openStore();
  collector::EventQuery who;
  who.record_id = "R-42";
  int found = 0;
  ASSERT_TRUE(store
                  ->forEachEvent(who,
                                 [&](const collector::StoredEvent& stored) {
                                   EXPECT_EQ(stored.event.device, kDevice);
                                   ++found;
                                   return true;
                                 })
                  .isOk());
  EXPECT_EQ(found, 1);

  // Enrolling the same device again is refused unless asked for explicitly.
  agent->signal(SIGTERM);
  agent->wait();
  auto [again, output] = enroll(collector_->url(), collector_dir_ + "/ca.pem");
  EXPECT_EQ(again, 1);
  EXPECT_NE(output.find("already enrolled"), std::string::npos) << output;
  auto [explicit_again, output2] =
      enroll(collector_->url(), collector_dir_ + "/ca.pem", {"--reenroll"});
  EXPECT_EQ(explicit_again, 0) << output2;
}

TEST_F(DeliveryTest, NothingLostOrDuplicatedThroughKillsOutagesAndRestarts) {
  enrollOrDie();
  const uint16_t port = collector_->port();
  std::mt19937 random(7);
  uint64_t highest = 0;
  for (int round = 0; round < 24; ++round) {
    if (round == 6) collector_->stop(SIGKILL);  // collector killed mid-stream
    if (round == 9) collector_ = std::make_unique<CollectorProcess>(collector_dir_, port);
    if (round == 14) collector_->stop(SIGTERM);  // port closed for a while
    if (round == 18) collector_ = std::make_unique<CollectorProcess>(collector_dir_, port);
    auto agent = startAgent();
    highest = std::max(highest, sendViews(150, "K" + std::to_string(round) + "-"));
    std::this_thread::sleep_for(std::chrono::milliseconds(random() % 120));
    agent->signal(SIGKILL);  // mid-upload, most rounds
    agent->wait();
  }
  auto agent = startAgent();
  const auto seqs = waitForContiguous(highest, 120);
  ASSERT_FALSE(seqs.empty());
  EXPECT_GE(seqs.back(), highest);
  EXPECT_EQ(seqs.size(), seqs.back()) << "a hole: events committed by the agent are missing";
  EXPECT_TRUE(incidents().empty());
}

TEST_F(DeliveryTest, AgentRefusesACollectorWhoseCertificateItDoesNotTrust) {
  CollectorProcess impostor(dir_.file("impostor"), 0);
  auto [status, output] = enroll(impostor.url(), collector_dir_ + "/ca.pem");
  EXPECT_EQ(status, 1);
  EXPECT_NE(output.find("not trusted"), std::string::npos) << output;
  EXPECT_FALSE(std::filesystem::exists(agent::enrollmentDirectory(agent_dir_) + "/collector.url"));
}

TEST_F(DeliveryTest, RunningAgentRefusesAnImpostorAndSaysWhy) {
  enrollOrDie();
  // The collector's address now leads to another server, with a certificate from another CA.
  CollectorProcess impostor(dir_.file("impostor"), 0);
  {
    std::ofstream(agent::enrollmentDirectory(agent_dir_) + "/collector.url")
        << impostor.url() << "\n";
  }
  Subprocess agent({VIGIE_AGENT_BINARY, "run", "--data-dir", agent_dir_, "--socket", socket_}, -1,
                   /*capture_stderr=*/true);
  // Bounded: the agent is stopped after 10 s whatever it printed (it is reaped only after).
  std::mutex mutex;
  std::condition_variable found;
  bool done = false;
  std::thread stopper([&] {
    std::unique_lock lock(mutex);
    found.wait_for(lock, std::chrono::seconds(10), [&] { return done; });
    agent.signal(SIGTERM);
  });
  std::string refusal;
  // The agent prints no empty line: an empty one means its output ended.
  for (std::string line = agent.readLine(); !line.empty(); line = agent.readLine()) {
    if (line.find("not trusted") != std::string::npos) {
      refusal = line;
      break;
    }
  }
  {
    std::lock_guard lock(mutex);
    done = true;
  }
  found.notify_all();
  stopper.join();
  agent.wait();
  EXPECT_NE(refusal.find("certificate"), std::string::npos) << refusal;
}

TEST_F(DeliveryTest, AgentRenewsItsCertificateBeforeItExpires) {
  enrollOrDie();
  const std::string certificate = agent::enrollmentDirectory(agent_dir_) + "/client.pem";
  auto before = platform::readSmallFile(certificate, 1 << 16);
  ASSERT_TRUE(before.isOk());
  // 340 days later, the 365-day certificate is inside the 30-day renewal window.
  testing::ManualClock clock(platform::systemClock().nowUnixMillis() + 340LL * 24 * 3600 * 1000);
  agent::AgentConfig config;
  config.data_dir = agent_dir_;
  config.socket_path = socket_;
  config.upload.linger_ms = 20;
  auto service = agent::AgentService::start(config, clock);
  ASSERT_TRUE(service.isOk()) << service.status().toString();
  std::string after = *before;
  for (int i = 0; i < 200 && after == *before; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    after = platform::readSmallFile(certificate, 1 << 16).value();
  }
  EXPECT_NE(after, *before) << "the certificate was not renewed";
  // Uploads go on with the new certificate: the service's agent.start reaches the collector.
  EXPECT_FALSE(waitForContiguous(1, 20).empty());
  (*service)->stop("test");
}

TEST_F(DeliveryTest, WrongSecretIsRefusedAndNothingIsSaved) {
  const std::string wrong = dir_.file("wrong.secret");
  { std::ofstream(wrong) << "0000000000000000000000000000000000000000\n"; }
  Subprocess command({VIGIE_AGENT_BINARY, "enroll", "--collector", collector_->url(), "--ca-file",
                      collector_dir_ + "/ca.pem", "--secret-file", wrong, "--data-dir", agent_dir_},
                     -1, true);
  const std::string output = command.readAllOutput();
  EXPECT_EQ(WEXITSTATUS(command.wait()), 1);
  EXPECT_NE(output.find("HTTP 401"), std::string::npos) << output;
  EXPECT_FALSE(std::filesystem::exists(agent::enrollmentDirectory(agent_dir_) + "/collector.url"));
}

TEST_F(DeliveryTest, BatchesNeedAnEnrolledUnrevokedCertificate) {
  enrollOrDie();
  const std::string batch = protocol::gzipCompress("{}\n");
  auto anonymous = enrolledTransport(/*with_certificate=*/false);
  ASSERT_NE(anonymous, nullptr);
  auto response = anonymous->post("/v1/batches", batch, "application/x-ndjson", true);
  ASSERT_TRUE(response.isOk()) << response.status().toString();
  EXPECT_EQ(response->status, 401);

  Subprocess revoke(
      {VIGIE_COLLECTOR_BINARY, "--data-dir", collector_dir_, "--revoke-device", kDevice});
  EXPECT_EQ(WEXITSTATUS(revoke.wait()), 0);
  auto enrolled = enrolledTransport();
  ASSERT_NE(enrolled, nullptr);
  response = enrolled->post("/v1/batches", batch, "application/x-ndjson", true);
  ASSERT_TRUE(response.isOk()) << response.status().toString();
  EXPECT_EQ(response->status, 403);
}

TEST_F(DeliveryTest, HostileBodiesGetA4xxAndTheServerStaysHealthy) {
  enrollOrDie();
  auto transport = enrolledTransport();
  ASSERT_NE(transport, nullptr);
  auto post = [&](const std::string& body, bool gzip, const std::string& path = "/v1/batches") {
    auto response = transport->post(path, body, "application/x-ndjson", gzip);
    EXPECT_TRUE(response.isOk()) << response.status().toString();
    if (!response.isOk()) return 0L;
    transport->reconnect();  // some refusals close the connection on purpose
    return response->status;
  };
  std::string bomb_plain(200u << 20, '\0');
  const std::string bomb = protocol::gzipCompress(bomb_plain, 9);
  bomb_plain.clear();
  bomb_plain.shrink_to_fit();
  const std::string valid_gzip = protocol::gzipCompress(testing::crmViewDraft("x") + "\n");

  EXPECT_EQ(post("not gzip at all", true), 400);
  EXPECT_EQ(post(valid_gzip.substr(0, valid_gzip.size() / 2), true), 400);  // truncated
  EXPECT_EQ(post(valid_gzip, true), 400);  // a draft is not an event
  EXPECT_EQ(post(protocol::gzipCompress(std::string(8000, '[') + "\n"), true), 400);
  EXPECT_EQ(post(protocol::gzipCompress("{\"schema\":1}\n"), true), 400);
  EXPECT_EQ(post(bomb, true), 400);
  EXPECT_EQ(post(std::string(9u << 20, 'x'), true), 413);
  EXPECT_EQ(post("{}\n", false), 415);
  EXPECT_EQ(post("{}", true, "/v1/nothing"), 404);

  // Still healthy: the agent's real batches go through.
  auto agent = startAgent();
  const uint64_t last = sendViews(20, "H-");
  const auto seqs = waitForContiguous(last);
  ASSERT_FALSE(seqs.empty());
  EXPECT_GE(seqs.back(), last);
}

TEST_F(DeliveryTest, AlteredQueueRowBecomesAnIntegrityIncidentAtTheCollector) {
  enrollOrDie();
  const uint16_t port = collector_->port();
  collector_->stop(SIGTERM);
  {
    auto agent = startAgent();
    sendViews(5, "F-");
    agent->signal(SIGTERM);
    agent->wait();
  }
  // Someone with the disk but not the chain key edits a queued record id.
  auto queue_key = crypto::newFileKeyStore(agent_dir_ + "/keys")->load("queue");
  ASSERT_TRUE(queue_key.isOk()) << queue_key.status().toString();
  {
    auto db = sqlcipher::openEncrypted(agent_dir_ + "/queue.db", SQLITE_OPEN_READWRITE, *queue_key);
    ASSERT_TRUE(db.isOk()) << db.status().toString();
    ASSERT_TRUE(sqlcipher::exec(db->get(),
                                "UPDATE events SET body = CAST(replace(CAST(body AS TEXT),"
                                " '\"F-3\"', '\"F-9\"') AS BLOB)"
                                " WHERE CAST(body AS TEXT) LIKE '%\"F-3\"%';")
                    .isOk());
    ASSERT_EQ(sqlite3_changes(db->get()), 1);
  }
  collector_ = std::make_unique<CollectorProcess>(collector_dir_, port);
  auto agent = startAgent();
  waitForContiguous(7);
  const auto found = incidents();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].kind, "bad_mac");
}

TEST_F(DeliveryTest, CollectorTakesAConfigFileAndTheCommandLineWins) {
  const std::string config = dir_.file("collector.properties");
  {
    std::ofstream(config) << "collector.data_dir = " << dir_.file("from-file") << "\n"
                          << "collector.listen = 127.0.0.1:0\n";
  }
  for (const auto& [extra, expected_dir] :
       {std::pair<std::vector<std::string>, std::string>{{}, dir_.file("from-file")},
        {{"--data-dir", dir_.file("from-command-line")}, dir_.file("from-command-line")}}) {
    std::vector<std::string> argv{VIGIE_COLLECTOR_BINARY, "--config", config};
    argv.insert(argv.end(), extra.begin(), extra.end());
    Subprocess collector(argv);
    const std::string line = collector.readLine();
    EXPECT_NE(line.find("listening on https://127.0.0.1:"), std::string::npos) << line;
    EXPECT_NE(line.find("data in " + expected_dir + ","), std::string::npos) << line;
    collector.signal(SIGTERM);
    EXPECT_EQ(WEXITSTATUS(collector.wait()), 0);
    EXPECT_TRUE(std::filesystem::exists(expected_dir + "/enrollment.secret"));
  }
}

TEST_F(DeliveryTest, CollectorRefusesBadSettingsBeforeCreatingAnything) {
  const std::string fresh = dir_.file("fresh");
  for (const std::vector<std::string>& bad : {std::vector<std::string>{"--listen", "nowhere"},
                                              {"--listen", "127.0.0.1:99999"},
                                              {"--max-threads", "many"},
                                              {"--max-threads", "0"},
                                              {"--no-such-option"}}) {
    std::vector<std::string> argv{VIGIE_COLLECTOR_BINARY, "--data-dir", fresh};
    argv.insert(argv.end(), bad.begin(), bad.end());
    Subprocess command(argv, -1, /*capture_stderr=*/true);
    const std::string output = command.readAllOutput();
    const int status = command.wait();
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 2) << bad[0] << ": " << output;
    EXPECT_NE(output.find("vigie-collector --help"), std::string::npos) << output;
  }
  EXPECT_FALSE(std::filesystem::exists(fresh));
}

}  // namespace
}  // namespace vigie
