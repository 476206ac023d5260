#include "vigie/agent/user_journal.h"

#include "vigie/protocol/json_codec.h"

namespace vigie::agent {
namespace {

int dayKey(const platform::LocalTime& local) {
  return local.year * 10000 + local.month * 100 + local.day;
}

}  // namespace

UserJournal::UserJournal(platform::Clock& clock, const platform::TimeZone& zone)
    : clock_(clock),
      zone_(zone),
      since_ms_(clock.nowUnixMillis()),
      day_key_(dayKey(zone.toLocal(since_ms_))) {}

void UserJournal::rollOver(int64_t now_ms) {
  const platform::LocalTime local = zone_.toLocal(now_ms);
  if (dayKey(local) == day_key_) return;
  day_key_ = dayKey(local);
  since_ms_ = zone_.toUnixMillis(local.year, local.month, local.day, 0);
  people_.clear();
}

void UserJournal::record(const protocol::Event& event) {
  if (event.user.empty()) return;
  protocol::MyDataEntry entry{event.seq, event.time_ms, event.session, event.type,
                              protocol::dataToJson(event.data)};
  const size_t size = entry.data_json.size() + entry.session.size() + sizeof entry;
  std::lock_guard lock(mu_);
  rollOver(clock_.nowUnixMillis());
  auto found = people_.find(event.user);
  if (found == people_.end()) {
    if (people_.size() >= kMaxUsers) return;
    found = people_.emplace(event.user, Person{}).first;
  }
  Person& person = found->second;
  while (!person.entries.empty() &&
         (person.entries.size() >= kMaxEntries || person.bytes + size > kMaxBytes)) {
    const protocol::MyDataEntry& oldest = person.entries.front();
    person.bytes -= oldest.data_json.size() + oldest.session.size() + sizeof oldest;
    person.entries.pop_front();
    ++person.dropped;
  }
  person.entries.push_back(std::move(entry));
  person.bytes += size;
}

UserDay UserJournal::today(const std::string& user) {
  std::lock_guard lock(mu_);
  rollOver(clock_.nowUnixMillis());
  UserDay day;
  day.since_ms = since_ms_;
  const auto found = people_.find(user);
  if (found == people_.end()) return day;
  day.dropped = found->second.dropped;
  day.entries.assign(found->second.entries.begin(), found->second.entries.end());
  return day;
}

}  // namespace vigie::agent
