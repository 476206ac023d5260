#include "vigie/agent/event_intake.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "queue_test_util.h"
#include "temp_dir.h"

namespace vigie::agent {
namespace {

using testing::openOrDie;
using testing::queueOptions;
using testing::typicalCrmViews;
using vigie::testing::TempDir;

TEST(EventIntake, ConcurrentSubmissionsShareCommits) {
  TempDir dir;
  auto queue = openOrDie(queueOptions(dir.file("queue.db")));
  constexpr int kThreads = 8;
  constexpr int kSubmissionsPerThread = 50;
  std::vector<std::vector<uint64_t>> seqs(kThreads);
  {
    EventIntake intake(*queue);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kSubmissionsPerThread; ++i) {
          auto events = typicalCrmViews(2, static_cast<uint64_t>(t * 1000 + i * 2));
          const Status status = intake.submit(events);
          EXPECT_TRUE(status.isOk()) << status.toString();
          for (const auto& event : events) seqs[static_cast<size_t>(t)].push_back(event.seq);
        }
      });
    }
    for (auto& thread : threads) thread.join();
  }
  std::set<uint64_t> all;
  for (const auto& per_thread : seqs) {
    EXPECT_TRUE(std::is_sorted(per_thread.begin(), per_thread.end()));
    all.insert(per_thread.begin(), per_thread.end());
  }
  EXPECT_EQ(all.size(), size_t{kThreads * kSubmissionsPerThread * 2}) << "every seq distinct";
  EXPECT_EQ(*all.rbegin(), all.size());
  EXPECT_EQ(testing::readAll(*queue).size(), all.size());
  EXPECT_LT(queue->stats().commits, uint64_t{kThreads * kSubmissionsPerThread})
      << "submissions waiting together were committed together";
  EXPECT_EQ(crypto::verifyChain(testing::fixedKey(0x22), testing::readAll(*queue)), std::nullopt);
}

TEST(EventIntake, ABadSubmissionDoesNotSinkItsNeighbours) {
  TempDir dir;
  auto queue = openOrDie(queueOptions(dir.file("queue.db")));
  EventIntake intake(*queue);
  std::vector<std::thread> threads;
  std::atomic<int> ok = 0, refused = 0;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      auto events = typicalCrmViews(3, static_cast<uint64_t>(t) * 3);
      if (t % 2 == 1) std::get<protocol::CrmView>(events[1].data).app = std::string(300, 'a');
      const Status status = intake.submit(events);
      (status.isOk() ? ok : refused)++;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ok, 3);
  EXPECT_EQ(refused, 3);
  EXPECT_EQ(testing::readAll(*queue).size(), 9u);
}

}  // namespace
}  // namespace vigie::agent
