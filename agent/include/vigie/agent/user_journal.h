#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "vigie/platform/clock.h"
#include "vigie/platform/local_time.h"
#include "vigie/protocol/event.h"
#include "vigie/protocol/my_data.h"

namespace vigie::agent {

struct UserDay {
  int64_t since_ms = 0;  // what the journal knows starts here: the service's start or midnight
  uint64_t dropped = 0;  // entries of today no longer kept (bounds below)
  std::vector<protocol::MyDataEntry> entries;
};

// What the service recorded today about each person, kept in memory for them to read back over
// the sensor socket ("my data", docs/sensor-protocol.md). Today is the service's local day: at
// local midnight everything is forgotten. Bounded per person (kMaxEntries, kMaxBytes: the oldest
// go first, counted) and in people (kMaxUsers: past it, newcomers are not journaled). Nothing is
// written to disk. Thread-safe.
class UserJournal {
 public:
  static constexpr size_t kMaxEntries = 20'000;
  static constexpr size_t kMaxBytes = 8 << 20;
  static constexpr size_t kMaxUsers = 256;

  // Knows nothing before now (the service's start).
  UserJournal(platform::Clock& clock, const platform::TimeZone& zone);

  // Events stamped with a user; others (the queue's own) are skipped.
  void record(const protocol::Event& event);
  // Today's entries of `user`, oldest first.
  UserDay today(const std::string& user);

 private:
  struct Person {
    std::deque<protocol::MyDataEntry> entries;
    size_t bytes = 0;
    uint64_t dropped = 0;
  };
  // Forgets the previous day once the local date changed. REQUIRES: mu_ held.
  void rollOver(int64_t now_ms);

  platform::Clock& clock_;
  const platform::TimeZone& zone_;
  std::mutex mu_;
  int64_t since_ms_;                      // GUARDED_BY(mu_)
  int day_key_;                           // GUARDED_BY(mu_) year*10000+month*100+day
  std::map<std::string, Person> people_;  // GUARDED_BY(mu_)
};

}  // namespace vigie::agent
