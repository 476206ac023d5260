#include "vigie/agent/user_journal.h"

#include <gtest/gtest.h>

#include "fixed_zone.h"
#include "manual_clock.h"
#include "sample_events.h"

namespace vigie::agent {
namespace {

using vigie::testing::FixedZone;
using vigie::testing::ManualClock;
using vigie::testing::utcMillis;

protocol::Event eventOf(const std::string& user, uint64_t seq, int64_t time_ms) {
  protocol::Event event = vigie::testing::typicalCrmView(seq);
  event.user = user;
  event.seq = seq;
  event.time_ms = time_ms;
  return event;
}

TEST(UserJournalTest, EachPersonReadsTheirOwnEntriesOnly) {
  ManualClock clock(utcMillis(2026, 12, 7, 8, 0));
  const FixedZone zone(60);
  UserJournal journal(clock, zone);
  journal.record(eventOf("alice", 1, clock.nowUnixMillis()));
  journal.record(eventOf("bob", 2, clock.nowUnixMillis()));
  journal.record(eventOf("alice", 3, clock.nowUnixMillis()));
  journal.record(eventOf("", 4, clock.nowUnixMillis()));  // the queue's own: nobody's

  const UserDay alice = journal.today("alice");
  ASSERT_EQ(alice.entries.size(), 2u);
  EXPECT_EQ(alice.entries[0].seq, 1u);
  EXPECT_EQ(alice.entries[1].seq, 3u);
  EXPECT_EQ(alice.entries[0].type, protocol::EventType::kCrmView);
  EXPECT_NE(alice.entries[0].data_json.find("\"record_id\""), std::string::npos);
  EXPECT_EQ(alice.since_ms, utcMillis(2026, 12, 7, 8, 0));  // the service's start
  EXPECT_EQ(journal.today("bob").entries.size(), 1u);
  EXPECT_TRUE(journal.today("carol").entries.empty());
  EXPECT_TRUE(journal.today("").entries.empty());
}

TEST(UserJournalTest, LocalMidnightForgetsTheDay) {
  ManualClock clock(utcMillis(2026, 12, 7, 22, 0));  // 23:00 local
  const FixedZone zone(60);
  UserJournal journal(clock, zone);
  journal.record(eventOf("alice", 1, clock.nowUnixMillis()));
  clock.set(utcMillis(2026, 12, 7, 22, 59));
  EXPECT_EQ(journal.today("alice").entries.size(), 1u);
  clock.set(utcMillis(2026, 12, 7, 23, 0));  // midnight local
  const UserDay next_day = journal.today("alice");
  EXPECT_TRUE(next_day.entries.empty());
  EXPECT_EQ(next_day.since_ms, utcMillis(2026, 12, 7, 23, 0));
}

TEST(UserJournalTest, TheOldestGoFirstAndAreCounted) {
  ManualClock clock(utcMillis(2026, 12, 7, 8, 0));
  const FixedZone zone(0);
  UserJournal journal(clock, zone);
  const uint64_t total = UserJournal::kMaxEntries + 5;
  for (uint64_t seq = 1; seq <= total; ++seq) {
    journal.record(eventOf("alice", seq, clock.nowUnixMillis()));
  }
  const UserDay day = journal.today("alice");
  EXPECT_EQ(day.entries.size(), UserJournal::kMaxEntries);
  EXPECT_EQ(day.dropped, 5u);
  EXPECT_EQ(day.entries.front().seq, 6u);
  EXPECT_EQ(day.entries.back().seq, total);
}

}  // namespace
}  // namespace vigie::agent
