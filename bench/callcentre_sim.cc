#include "callcentre_sim.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <optional>
#include <set>
#include <tuple>
#include <utility>

#include "detect/detection_policy.h"
#include "synthetic.h"
#include "vigie/protocol/hex.h"
#include "vigie/protocol/utc_time.h"
#include "vigie/protocol/uuid.h"

namespace vigie::bench {

using protocol::Event;
using protocol::EventType;

namespace {

constexpr int64_t kSecondMs = 1000;
constexpr int64_t kMinuteMs = 60 * kSecondMs;
constexpr int64_t kHourMs = 60 * kMinuteMs;
constexpr int64_t kDayMs = 24 * kHourMs;
constexpr uint8_t kMondayToFriday = 0x1f;
constexpr uint8_t kMondayToThursday = 0x0f;

// A broken precondition of the caller's: says which, and stops.
void require(bool holds, const char* what) {
  if (holds) return;
  std::fprintf(stderr, "simulateCallCentre: %s\n", what);
  std::abort();
}

// Division rounding towards minus infinity.
int64_t floorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

constexpr std::array<const char*, 3> kCallScreens = {"contract", "invoice", "ticket"};

// A stretch of time [from, to).
struct Span {
  int64_t from = 0;
  int64_t to = 0;
  bool contains(int64_t t) const { return t >= from && t < to; }
};

struct Agent {
  SimPerson person;
  size_t brand = 0;  // index in kBrands
  bool late = false;
  bool part_time = false;
  uint64_t sessions = 0;
  std::vector<Event> events;  // in no particular order until the end
};

// What one person's working day holds besides ordinary calls.
struct DayPlan {
  bool present = false;
  std::string session;
  Span shift;                 // scheduled start and end
  std::vector<Span> breaks;   // the session is locked
  std::vector<Span> blocked;  // not taking calls (a scenario happens then)
  std::string vip_record;     // a VIP calls in: the first call after the morning break
};

class Simulator {
 public:
  explicit Simulator(const SimOptions& options) : options_(options), draw_(options.seed) {
    require(options.teams >= 1 && static_cast<size_t>(options.teams) <= kTeams.size(),
            "teams must be 1..5");
    require(options.agents_per_team >= 4 && options.history_days >= 0 && options.eval_days >= 1,
            "at least 4 people per team and 1 evaluated day");
    const auto first = protocol::parseUtcMillis(options.first_day + "T00:00:00.000Z");
    require(first.has_value(), "first_day must be YYYY-MM-DD");
    centre_.options = options;
    centre_.history_from_ms = *first - options.utc_offset_minutes * kMinuteMs;
    centre_.eval_from_ms = centre_.history_from_ms + options.history_days * kDayMs;
    centre_.end_ms = centre_.eval_from_ms + options.eval_days * kDayMs;
    days_ = options.history_days + options.eval_days;
  }

  CallCentre run() {
    makePeople();
    makeWatchlist();
    planDays();
    if (options_.inject) planScenarios();
    planVipCalls();
    for (size_t a = 0; a < agents_.size(); ++a) {
      for (int day = 0; day < days_; ++day) {
        if (plan(a, day).present) workDay(a, day);
      }
    }
    for (const auto& injection : injections_) injection();
    finish();
    return std::move(centre_);
  }

 private:
  // --- calendar -------------------------------------------------------------------------------

  int64_t dayStart(int day) const { return centre_.history_from_ms + day * kDayMs; }
  int weekday(int day) const {
    return fixedOffsetLocalTime(dayStart(day) + 12 * kHourMs, options_.utc_offset_minutes).weekday;
  }
  bool isEvalDay(int day) const { return day >= options_.history_days; }
  DayPlan& plan(size_t agent, int day) {
    return plans_[agent * static_cast<size_t>(days_) + static_cast<size_t>(day)];
  }
  int64_t at(int day, int hour, int minute) const {
    return dayStart(day) + hour * kHourMs + minute * kMinuteMs;
  }

  // --- people, records, watch-list ------------------------------------------------------------

  void makePeople() {
    size_t index = 0;
    for (int t = 0; t < options_.teams; ++t) {
      const std::string team = kTeams[static_cast<size_t>(t)];
      const size_t brand = static_cast<size_t>(t) % kBrands.size();
      const bool late = t % 2 == 1;
      collector::Shift team_shift{"team:" + team, kMondayToFriday, late ? 12 * 60 : 8 * 60,
                                  late ? 20 * 60 + 30 : 16 * 60 + 30};
      centre_.shifts.push_back(team_shift);
      for (int i = 0; i < options_.agents_per_team; ++i, ++index) {
        Agent agent;
        agent.person.login = personLogin(index * 41);  // varied first and last names
        agent.person.team = team;
        agent.person.brand = kBrands[brand];
        const int64_t enrolled =
            centre_.history_from_ms - 30 * kDayMs + static_cast<int64_t>(index) * kMinuteMs;
        agent.person.device = protocol::toString(protocol::makeUuidV7(enrolled, draw_.bytes<10>()));
        char host[16];
        std::snprintf(host, sizeof host, "PC-%04zu", index + 1);
        agent.person.hostname = host;
        agent.brand = brand;
        agent.late = late;
        agent.person.shift = team_shift;
        // The last of each team works part time, on a schedule of their own.
        if (i == options_.agents_per_team - 1) {
          agent.part_time = true;
          agent.person.shift = collector::Shift{agent.person.login, kMondayToThursday,
                                                late ? 14 * 60 : 9 * 60, late ? 20 * 60 : 15 * 60};
          centre_.shifts.push_back(agent.person.shift);
        }
        centre_.teams[agent.person.login] = team;
        agents_.push_back(std::move(agent));
      }
    }
  }

  // A customer record that calls are about; never one of the watched records.
  std::string drawRecord(size_t brand) {
    for (;;) {
      std::string record = recordId(zipf_.draw(draw_), brand, options_.records_per_brand);
      if (!reserved_.contains(record)) return record;
    }
  }

  // Records far down the popularity ranks, reserved for the watch-list.
  std::string reserveRecord(size_t brand) {
    for (;;) {
      const int64_t rank =
          options_.records_per_brand / 2 +
          static_cast<int64_t>(draw_.below(static_cast<uint64_t>(options_.records_per_brand / 2)));
      std::string record = recordId(rank, brand, options_.records_per_brand);
      if (reserved_.insert(record).second) return record;
    }
  }

  void makeWatchlist() {
    std::set<size_t> served;
    for (const Agent& agent : agents_) served.insert(agent.brand);
    for (size_t brand : served) {
      for (int v = 0; v < 3; ++v) {
        collector::WatchedRecord vip;
        vip.brand = kBrands[brand];
        vip.record_id = reserveRecord(brand);
        vip.kind = "vip";
        vip.reason = "public figure";
        vip.added_by = "dpo";
        vip.added_ms = centre_.history_from_ms;
        vips_[brand].push_back(vip.record_id);
        centre_.watchlist.push_back(std::move(vip));
      }
    }
    // About one person in six is also a customer of the client they serve.
    for (size_t a = 0; a < agents_.size(); ++a) {
      if (a % 6 != 2) continue;
      collector::WatchedRecord own;
      own.brand = kBrands[agents_[a].brand];
      own.record_id = reserveRecord(agents_[a].brand);
      own.kind = "colleague";
      own.login = agents_[a].person.login;
      own.reason = "employee's own customer record";
      own.added_by = "hr";
      own.added_ms = centre_.history_from_ms;
      colleague_records_.push_back({a, own.record_id});
      centre_.watchlist.push_back(std::move(own));
    }
  }

  // --- plans ----------------------------------------------------------------------------------

  int64_t shiftStart(size_t a, int day) const {
    return dayStart(day) + agents_[a].person.shift.start_minute * kMinuteMs;
  }
  int64_t shiftEnd(size_t a, int day) const {
    return dayStart(day) + agents_[a].person.shift.end_minute * kMinuteMs;
  }
  bool worksOn(size_t a, int day) const {
    return (agents_[a].person.shift.days >> weekday(day) & 1) != 0;
  }

  void planDays() {
    plans_.resize(agents_.size() * static_cast<size_t>(days_));
    for (size_t a = 0; a < agents_.size(); ++a) {
      for (int day = 0; day < days_; ++day) {
        DayPlan& p = plan(a, day);
        p.shift = {shiftStart(a, day), shiftEnd(a, day)};
        // Breaks: a short one and a meal, a little earlier or later each day.
        const int64_t jitter = draw_.between(-15, 31) * kMinuteMs;
        const std::array<Span, 2> breaks =
            agents_[a].late ? std::array<Span, 2>{Span{at(day, 14, 30), at(day, 14, 45)},
                                                  Span{at(day, 16, 45), at(day, 17, 30)}}
                            : std::array<Span, 2>{Span{at(day, 10, 15), at(day, 10, 30)},
                                                  Span{at(day, 12, 0), at(day, 12, 45)}};
        for (const Span& b : breaks) {
          const Span moved{b.from + jitter, b.to + jitter};
          if (moved.from > p.shift.from + 30 * kMinuteMs && moved.to < p.shift.to - 30 * kMinuteMs)
            p.breaks.push_back(moved);
        }
        // A few days off sick; weekends and part-time days off.
        p.present = worksOn(a, day) && !draw_.chance(0.04);
        p.session = "c" + std::to_string(++agents_[a].sessions);
      }
    }
  }

  // The time after the meal break in which scenarios are placed, clear of the breaks.
  Span quietAfternoon(size_t a, int day) const {
    return agents_[a].late ? Span{at(day, 18, 5), at(day, 20, 0)}
                           : Span{at(day, 13, 20), at(day, 16, 0)};
  }

  std::vector<int> evalWorkdays() const {
    std::vector<int> days;
    for (int day = options_.history_days; day < days_; ++day) {
      if (weekday(day) < 5) days.push_back(day);
    }
    return days;
  }

  void planVipCalls() {
    // A VIP calls in now and then, and is served like anyone else: no alert is due.
    for (const auto& [brand, records] : vips_) {
      std::vector<size_t> candidates;
      for (size_t a = 0; a < agents_.size(); ++a) {
        if (agents_[a].brand == brand && !insiders_.contains(a) && !agents_[a].part_time)
          candidates.push_back(a);
      }
      if (candidates.empty()) continue;
      for (int n = 0; n < 2; ++n) {
        const size_t a = candidates[draw_.below(candidates.size())];
        const int day = static_cast<int>(draw_.below(static_cast<uint64_t>(days_)));
        if (!plan(a, day).present) continue;
        plan(a, day).vip_record = records[draw_.below(records.size())];
      }
    }
  }

  // --- ordinary work --------------------------------------------------------------------------

  Event& add(size_t a, int64_t time_ms, const std::string& session, EventType type,
             protocol::Payload data) {
    Agent& agent = agents_[a];
    Event event;
    event.id = protocol::makeUuidV7(time_ms, draw_.bytes<10>());
    event.time_ms = time_ms;
    event.device = agent.person.device;
    event.user = agent.person.login;
    event.session = session;
    event.type = type;
    event.data = std::move(data);
    agent.events.push_back(std::move(event));
    return agent.events.back();
  }

  void view(size_t a, int64_t time_ms, const std::string& session, const std::string& record,
            const char* screen, protocol::CrmMode mode = protocol::CrmMode::kView) {
    protocol::CrmView data;
    data.app = "crm-web";
    data.screen = screen;
    data.record_id = record;
    data.mode = mode;
    data.brand = agents_[a].person.brand;
    add(a, time_ms, session, EventType::kCrmView, std::move(data));
  }

  void copy(size_t a, int64_t time_ms, const std::string& session, protocol::PiiCounts pii,
            uint64_t size_bytes) {
    protocol::ClipboardCopy data;
    data.source_app = "chromium";
    data.formats = {"UTF8_STRING", "text/plain"};
    data.size_bytes = size_bytes;
    data.pii = pii;
    data.fingerprint = protocol::toHex(draw_.bytes<8>());
    add(a, time_ms, session, EventType::kClipboardCopy, std::move(data));
  }

  void fileExport(size_t a, int64_t time_ms, const std::string& session, protocol::PathClass place,
                  const char* extension, uint64_t size_bytes, std::optional<uint64_t> rows,
                  std::optional<uint64_t> pages) {
    protocol::FileExport data;
    data.path_class = place;
    data.extension = extension;
    data.size_bytes = size_bytes;
    data.writer_process = std::string(extension) == "pdf" ? "chromium" : "excel";
    data.rows = rows;
    data.pages = pages;
    add(a, time_ms, session, EventType::kFileExport, std::move(data));
  }

  // One call, ticket or callback from `start`; returns when the person is free again.
  int64_t handleCall(size_t a, int day, int64_t start, const std::string& session) {
    Agent& agent = agents_[a];
    DayPlan& p = plan(a, day);
    collector::Call call;
    call.call_id = "CTI-" + std::to_string(++call_sequence_);
    const double kind = draw_.unit();
    call.kind = kind < 0.85 ? "call" : kind < 0.95 ? "callback" : "ticket";
    call.agent = agent.person.login;
    call.campaign = (agent.late ? "late-" : "day-") + agent.person.team;
    if (!p.vip_record.empty() && (p.breaks.empty() || start > p.breaks.front().to)) {
      call.record_id = std::exchange(p.vip_record, std::string());
    } else {
      call.record_id = drawRecord(agent.brand);
    }
    const int64_t length = std::min<int64_t>(
        kMinuteMs + static_cast<int64_t>(draw_.exponential(4.0 * kMinuteMs)), 20 * kMinuteMs);
    call.start_ms = start;
    call.end_ms = start + length;

    if (draw_.chance(0.3))
      add(a, start, session, EventType::kAppFocus, protocol::AppFocus{"softphone", std::nullopt});
    std::vector<int64_t> views = {start + draw_.between(5, 40) * kSecondMs};
    // More screens (contract, invoices, tickets) the longer the call: one every 4 minutes or so.
    const uint64_t extra =
        poisson(static_cast<double>(length) / static_cast<double>(4 * kMinuteMs));
    for (uint64_t v = 0; v < extra; ++v)
      views.push_back(views.front() +
                      static_cast<int64_t>(draw_.below(static_cast<uint64_t>(
                          std::max<int64_t>(call.end_ms - views.front(), kSecondMs)))));
    std::sort(views.begin(), views.end());
    for (size_t v = 0; v < views.size(); ++v) {
      view(a, views[v], session, call.record_id, v == 0 ? "customer" : draw_.pick(kCallScreens),
           draw_.chance(0.1) ? protocol::CrmMode::kEdit : protocol::CrmMode::kView);
    }
    if (draw_.chance(options_.side_record_share)) {
      // A second record during the call (a joint account, a household member): no call names it.
      view(a, views.back() + 20 * kSecondMs, session, drawRecord(agent.brand), "customer");
      countNoise(views.back());
    }
    // Copies: an e-mail address or a phone number to paste into a mail or a form, or notes.
    if (draw_.chance(0.15)) {
      protocol::PiiCounts pii;
      (draw_.chance(0.6) ? pii.email : pii.phone_fr) = 1;
      copy(a, views[draw_.below(views.size())] + draw_.between(5, 45) * kSecondMs, session, pii,
           static_cast<uint64_t>(draw_.between(10, 40)));
    }
    if (draw_.chance(0.15)) {
      copy(a, views.back() + draw_.between(5, 90) * kSecondMs, session, {},
           static_cast<uint64_t>(draw_.between(20, 800)));
    }
    int64_t free_at = call.end_ms + draw_.between(20, 120) * kSecondMs;
    if (draw_.chance(0.2)) {  // wrap-up: the record again, after the call
      view(a, call.end_ms + draw_.between(10, 100) * kSecondMs, session, call.record_id, "ticket",
           protocol::CrmMode::kEdit);
      free_at += kMinuteMs;
    }
    centre_.calls[kBrands[agent.brand]].push_back(std::move(call));
    return free_at;
  }

  bool isBlocked(const DayPlan& p, int64_t t, int64_t* until) const {
    for (const Span& b : p.blocked) {
      if (b.contains(t)) {
        *until = b.to;
        return true;
      }
    }
    return false;
  }

  void workDay(size_t a, int day) {
    DayPlan& p = plan(a, day);
    if (isEvalDay(day)) ++centre_.person_days;
    const std::string& session = p.session;
    const int64_t logon = p.shift.from - draw_.between(2, 13) * kMinuteMs;
    add(a, logon, session, EventType::kSessionLogon, protocol::SessionChange{});
    add(a, logon + draw_.between(20, 90) * kSecondMs, session, EventType::kAppFocus,
        protocol::AppFocus{"chromium", std::nullopt});
    // Calls between the breaks; a break starts once the call in progress is over.
    int64_t t = p.shift.from + draw_.between(0, 5) * kMinuteMs;
    std::vector<Span> segments;
    int64_t from = t;
    for (const Span& b : p.breaks) {
      segments.push_back({from, b.from});
      from = b.to;
    }
    segments.push_back({from, p.shift.to});
    int64_t last = t;
    for (size_t s = 0; s < segments.size(); ++s) {
      t = std::max(segments[s].from, last);
      if (s > 0) {
        add(a, t, session, EventType::kSessionUnlock, protocol::SessionChange{});
        t += draw_.between(0, 3) * kMinuteMs;
      }
      while (t < segments[s].to - 5 * kMinuteMs) {
        int64_t until = 0;
        if (isBlocked(p, t, &until)) {
          t = until;
          continue;
        }
        t = handleCall(a, day, t, session);
        t += static_cast<int64_t>(draw_.exponential(1.5 * kMinuteMs));
      }
      last = t;
      if (s + 1 < segments.size()) {
        const int64_t lock = std::max(segments[s].to, t);
        add(a, lock, session, EventType::kSessionLock, protocol::SessionChange{});
        last = lock + (p.breaks[s].to - p.breaks[s].from);
      }
    }
    const int64_t logoff = std::max(p.shift.to, last) + draw_.between(1, 9) * kMinuteMs;
    add(a, logoff, session, EventType::kSessionLogoff, protocol::SessionChange{});

    // Between calls: a record looked at for no call (a colleague's question, a follow-up), a
    // small export, a print.
    auto workingTime = [&]() -> std::optional<int64_t> {
      const int64_t time =
          draw_.between(p.shift.from + 30 * kMinuteMs, p.shift.to - 30 * kMinuteMs);
      for (const Span& b : p.breaks) {
        if (b.contains(time)) return std::nullopt;
      }
      int64_t until = 0;
      if (isBlocked(p, time, &until)) return std::nullopt;
      return time;
    };
    for (uint64_t n = poisson(options_.unexplained_views_per_day); n > 0; --n) {
      if (auto time = workingTime()) {
        view(a, *time, session, drawRecord(agents_[a].brand), "customer");
        countNoise(*time);
      }
    }
    for (uint64_t n = poisson(0.3); n > 0; --n) {
      const auto time = workingTime();
      if (!time) continue;
      if (draw_.chance(0.6)) {
        const uint64_t rows = static_cast<uint64_t>(draw_.between(5, 200));
        fileExport(a, *time, session, protocol::PathClass::kDownloads, "csv", rows * 120 + 200,
                   rows, std::nullopt);
      } else {
        const uint64_t pages = static_cast<uint64_t>(draw_.between(1, 4));
        fileExport(a, *time, session, protocol::PathClass::kDownloads, "pdf",
                   pages * 60'000 + 5'000, std::nullopt, pages);
      }
    }
    for (uint64_t n = poisson(0.5); n > 0; --n) {
      const auto time = workingTime();
      if (!time) continue;
      add(a, *time, session, EventType::kPrintJob,
          protocol::PrintJob{"floor-" + std::to_string(agents_[a].brand + 1),
                             static_cast<uint64_t>(draw_.between(1, 7)), 1, "pdf"});
    }
  }

  void countNoise(int64_t time_ms) {
    if (time_ms >= centre_.eval_from_ms) ++centre_.unexplained_views;
  }

  uint64_t poisson(double mean) {
    uint64_t n = 0;
    for (double t = draw_.exponential(1.0); t < mean; t += draw_.exponential(1.0)) ++n;
    return n;
  }

  // --- scenarios ------------------------------------------------------------------------------

  void planScenarios() {
    std::vector<size_t> pool;
    for (size_t a = 0; a < agents_.size(); ++a) {
      if (!agents_[a].part_time) pool.push_back(a);
    }
    for (size_t i = pool.size(); i > 1; --i) std::swap(pool[i - 1], pool[draw_.below(i)]);
    const std::vector<int> workdays = evalWorkdays();
    if (workdays.empty()) return;
    size_t next = 0;
    for (Scenario scenario : kAllScenarios) {
      for (int n = 0; n < options_.instances_per_scenario && next < pool.size(); ++n) {
        const size_t a = pool[next++];
        insiders_.insert(a);
        const int day = workdays[draw_.below(workdays.size())];
        DayPlan& p = plan(a, day);
        p.present = true;
        const Span quiet = quietAfternoon(a, day);
        const int64_t start = draw_.between(quiet.from, quiet.to - 75 * kMinuteMs);
        planScenario(scenario, n, a, day, start);
      }
    }
  }

  void record(Scenario scenario, size_t a, int64_t from, int64_t to, std::string detail) {
    centre_.scenarios.push_back({scenario, agents_[a].person.login, from, to, std::move(detail)});
  }

  void planScenario(Scenario scenario, int n, size_t a, int day, int64_t start) {
    DayPlan& p = plan(a, day);
    const std::string session = p.session;
    const size_t brand = agents_[a].brand;
    switch (scenario) {
      case Scenario::kCelebritySnooping: {
        p.blocked.push_back({start, start + 8 * kMinuteMs});
        const std::string vip = vips_[brand][draw_.below(vips_[brand].size())];
        injections_.push_back([=, this] {
          const int64_t first = start + kMinuteMs;
          view(a, first, session, vip, "customer");
          view(a, first + 90 * kSecondMs, session, vip, "contract");
          view(a, first + 200 * kSecondMs, session, vip, "invoice");
          record(scenario, a, first, first + 200 * kSecondMs, "3 views of VIP record " + vip);
        });
        break;
      }
      case Scenario::kMassExport: {
        injections_.push_back([=, this] {
          if (n % 2 == 0) {
            const uint64_t rows = static_cast<uint64_t>(draw_.between(12'000, 60'000));
            fileExport(a, start, session, protocol::PathClass::kRemovable, "csv", rows * 180, rows,
                       std::nullopt);
            record(scenario, a, start, start,
                   "one CSV of " + std::to_string(rows) + " rows to removable media");
          } else {
            int64_t t = start;
            for (int e = 0; e < 30; ++e, t += draw_.between(60, 100) * kSecondMs) {
              const uint64_t pages = static_cast<uint64_t>(draw_.between(1, 3));
              fileExport(a, t, session, protocol::PathClass::kDownloads, "pdf",
                         pages * 60'000 + 5'000, std::nullopt, pages);
            }
            record(scenario, a, start, t, "30 PDF exports in under an hour");
          }
        });
        break;
      }
      case Scenario::kAfterHours: {
        // Back in the evening after a day shift; on Saturday morning after a late one.
        const int64_t logon =
            agents_[a].late ? at(day + 5 - weekday(day), 10, 0) + draw_.between(0, 30) * kMinuteMs
                            : at(day, 21, 40) + draw_.between(0, 30) * kMinuteMs;
        const std::string evening = "c" + std::to_string(++agents_[a].sessions);
        injections_.push_back([=, this] {
          add(a, logon, evening, EventType::kSessionLogon, protocol::SessionChange{});
          int64_t t = logon + 2 * kMinuteMs;
          const int64_t views = draw_.between(6, 16);
          for (int64_t v = 0; v < views; ++v, t += draw_.between(40, 240) * kSecondMs)
            view(a, t, evening, drawRecord(brand), "customer");
          add(a, t, evening, EventType::kSessionLogoff, protocol::SessionChange{});
          record(scenario, a, logon, t, std::to_string(views) + " views off shift");
        });
        break;
      }
      case Scenario::kIbanCopy: {
        injections_.push_back([=, this] {
          // The IBANs of the customers called in the next 90 minutes.
          std::vector<int64_t> firsts;
          std::set<std::string> seen;
          for (const Event& event : agents_[a].events) {
            if (event.type != EventType::kCrmView || event.time_ms < start ||
                event.time_ms >= start + 90 * kMinuteMs)
              continue;
            const auto& data = std::get<protocol::CrmView>(event.data);
            if (seen.insert(data.record_id).second) firsts.push_back(event.time_ms);
          }
          std::sort(firsts.begin(), firsts.end());
          if (firsts.size() > 8) firsts.resize(8);
          if (firsts.empty()) return;
          int64_t last = 0;
          for (int64_t viewed : firsts) {
            last = viewed + draw_.between(4, 25) * kSecondMs;
            copy(a, last, session, protocol::PiiCounts{0, 0, 1, 0, 0}, 34);
          }
          record(scenario, a, firsts.front(), last,
                 std::to_string(firsts.size()) + " IBANs copied after viewing the records");
        });
        break;
      }
      case Scenario::kBulkBrowsing: {
        p.blocked.push_back({start, start + 75 * kMinuteMs});
        injections_.push_back([=, this] {
          int64_t t = start + kMinuteMs;
          int views = 0;
          for (; t < start + 71 * kMinuteMs; t += draw_.between(9, 18) * kSecondMs, ++views)
            view(a, t, session, drawRecord(brand), "customer");
          record(scenario, a, start + kMinuteMs, t,
                 std::to_string(views) + " records browsed in 70 minutes");
        });
        break;
      }
      case Scenario::kSensorKilled: {
        const int64_t killed = start;
        const int64_t back = start + 75 * kMinuteMs;
        injections_.push_back([=, this] {
          std::vector<Event>& events = agents_[a].events;
          std::erase_if(events, [&](const Event& event) {
            return event.time_ms > killed && event.time_ms < back;
          });
          add(a, killed, session, EventType::kAgentGap,
              protocol::AgentGap{protocol::GapReason::kSensorLost, {}, 0, 0});
          add(a, back, session, EventType::kSessionLogon, protocol::SessionChange{});
          record(scenario, a, killed, back, "session sensor killed for 75 minutes");
        });
        break;
      }
      case Scenario::kColleagueLookup: {
        std::vector<std::string> targets;
        for (const auto& [owner, record_id] : colleague_records_) {
          if (owner != a && agents_[owner].brand == brand) targets.push_back(record_id);
        }
        if (targets.empty()) return;
        const std::string target = targets[draw_.below(targets.size())];
        p.blocked.push_back({start, start + 5 * kMinuteMs});
        injections_.push_back([=, this] {
          view(a, start + kMinuteMs, session, target, "customer");
          view(a, start + 2 * kMinuteMs, session, target, "contract");
          record(scenario, a, start + kMinuteMs, start + 2 * kMinuteMs,
                 "a colleague's own record " + target);
        });
        break;
      }
    }
  }

  // --- output ---------------------------------------------------------------------------------

  void finish() {
    for (Agent& agent : agents_) {
      std::stable_sort(agent.events.begin(), agent.events.end(),
                       [](const Event& x, const Event& y) { return x.time_ms < y.time_ms; });
      uint64_t seq = 0;
      for (Event& event : agent.events) event.seq = ++seq;
      centre_.people.push_back(agent.person);
      centre_.events.insert(centre_.events.end(), std::make_move_iterator(agent.events.begin()),
                            std::make_move_iterator(agent.events.end()));
    }
    std::sort(centre_.events.begin(), centre_.events.end(), [](const Event& x, const Event& y) {
      return std::tie(x.time_ms, x.device, x.seq) < std::tie(y.time_ms, y.device, y.seq);
    });
    for (auto& [brand, calls] : centre_.calls) {
      std::sort(calls.begin(), calls.end(), [](const collector::Call& x, const collector::Call& y) {
        return x.start_ms < y.start_ms;
      });
    }
    std::sort(centre_.scenarios.begin(), centre_.scenarios.end(),
              [](const ScenarioInstance& x, const ScenarioInstance& y) {
                return std::tie(x.from_ms, x.login) < std::tie(y.from_ms, y.login);
              });
  }

  const SimOptions& options_;
  Draw draw_;
  Zipf zipf_{options_.records_per_brand, 1.0, 10.0};
  CallCentre centre_;
  int days_ = 0;
  std::vector<Agent> agents_;
  std::vector<DayPlan> plans_;
  std::set<std::string> reserved_;
  std::map<size_t, std::vector<std::string>> vips_;                // by brand
  std::vector<std::pair<size_t, std::string>> colleague_records_;  // (agent, record)
  std::set<size_t> insiders_;
  std::vector<std::function<void()>> injections_;
  uint64_t call_sequence_ = 0;
};

}  // namespace

std::string_view scenarioName(Scenario scenario) {
  switch (scenario) {
    case Scenario::kCelebritySnooping:
      return "celebrity_snooping";
    case Scenario::kMassExport:
      return "mass_export";
    case Scenario::kAfterHours:
      return "after_hours";
    case Scenario::kIbanCopy:
      return "iban_copy";
    case Scenario::kBulkBrowsing:
      return "bulk_browsing";
    case Scenario::kSensorKilled:
      return "sensor_killed";
    case Scenario::kColleagueLookup:
      return "colleague_lookup";
  }
  return "";
}

std::string_view expectedRule(Scenario scenario) {
  switch (scenario) {
    case Scenario::kCelebritySnooping:
    case Scenario::kColleagueLookup:
      return collector::kRuleWatchlist;
    case Scenario::kMassExport:
      return collector::kRuleMassExport;
    case Scenario::kAfterHours:
      return collector::kRuleOffShift;
    case Scenario::kIbanCopy:
      return collector::kRuleCopyAfterView;
    case Scenario::kBulkBrowsing:
      return collector::kRuleVolume;
    case Scenario::kSensorKilled:
      return collector::kRuleSensorSilent;
  }
  return "";
}

std::string CallCentre::brandOfDevice(std::string_view device) const {
  for (const SimPerson& person : people) {
    if (person.device == device) return person.brand;
  }
  return "";
}

collector::LocalTimeFn CallCentre::localTime() const {
  const int offset = options.utc_offset_minutes;
  return [offset](int64_t unix_ms) { return fixedOffsetLocalTime(unix_ms, offset); };
}

collector::LocalMinute fixedOffsetLocalTime(int64_t unix_ms, int utc_offset_minutes) {
  const int64_t local_minutes = floorDiv(unix_ms, kMinuteMs) + utc_offset_minutes;
  const int64_t days = floorDiv(local_minutes, 24 * 60);
  // 1970-01-01 was a Thursday (3 with Monday = 0).
  return {static_cast<int>(((days + 3) % 7 + 7) % 7),
          static_cast<int>(local_minutes - days * 24 * 60)};
}

CallCentre simulateCallCentre(const SimOptions& options) { return Simulator(options).run(); }

}  // namespace vigie::bench
