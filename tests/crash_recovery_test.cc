// kill -9 of a process writing to the queue, at random points: no committed event lost, no
// sequence number reused, the chain still verifies.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <random>
#include <sstream>
#include <thread>

#include "subprocess.h"
#include "temp_dir.h"
#include "test_keys.h"
#include "vigie/agent/event_queue.h"
#include "vigie/crypto/hmac_chain.h"
#include "vigie/protocol/json_codec.h"

namespace vigie {
namespace {

uint64_t lastReportedSeq(const std::string& output) {
  std::istringstream lines(output);
  uint64_t last = 0;
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) last = std::stoull(line);  // a torn last line has no '\n' yet: fine
  }
  return last;
}

TEST(CrashRecovery, KillNineAtRandomPointsLosesNothing) {
  testing::TempDir dir;
  const std::string path = dir.file("queue.db");
  const auto seed =
      static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> kill_after_ms(0, 25);

  constexpr int kRounds = 60;
  uint64_t committed = 0;  // highest seq a writer reported as committed
  int rounds_with_commits = 0;
  for (int round = 0; round < kRounds; ++round) {
    testing::Subprocess writer({VIGIE_QUEUE_WRITER, path, std::to_string(rng())});
    // Most rounds kill in the middle of a stream of commits; every fourth round kills at any
    // time from the start, opening and creation included. No timing assumption either way.
    if (round % 4 != 0) {
      ASSERT_TRUE(writer.waitForOutput()) << "the writer died by itself";
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(kill_after_ms(rng)));
    writer.signal(SIGKILL);
    const int status = writer.wait();
    ASSERT_TRUE(WIFSIGNALED(status)) << "round " << round << ": the writer exited by itself";
    const uint64_t reported = lastReportedSeq(writer.readAllOutput());
    if (reported > committed) ++rounds_with_commits;
    committed = std::max(committed, reported);

    auto queue = agent::EventQueue::openForReading(path, testing::fixedKey(0x11));
    if (!queue.isOk() && queue.status().code() == Status::Code::kNotFound) continue;
    ASSERT_TRUE(queue.isOk()) << "round " << round << ": " << queue.status().toString();
    std::vector<protocol::Event> events;
    ASSERT_TRUE((*queue)
                    ->forEach([&](const agent::LeasedEvent& row) {
                      auto event = protocol::eventFromJson(row.json);
                      EXPECT_TRUE(event.isOk()) << event.status().toString();
                      if (event.isOk()) events.push_back(std::move(event).value());
                      return true;
                    })
                    .isOk());
    ASSERT_GE(events.size(), committed) << "round " << round << ": committed events lost";
    for (size_t i = 0; i < events.size(); ++i) {
      ASSERT_EQ(events[i].seq, i + 1) << "round " << round << ": sequence hole or reuse";
    }
    const auto broken = crypto::verifyChain(testing::fixedKey(0x22), events);
    ASSERT_EQ(broken, std::nullopt) << "round " << round << ": " << broken->detail;
  }
  EXPECT_GE(rounds_with_commits, kRounds / 2) << "too few rounds got to commit anything";
}

}  // namespace
}  // namespace vigie
