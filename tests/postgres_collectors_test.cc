// Two stateless collectors on one PostgreSQL, with the real programs: vigie-collector processes
// serving HTTPS on loopback, sharing one data directory's CA, certificates, secret and keys and
// one database (`--store postgresql://…`, the password in a PGPASSFILE), and real vigie-agent
// processes spread over both. One collector is killed mid-ingest, then the database restarted,
// while agents upload: the agents back off and send again, nothing is lost, nothing doubles.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "collector_process.h"
#include "https_client.h"
#include "postgres_server.h"
#include "sensor_client.h"
#include "subprocess.h"
#include "temp_dir.h"
#include "vigie/collector/postgres_store.h"
#include "vigie/platform/local_socket.h"

namespace vigie {
namespace {

using testing::CollectorProcess;
using testing::Subprocess;

// One workstation: its agent, its data and its socket.
struct Workstation {
  std::string device_id;
  std::string dir;
  std::string socket;
  std::unique_ptr<Subprocess> agent;
};

class PostgresCollectorsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.running()) << server_.error();
    conninfo_ = server_.createDatabase();
    uri_ = server_.uriWithoutPassword(server_.lastDatabase());
    // The password reaches the collectors as on a real host: a file of their own, mode 0600.
    std::ofstream(password_file_) << server_.passwordFileLine();
    std::filesystem::permissions(password_file_, std::filesystem::perms(0600));
    first_ = start(first_dir_, 0);
    ASSERT_NE(first_->port(), 0);
    // The second collector shares the first one's identity: a copy of its data directory.
    std::filesystem::copy(first_dir_, second_dir_,
                          std::filesystem::copy_options::recursive |
                              std::filesystem::copy_options::overwrite_existing);
    second_ = start(second_dir_, 0);
    ASSERT_NE(second_->port(), 0);
  }

  std::unique_ptr<CollectorProcess> start(const std::string& dir, uint16_t port) {
    return std::make_unique<CollectorProcess>(
        dir, port, std::vector<std::string>{"--store", uri_},
        std::vector<std::string>{"PGPASSFILE=" + password_file_});
  }

  // Enrolls a workstation through `collector` and starts its agent.
  void addWorkstation(Workstation& station, const std::string& id,
                      const CollectorProcess& collector) {
    station.device_id = id;
    station.dir = dir_.file(id);
    station.socket = dir_.file(id + ".sock");
    Subprocess enroll({VIGIE_AGENT_BINARY, "enroll", "--collector", collector.url(), "--ca-file",
                       first_dir_ + "/ca.pem", "--secret-file", first_dir_ + "/enrollment.secret",
                       "--data-dir", station.dir, "--device-id", id},
                      -1, /*capture_stderr=*/true);
    const std::string output = enroll.readAllOutput();
    ASSERT_EQ(enroll.wait(), 0) << output;
    station.agent = std::make_unique<Subprocess>(
        std::vector<std::string>{VIGIE_AGENT_BINARY, "run", "--data-dir", station.dir, "--socket",
                                 station.socket, "--linger-ms", "20", "--batch-events", "100"});
    for (int i = 0; i < 1000 && !std::filesystem::exists(station.socket); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ASSERT_TRUE(std::filesystem::exists(station.socket)) << "the agent did not start";
  }

  // Has the agent queue `count` record views; returns the highest seq it committed.
  uint64_t sendViews(const Workstation& station, size_t count, const std::string& prefix) {
    auto stream = platform::connectLocal(station.socket);
    EXPECT_TRUE(stream.isOk()) << stream.status().toString();
    if (!stream.isOk()) return 0;
    std::vector<std::string> lines;
    for (size_t i = 0; i < count; ++i) {
      lines.push_back(testing::crmViewDraft(prefix + std::to_string(i)));
    }
    uint64_t highest = 0;
    for (const auto& reply : testing::exchangeLines(**stream, lines)) {
      EXPECT_EQ(reply.rfind("ok ", 0), 0u) << reply;
      if (reply.rfind("ok ", 0) == 0) {
        highest = std::max<uint64_t>(highest, std::stoull(reply.substr(3)));
      }
    }
    return highest;
  }

  // The device's stored sequence numbers, read from the database; a repeat fails the test.
  std::vector<uint64_t> storedSeqs(const std::string& device_id) {
    std::vector<uint64_t> seqs;
    auto store = collector::openPostgresStore({conninfo_, 1}, 0);
    if (!store.isOk()) return seqs;  // the server is restarting
    collector::EventQuery query;
    query.device_id = device_id;
    const Status read = (*store)->forEachEvent(query, [&](const collector::StoredEvent& stored) {
      EXPECT_EQ(stored.integrity, collector::Integrity::kOk) << stored.event.seq;
      seqs.push_back(stored.event.seq);
      return true;
    });
    if (!read.isOk()) return {};
    std::sort(seqs.begin(), seqs.end());
    EXPECT_EQ(std::adjacent_find(seqs.begin(), seqs.end()), seqs.end()) << "a seq stored twice";
    return seqs;
  }

  // Waits (bounded) until the database holds exactly 1..`through` of the device.
  bool holdsExactly(const std::string& device_id, uint64_t through, int seconds = 120) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    std::vector<uint64_t> seqs;
    while (std::chrono::steady_clock::now() < deadline) {
      seqs = storedSeqs(device_id);
      if (seqs.size() == through && !seqs.empty() && seqs.back() == through) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    ADD_FAILURE() << device_id << ": " << seqs.size() << " events stored, last "
                  << (seqs.empty() ? 0 : seqs.back()) << ", expected 1.." << through;
    return false;
  }

  bool noIncident() {
    auto store = collector::openPostgresStore({conninfo_, 1}, 0);
    if (!store.isOk()) return false;
    auto incidents = (*store)->incidents(std::nullopt);
    return incidents.isOk() && incidents->empty();
  }

  testing::PostgresServer server_;  // its own: this test restarts it
  testing::TempDir dir_;
  const std::string first_dir_ = dir_.file("collector-1");
  const std::string second_dir_ = dir_.file("collector-2");
  const std::string password_file_ = dir_.file("pgpass");
  std::string conninfo_;
  std::string uri_;
  std::unique_ptr<CollectorProcess> first_;
  std::unique_ptr<CollectorProcess> second_;
};

TEST_F(PostgresCollectorsTest, AgentsSpreadOverTwoCollectorsLoseNothingAndDoubleNothing) {
  Workstation a, b;
  addWorkstation(a, "dev-pg-a", *first_);
  addWorkstation(b, "dev-pg-b", *second_);
  uint64_t last_a = sendViews(a, 200, "A-");
  uint64_t last_b = sendViews(b, 200, "B-");
  ASSERT_TRUE(holdsExactly(a.device_id, last_a));
  ASSERT_TRUE(holdsExactly(b.device_id, last_b));

  // The first collector killed while its agent uploads; another process on its address (a
  // load balancer's next target would do the same): the agent backs off and sends again.
  const uint16_t first_port = first_->port();
  last_a = sendViews(a, 500, "A2-");
  first_->stop(SIGKILL);
  last_b = sendViews(b, 100, "B2-");
  first_ = start(first_dir_, first_port);
  ASSERT_EQ(first_->port(), first_port);
  ASSERT_TRUE(holdsExactly(a.device_id, last_a));
  ASSERT_TRUE(holdsExactly(b.device_id, last_b));

  // The database restarted ("immediate": as if it crashed) while both agents upload.
  last_a = sendViews(a, 300, "A3-");
  last_b = sendViews(b, 300, "B3-");
  ASSERT_TRUE(server_.stop("immediate")) << server_.error();
  std::this_thread::sleep_for(std::chrono::seconds(2));
  ASSERT_TRUE(server_.start()) << server_.error();
  EXPECT_TRUE(holdsExactly(a.device_id, last_a));
  EXPECT_TRUE(holdsExactly(b.device_id, last_b));
  EXPECT_TRUE(noIncident());

  // The audit side is shared too: an account made on the second collector's host logs in on the
  // first, and finds there what a workstation uploaded through the second.
  Subprocess add({"/bin/sh", "-c",
                  "printf '%s\\n' 'twelve chars!' | /usr/bin/env PGPASSFILE=" + password_file_ +
                      " " VIGIE_COLLECTOR_BINARY " --data-dir " + second_dir_ + " --store '" +
                      uri_ + "' --add-account anne --role auditor"},
                 -1, /*capture_stderr=*/true);
  const std::string added = add.readAllOutput();
  ASSERT_EQ(add.wait(), 0) << added;
  const testing::HttpsClient client(first_->url(), first_dir_ + "/ca.pem");
  const std::string token = client.login("anne", "twelve chars!");
  ASSERT_FALSE(token.empty());
  const auto answer =
      client.call("GET",
                  "/v1/audit/record?id=B-0&from=" + testing::timeFromNow(-3600 * 1000) +
                      "&to=" + testing::timeFromNow(3600 * 1000),
                  token);
  EXPECT_EQ(answer.status, 200) << answer.body;
  EXPECT_NE(answer.body.find("\"device\":\"dev-pg-b\""), std::string::npos) << answer.body;
}

TEST_F(PostgresCollectorsTest, APasswordInTheStoreUriIsRefusedWithoutBeingQuoted) {
  const std::string secret_uri = "postgresql://vigie:s3cret-pw@127.0.0.1:1/vigie";
  Subprocess collector({VIGIE_COLLECTOR_BINARY, "--data-dir", dir_.file("collector-3"), "--listen",
                        "127.0.0.1:0", "--store", secret_uri},
                       -1, /*capture_stderr=*/true);
  const std::string output = collector.readAllOutput();
  const int status = collector.wait();
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1) << output;
  EXPECT_NE(output.find("password file"), std::string::npos) << output;
  EXPECT_EQ(output.find("s3cret-pw"), std::string::npos) << output;

  Subprocess unknown({VIGIE_COLLECTOR_BINARY, "--data-dir", dir_.file("collector-3"), "--listen",
                      "127.0.0.1:0", "--store", "mysql://x"},
                     -1, /*capture_stderr=*/true);
  const std::string refused = unknown.readAllOutput();
  unknown.wait();
  EXPECT_NE(refused.find("--store expects 'embedded' or a postgresql://"), std::string::npos)
      << refused;
}

}  // namespace
}  // namespace vigie
