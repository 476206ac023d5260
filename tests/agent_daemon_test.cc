// The real vigie-agent process: sensors on its socket, identity from the kernel, bad input
// refused line by line, kill -9 under traffic, agent.start / agent.stop, the show command.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <sstream>
#include <thread>

#include "sensor_client.h"
#include "subprocess.h"
#include "temp_dir.h"
#include "vigie/platform/local_socket.h"
#include "vigie/platform/peer_identity.h"
#include "vigie/protocol/json_codec.h"

namespace vigie {
namespace {

using testing::crmViewDraft;
using testing::exchangeLines;
using testing::readReplies;
using testing::Subprocess;
using testing::TempDir;

class AgentDaemonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Reachable by an unprivileged test user too; the data directory itself is made 0700.
    ASSERT_EQ(::chmod(dir_.path().c_str(), 0755), 0);
  }

  std::unique_ptr<Subprocess> startAgent(const std::vector<std::string>& extra = {}) {
    std::error_code ignored;
    std::filesystem::remove(socket_, ignored);
    std::vector<std::string> argv{VIGIE_AGENT_BINARY, "run",   "--data-dir",  data_,
                                  "--socket",         socket_, "--device-id", "dev-e2e"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    auto agent = std::make_unique<Subprocess>(argv);
    // The socket appears once the service is ready; bounded wait, no fixed sleep.
    for (int i = 0; i < 1000 && !std::filesystem::exists(socket_); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_TRUE(std::filesystem::exists(socket_)) << "the agent did not start";
    return agent;
  }

  platform::LocalStreamPtr connect() {
    auto stream = platform::connectLocal(socket_);
    EXPECT_TRUE(stream.isOk()) << stream.status().toString();
    return stream.isOk() ? std::move(stream).value() : nullptr;
  }

  // `vigie-agent show --json`: the decoded events, and the command's exit status.
  std::pair<std::vector<protocol::Event>, int> show() {
    Subprocess command({VIGIE_AGENT_BINARY, "show", "--json", "--data-dir", data_});
    const std::string output = command.readAllOutput();
    const int status = command.wait();
    std::vector<protocol::Event> events;
    std::istringstream lines(output);
    for (std::string line; std::getline(lines, line);) {
      auto event = protocol::eventFromJson(line);
      EXPECT_TRUE(event.isOk()) << event.status().toString();
      if (event.isOk()) events.push_back(std::move(event).value());
    }
    return {events, WIFEXITED(status) ? WEXITSTATUS(status) : -1};
  }

  TempDir dir_;
  const std::string data_ = dir_.file("data");
  const std::string socket_ = dir_.file("agent.sock");
};

TEST_F(AgentDaemonTest, RecordsSensorEventsWithTheKernelsIdentityAndRefusesBadLines) {
  auto agent = startAgent();
  auto stream = connect();
  ASSERT_NE(stream, nullptr);
  const auto replies =
      exchangeLines(*stream, {
                                 crmViewDraft("C-1"),
                                 R"({"type":"agent.stop","data":{"reason":"forged"}})",
                                 R"({"type":"crm.view","data":{"app":"x"},"user":"someone-else"})",
                                 "{not json",
                                 std::string(protocol::kMaxEventJsonBytes + 10, 'x'),
                                 std::string(1 << 20, 'y'),
                                 crmViewDraft("C-2"),
                             });
  ASSERT_EQ(replies.size(), 7u);
  EXPECT_EQ(replies[0], "ok 2");  // seq 1 is agent.start
  EXPECT_EQ(replies[1], "error agent.stop events come from the agent itself");
  EXPECT_EQ(replies[2], "error unknown field user");
  EXPECT_EQ(replies[3].rfind("error malformed JSON", 0), 0u) << replies[3];
  EXPECT_EQ(replies[4], "error event larger than 16384 bytes");
  EXPECT_EQ(replies[5], "error event larger than 16384 bytes");
  EXPECT_EQ(replies[6], "ok 3");

  if (::geteuid() == 0) {
    // An unprivileged session sensor: the service stamps who it really is.
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(3);
      auto mine = platform::connectLocal(socket_);
      if (!mine.isOk()) ::_exit(4);
      const auto reply = exchangeLines(**mine, {crmViewDraft("C-nobody")});
      ::_exit(reply.size() == 1 && reply[0] == "ok 4" ? 0 : 5);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
  }

  stream.reset();
  agent->signal(SIGTERM);
  const int status = agent->wait();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);

  const auto [events, show_status] = show();
  EXPECT_EQ(show_status, 0) << "the chain verifies";
  ASSERT_GE(events.size(), 4u);
  EXPECT_EQ(events.front().type, protocol::EventType::kAgentStart);
  EXPECT_EQ(events.back().type, protocol::EventType::kAgentStop);
  EXPECT_EQ(std::get<protocol::AgentStop>(events.back().data).reason, "SIGTERM");
  EXPECT_EQ(events[1].user, platform::userNameOf(::geteuid()));
  EXPECT_EQ(events[1].device, "dev-e2e");
  if (::geteuid() == 0) {
    ASSERT_EQ(events.size(), 5u);
    EXPECT_EQ(std::get<protocol::CrmView>(events[3].data).record_id, "C-nobody");
    EXPECT_EQ(events[3].user, "nobody");
  }
  struct stat st {};
  ASSERT_EQ(::stat(data_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
}

TEST_F(AgentDaemonTest, KillNineUnderTrafficLosesNoAcknowledgedEvent) {
  std::map<uint64_t, std::string> acknowledged;  // seq -> record id
  for (int round = 0; round < 3; ++round) {
    auto agent = startAgent();
    std::atomic<bool> stop = false;
    std::vector<std::thread> senders;
    std::mutex mu;
    for (int t = 0; t < 3; ++t) {
      senders.emplace_back([&, t] {
        auto stream = platform::connectLocal(socket_);
        if (!stream.isOk()) return;
        for (int batch = 0; !stop; ++batch) {
          std::vector<std::string> lines;
          for (int i = 0; i < 20; ++i) {
            lines.push_back(crmViewDraft("R" + std::to_string(round) + "-" + std::to_string(t) +
                                         "-" + std::to_string(batch) + "-" + std::to_string(i)));
          }
          const auto replies = exchangeLines(**stream, lines);
          std::lock_guard lock(mu);
          for (size_t i = 0; i < replies.size(); ++i) {
            if (replies[i].rfind("ok ", 0) == 0) {
              const std::string record = lines[i].substr(lines[i].find("\"record_id\":\"") + 13);
              acknowledged[std::stoull(replies[i].substr(3))] = record.substr(0, record.find('"'));
            }
          }
          if (replies.size() < lines.size()) return;  // the agent died mid-batch
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(150 + 50 * round));
    agent->signal(SIGKILL);
    agent->wait();
    stop = true;
    for (auto& sender : senders) sender.join();
  }
  ASSERT_GT(acknowledged.size(), 100u);
  const auto [events, show_status] = show();
  EXPECT_EQ(show_status, 0) << "the chain verifies across three kill -9";
  std::map<uint64_t, std::string> stored;
  for (const auto& event : events) {
    if (event.type == protocol::EventType::kCrmView) {
      stored[event.seq] = std::get<protocol::CrmView>(event.data).record_id;
    }
  }
  for (const auto& [seq, record] : acknowledged) {
    ASSERT_TRUE(stored.count(seq)) << "acknowledged event " << seq << " lost";
    EXPECT_EQ(stored[seq], record);
  }
  for (size_t i = 0; i < events.size(); ++i) ASSERT_EQ(events[i].seq, i + 1);
}

TEST_F(AgentDaemonTest, ShowAcceptsHolesThatRecordedDropsExplain) {
  auto agent = startAgent({"--max-events", "100"});
  auto stream = connect();
  ASSERT_NE(stream, nullptr);
  std::vector<std::string> lines;
  for (int i = 0; i < 150; ++i) {
    // Focus events (low priority) interleaved with CRM views: drops leave holes mid-chain.
    lines.push_back(i % 2 == 0 ? R"({"type":"app.focus","data":{"app":"crm-web"}})"
                               : crmViewDraft("C-" + std::to_string(i)));
  }
  for (const auto& reply : exchangeLines(*stream, lines)) ASSERT_EQ(reply.rfind("ok ", 0), 0u);
  stream.reset();
  agent->signal(SIGTERM);
  agent->wait();
  const auto [events, show_status] = show();
  EXPECT_EQ(show_status, 0) << "holes covered by agent.gap are not a broken chain";
  EXPECT_LE(events.size(), 101u);
  uint64_t dropped = 0;
  for (const auto& event : events) {
    if (const auto* gap = std::get_if<protocol::AgentGap>(&event.data)) {
      for (const auto& entry : gap->dropped) {
        EXPECT_EQ(entry.type, protocol::EventType::kAppFocus);
        dropped += entry.count;
      }
    }
  }
  EXPECT_GT(dropped, 0u);
}

TEST_F(AgentDaemonTest, SendCommandPrintsOneReplyPerLineAndEnds) {
  auto agent = startAgent();
  const std::string script = "printf '%s\\n%s\\n' '" + crmViewDraft("C-send") + "' '{}' | " +
                             VIGIE_AGENT_BINARY + " send --socket " + socket_;
  Subprocess send({"/bin/sh", "-c", script});
  const std::string output = send.readAllOutput();
  const int status = send.wait();
  EXPECT_EQ(output, "ok 2\nerror field type: missing\n");
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 1) << "an error line makes it fail";
}

TEST(AgentCommandLine, HelpAndUsageErrors) {
  Subprocess help({VIGIE_AGENT_BINARY, "help"});
  const std::string text = help.readAllOutput();
  EXPECT_EQ(WEXITSTATUS(help.wait()), 0);
  for (const char* word : {"run", "send", "show", "--data-dir", "--socket", "--max-age-days"}) {
    EXPECT_NE(text.find(word), std::string::npos) << word;
  }
  Subprocess bad({VIGIE_AGENT_BINARY, "run", "--max-events", "ten"});
  EXPECT_EQ(WEXITSTATUS(bad.wait()), 2);
  Subprocess unknown({VIGIE_AGENT_BINARY, "run", "--frobnicate"});
  EXPECT_EQ(WEXITSTATUS(unknown.wait()), 2);
  TempDir dir;
  Subprocess missing({VIGIE_AGENT_BINARY, "show", "--data-dir", dir.file("none")});
  EXPECT_EQ(WEXITSTATUS(missing.wait()), 1);
}

}  // namespace
}  // namespace vigie
