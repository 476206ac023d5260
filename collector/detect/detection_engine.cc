#include "detect/detection_engine.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <map>
#include <set>

#include "vigie/protocol/utc_time.h"

namespace vigie::collector {
namespace {

using protocol::Event;
using protocol::EventType;

constexpr int64_t kHourMs = 3600 * 1000;
constexpr int64_t kMinuteMs = 60 * 1000;
// How often teams are read again (wall-clock time: a run goes through months in minutes).
constexpr auto kTeamsRefresh = std::chrono::minutes(5);
// How long "this person takes no calls" is believed, in the events' time: an hour in real time
// (the feed may be late), a day after the fact (the feed is complete).
constexpr int64_t kUnknownAgentRecheckMs = kHourMs;
constexpr int64_t kUnknownAgentRecheckAfterTheFactMs = 24 * kHourMs;

std::string hourKey(int64_t time_ms) {
  return protocol::formatUtcMillis(time_ms - time_ms % kHourMs).substr(0, 13);  // 2026-11-28T10
}
std::string dayKey(int64_t time_ms) { return protocol::formatUtcMillis(time_ms).substr(0, 10); }

Evidence evidenceOf(const Event& event) {
  Evidence item{event.device, event.seq, event.time_ms, std::string(protocol::typeName(event.type)),
                ""};
  if (const auto* view = std::get_if<protocol::CrmView>(&event.data))
    item.record_id = view->record_id;
  return item;
}

// An alert about `event`: its person, device and time, the event as evidence. Rules override
// what differs (an earlier start, more evidence).
AlertDraft draftAbout(const Event& event, std::string_view rule, Severity severity, std::string key,
                      std::string_view brand) {
  AlertDraft draft;
  draft.key = std::move(key);
  draft.rule = std::string(rule);
  draft.severity = severity;
  draft.user = event.user;
  draft.device = event.device;
  draft.brand = std::string(brand);
  draft.time_ms = event.time_ms;
  draft.evidence = {evidenceOf(event)};
  return draft;
}

bool isActivity(EventType type) {
  return type == EventType::kCrmView || type == EventType::kClipboardCopy ||
         type == EventType::kFileExport || type == EventType::kPrintJob;
}

// The personal-data items of the classes the policy counts.
uint64_t countedPii(const protocol::PiiCounts& pii, const CopyAfterViewPolicy& policy) {
  return (policy.email ? pii.email : 0) + (policy.phone_fr ? pii.phone_fr : 0) +
         (policy.iban ? pii.iban : 0) + (policy.payment_card ? pii.payment_card : 0) +
         (policy.nir ? pii.nir : 0);
}

std::string piiDescription(const protocol::PiiCounts& pii) {
  std::string out;
  auto add = [&](uint64_t count, const char* name) {
    if (count == 0) return;
    if (!out.empty()) out += ", ";
    out += std::to_string(count) + " " + name;
  };
  add(pii.iban, "IBAN");
  add(pii.payment_card, "card number");
  add(pii.nir, "social security number");
  add(pii.email, "e-mail");
  add(pii.phone_fr, "phone number");
  return out;
}

// A record access waiting for its call window to close.
struct PendingView {
  Evidence evidence;
  std::string brand;
  bool vip = false;
};

struct Person {
  std::string device;  // the last one seen
  // volume
  std::map<int64_t, uint64_t> views_per_hour;
  int64_t alerted_hour = -1;
  std::vector<Evidence> hour_views;  // this hour's, capped
  // copy after view
  std::optional<Evidence> last_view;
  // mass export: this hour's exports and print jobs
  std::deque<Evidence> recent_exports;
  // unjustified access, VIP records
  std::deque<PendingView> pending;
  int64_t known_agent_until = INT64_MIN;      // a call seen recently enough: the rule applies
  std::optional<int64_t> unknown_checked_ms;  // when the calls last said "no call"
  // This UTC day's accesses no call justified, and their distinct records.
  int64_t unjustified_day = -1;
  std::vector<Evidence> unjustified;
  std::set<std::string, std::less<>> unjustified_records;
  // sensor silence
  bool session_active = false;
  int64_t last_sensor_ms = 0;
  int64_t silence_checked_ms = 0;
};

}  // namespace

struct DetectionEngine::State {
  DetectionPolicy policy;
  DetectionInputs inputs;
  EngineOptions options;
  std::set<std::string, std::less<>> rules;

  mutable std::mutex mutex;
  std::map<std::string, Person, std::less<>> people;
  std::map<std::string, std::string, std::less<>> teams;
  std::optional<std::chrono::steady_clock::time_point> teams_loaded;

  std::atomic<uint64_t> events{0};
  std::atomic<uint64_t> raised{0};
  std::atomic<uint64_t> updated{0};
  std::atomic<uint64_t> errors{0};

  State(const DetectionPolicy& p, DetectionInputs i, EngineOptions o)
      : policy(p), inputs(i), options(std::move(o)) {
    for (std::string_view rule : kAllRules) {
      const bool listed =
          std::find(options.rules.begin(), options.rules.end(), rule) != options.rules.end();
      if (options.rules.empty() ? policy.enabled(rule) : listed) rules.emplace(rule);
    }
  }

  bool runs(std::string_view rule) const { return rules.contains(rule); }

  std::string teamOf(std::string_view login) const {
    auto found = teams.find(login);
    return found == teams.end() ? "" : found->second;
  }

  void refreshTeams() {
    const auto now = std::chrono::steady_clock::now();
    if (teams_loaded && now - *teams_loaded < kTeamsRefresh) return;
    teams_loaded = now;
    auto loaded = inputs.directory.teams();
    if (loaded.isOk()) {
      teams = std::move(loaded).value();
    } else {
      fail("cannot read teams", loaded.status());
    }
  }

  void fail(const std::string& what, const Status& status) {
    ++errors;
    Poco::Logger::get("vigie-collector").error("detection: %s: %s", what, status.toString());
  }

  void raise(std::vector<AlertDraft>& drafts) {
    for (AlertDraft& draft : drafts) {
      if (draft.time_ms < options.raise_from_ms) continue;
      draft.origin = options.origin;
      auto raised_alert = inputs.alerts.raise(draft);
      if (!raised_alert.isOk()) {
        fail("alert " + draft.key + " not stored", raised_alert.status());
      } else if (raised_alert->created) {
        ++raised;
      } else {
        ++updated;
      }
    }
    drafts.clear();
  }

  // ---- rules on each event (under `mutex`; they only append drafts) ----

  void volume(Person& person, const Event& event, std::string_view brand,
              std::vector<AlertDraft>& out) {
    const VolumePolicy& p = policy.volume;
    const int64_t hour = event.time_ms / kHourMs;
    auto& hours = person.views_per_hour;
    const uint64_t count = ++hours[hour];
    while (!hours.empty() && hours.begin()->first < hour - p.baseline_days * 24) {
      hours.erase(hours.begin());
    }
    if (person.hour_views.empty() || person.hour_views.back().time_ms / kHourMs != hour) {
      person.hour_views.clear();
    }
    if (person.hour_views.size() < kMaxEvidencePerAlert)
      person.hour_views.push_back(evidenceOf(event));
    if (count < static_cast<uint64_t>(p.min_views_per_hour) || person.alerted_hour == hour) return;

    const std::optional<double> own = baseline(person, hour);
    std::optional<double> peers;
    const std::string team = teamOf(event.user);
    if (!team.empty()) {
      double sum = 0;
      int members = 0;
      for (auto& [login, other] : people) {
        if (login == event.user || teamOf(login) != team) continue;
        if (auto rate = baseline(other, hour)) {
          sum += *rate;
          ++members;
        }
      }
      if (members > 0) peers = sum / members;
    }
    double threshold = static_cast<double>(p.min_views_per_hour);
    if (own) threshold = std::max(threshold, *own * static_cast<double>(p.own_factor));
    if (peers) threshold = std::max(threshold, *peers * static_cast<double>(p.peer_factor));
    if (static_cast<double>(count) < threshold) return;
    person.alerted_hour = hour;

    auto rate = [](const std::optional<double>& value) {
      return value ? std::to_string(static_cast<int64_t>(*value + 0.5)) + "/h" : "unknown";
    };
    AlertDraft draft = draftAbout(
        event, kRuleVolume,
        static_cast<double>(count) >= 2 * threshold ? Severity::kHigh : Severity::kMedium,
        "volume:" + event.user + ":" + hourKey(event.time_ms), brand);
    draft.time_ms = person.hour_views.front().time_ms;
    draft.summary = std::to_string(count) + " record views within the hour; own baseline " +
                    rate(own) + ", team baseline " + rate(peers);
    draft.evidence = person.hour_views;
    out.push_back(std::move(draft));
  }

  // Mean views per active hour over the baseline period before `hour`, when there is enough.
  std::optional<double> baseline(const Person& person, int64_t hour) const {
    uint64_t views = 0;
    int64_t active = 0;
    for (const auto& [h, count] : person.views_per_hour) {
      if (h >= hour) break;
      if (h < hour - policy.volume.baseline_days * 24) continue;
      views += count;
      ++active;
    }
    if (active < policy.volume.min_baseline_hours) return std::nullopt;
    return static_cast<double>(views) / static_cast<double>(active);
  }

  void offShift(const Event& event, std::string_view brand, std::vector<AlertDraft>& out) {
    const std::string team = teamOf(event.user);
    const auto on =
        inputs.shifts.onShift(event.user, team, event.time_ms, policy.off_shift.grace_minutes);
    if (!on || *on) return;
    AlertDraft draft = draftAbout(event, kRuleOffShift, Severity::kMedium,
                                  "off_shift:" + event.user + ":" + dayKey(event.time_ms), brand);
    draft.summary = "activity outside working hours (" +
                    inputs.shifts.scheduleOf(event.user, team) + ", " +
                    std::to_string(policy.off_shift.grace_minutes) + " min grace)";
    out.push_back(std::move(draft));
  }

  void copyAfterView(Person& person, const Event& event, std::string_view brand,
                     std::vector<AlertDraft>& out) {
    const auto& copy = std::get<protocol::ClipboardCopy>(event.data);
    const uint64_t pii = countedPii(copy.pii, policy.copy_after_view);
    if (pii < static_cast<uint64_t>(policy.copy_after_view.min_pii) || !person.last_view) return;
    const int64_t since = event.time_ms - person.last_view->time_ms;
    if (since < 0 || since > policy.copy_after_view.window_seconds * 1000) return;
    const bool banking = copy.pii.iban + copy.pii.payment_card + copy.pii.nir > 0;
    AlertDraft draft =
        draftAbout(event, kRuleCopyAfterView, banking ? Severity::kHigh : Severity::kMedium,
                   "copy_after_view:" + event.user + ":" + hourKey(event.time_ms), brand);
    draft.time_ms = person.last_view->time_ms;
    draft.summary = "copy carrying " + piiDescription(copy.pii) + " " +
                    std::to_string(since / 1000) + " s after viewing record " +
                    person.last_view->record_id;
    draft.evidence = {*person.last_view, evidenceOf(event)};
    out.push_back(std::move(draft));
  }

  void massExport(Person& person, const Event& event, std::string_view brand,
                  std::vector<AlertDraft>& out) {
    const MassExportPolicy& p = policy.mass_export;
    std::string why;
    bool removable = false;
    if (const auto* file = std::get_if<protocol::FileExport>(&event.data)) {
      removable = file->path_class == protocol::PathClass::kRemovable ||
                  file->path_class == protocol::PathClass::kNetworkShare;
      if (file->rows && *file->rows >= static_cast<uint64_t>(p.max_rows)) {
        why = std::to_string(*file->rows) + " rows exported in one file";
      } else if (file->size_bytes >= static_cast<uint64_t>(p.max_bytes)) {
        why = std::to_string(file->size_bytes >> 20) + " MiB exported in one file";
      } else if (file->pages && *file->pages >= static_cast<uint64_t>(p.max_pages)) {
        why = std::to_string(*file->pages) + " pages exported in one file";
      }
    } else if (const auto* job = std::get_if<protocol::PrintJob>(&event.data)) {
      const uint64_t pages = job->pages * std::max<uint64_t>(job->copies, 1);
      if (pages >= static_cast<uint64_t>(p.max_pages)) {
        why = std::to_string(pages) + " pages printed in one job";
      }
    }
    auto& recent = person.recent_exports;
    recent.push_back(evidenceOf(event));
    while (recent.front().time_ms <= event.time_ms - kHourMs) recent.pop_front();
    if (recent.size() > kMaxEvidencePerAlert) recent.pop_front();
    if (why.empty() && recent.size() >= static_cast<size_t>(p.max_per_hour)) {
      why = std::to_string(recent.size()) + " exports and print jobs within the hour";
    }
    if (why.empty()) return;
    AlertDraft draft =
        draftAbout(event, kRuleMassExport, removable ? Severity::kHigh : Severity::kMedium,
                   "mass_export:" + event.user + ":" + hourKey(event.time_ms), brand);
    draft.summary = why + (removable ? ", to removable media or a network share" : "");
    draft.evidence = {recent.begin(), recent.end()};
    out.push_back(std::move(draft));
  }

  // A colleague's record raises at once; a VIP's waits for its call window.
  bool watchlist(const Event& event, const protocol::CrmView& view, std::vector<AlertDraft>& out) {
    auto watched = inputs.watchlist.find(view.brand, view.record_id);
    if (!watched) return false;
    if (watched->kind == "vip") return true;
    const bool own = watched->login == event.user;
    AlertDraft draft = draftAbout(event, kRuleWatchlist, own ? Severity::kHigh : Severity::kMedium,
                                  "watchlist:" + event.user + ":" + view.brand + ":" +
                                      view.record_id + ":" + dayKey(event.time_ms),
                                  view.brand);
    draft.summary = (own ? "the person's own customer record " : "a colleague's customer record ") +
                    view.record_id + " was viewed";
    out.push_back(std::move(draft));
    return false;
  }

  void sensorLost(const Event& event, std::string_view brand, std::vector<AlertDraft>& out) {
    AlertDraft draft =
        draftAbout(event, kRuleSensorSilent, Severity::kHigh,
                   "sensor_silent:" + event.device + ":" + std::to_string(event.seq), brand);
    draft.summary = "the session sensor stopped while the session was open (sensor_lost)";
    out.push_back(std::move(draft));
  }

  void agentIntegrity(const Event& event, std::string_view brand, std::vector<AlertDraft>& out) {
    const auto& report = std::get<protocol::AgentIntegrity>(event.data);
    AlertDraft draft =
        draftAbout(event, kRuleIntegrity, Severity::kHigh,
                   "integrity:" + event.device + ":" + std::to_string(event.seq), brand);
    draft.user.clear();  // about the device's records, not about a person
    draft.summary =
        "the agent reported " +
        std::string(protocol::enumNames(report.incident)[static_cast<size_t>(report.incident)]) +
        ": " + report.detail;
    out.push_back(std::move(draft));
  }

  void observe(const Event& event, std::string_view brand, std::vector<AlertDraft>& out) {
    Person& person = people[event.user];
    person.device = event.device;
    if (protocol::isSensorType(event.type)) person.last_sensor_ms = event.time_ms;
    switch (event.type) {
      case EventType::kSessionLogon:
      case EventType::kSessionUnlock:
        person.session_active = true;
        break;
      case EventType::kSessionLogoff:
      case EventType::kSessionLock:
        person.session_active = false;
        break;
      default:
        break;
    }
    if (isActivity(event.type) && runs(kRuleOffShift)) offShift(event, brand, out);
    if (const auto* view = std::get_if<protocol::CrmView>(&event.data)) {
      if (runs(kRuleVolume)) volume(person, event, brand, out);
      person.last_view = evidenceOf(event);
      if (view->record_id.empty()) return;
      const bool vip = runs(kRuleWatchlist) && watchlist(event, *view, out);
      if (vip || runs(kRuleUnjustifiedAccess)) {
        person.pending.push_back({evidenceOf(event), view->brand, vip});
      }
      return;
    }
    switch (event.type) {
      case EventType::kClipboardCopy:
        if (runs(kRuleCopyAfterView)) copyAfterView(person, event, brand, out);
        break;
      case EventType::kFileExport:
      case EventType::kPrintJob:
        if (runs(kRuleMassExport)) massExport(person, event, brand, out);
        break;
      case EventType::kAgentGap:
        if (runs(kRuleSensorSilent) &&
            std::get<protocol::AgentGap>(event.data).reason == protocol::GapReason::kSensorLost) {
          person.session_active = false;
          sensorLost(event, brand, out);
        }
        break;
      case EventType::kAgentIntegrity:
        if (runs(kRuleIntegrity)) agentIntegrity(event, brand, out);
        break;
      default:
        break;
    }
  }

  // ---- rules decided as time passes (the store is read outside `mutex`) ----

  struct DueView {
    std::string login;
    PendingView view;
    bool check_known_agent = false;
  };
  struct Silence {
    std::string login;
    std::string device;
    int64_t since_ms = 0;
  };

  // Takes what is due at `now` out of the people's state.
  void collectDue(int64_t now, std::vector<DueView>& due, std::vector<Silence>& silences) {
    const auto& u = policy.unjustified_access;
    const int64_t wait_ms =
        (u.after_minutes + (options.realtime ? u.feed_delay_minutes : 0)) * kMinuteMs;
    const int64_t silence_ms = policy.sensor_silent.silence_minutes * kMinuteMs;
    for (auto& [login, person] : people) {
      while (!person.pending.empty() && person.pending.front().evidence.time_ms + wait_ms <= now) {
        due.push_back({login, std::move(person.pending.front()), false});
        person.pending.pop_front();
      }
      if (runs(kRuleSensorSilent) && person.session_active && person.last_sensor_ms > 0 &&
          now - person.last_sensor_ms >= silence_ms &&
          now - person.silence_checked_ms >= silence_ms) {
        person.silence_checked_ms = now;
        silences.push_back({login, person.device, person.last_sensor_ms});
      }
    }
  }

  // Whether the unjustified-access rule applies to `login` at `time_ms`: the person takes calls.
  bool takesCalls(const std::string& login, int64_t time_ms) {
    Person* person = nullptr;
    {
      std::lock_guard lock(mutex);
      person = &people[login];
      if (time_ms <= person->known_agent_until) return true;
      if (person->unknown_checked_ms &&
          time_ms - *person->unknown_checked_ms <
              (options.realtime ? kUnknownAgentRecheckMs : kUnknownAgentRecheckAfterTheFactMs)) {
        return false;
      }
    }
    auto last_call = inputs.calls.lastCallBefore(login, time_ms + kHourMs);
    std::lock_guard lock(mutex);
    if (!last_call.isOk()) {
      fail("cannot read calls", last_call.status());
      return false;
    }
    const int64_t period = policy.unjustified_access.known_agent_days * 24 * kHourMs;
    if (*last_call > 0 && *last_call + period >= time_ms) {
      person->known_agent_until = *last_call + period;
      return true;
    }
    person->unknown_checked_ms = time_ms;
    return false;
  }

  void decide(const DueView& due, std::vector<AlertDraft>& out) {
    const auto& u = policy.unjustified_access;
    const Evidence& access = due.view.evidence;
    const bool rule_applies = runs(kRuleUnjustifiedAccess) && takesCalls(due.login, access.time_ms);
    if (!due.view.vip && !rule_applies) return;
    auto justified = inputs.calls.justifies(due.login, access.record_id,
                                            access.time_ms - u.before_minutes * kMinuteMs,
                                            access.time_ms + u.after_minutes * kMinuteMs);
    if (!justified.isOk()) {
      fail("cannot read calls", justified.status());
      return;
    }
    if (*justified) return;
    AlertDraft draft;
    draft.user = due.login;
    draft.device = access.device;
    draft.brand = due.view.brand;
    draft.time_ms = access.time_ms;
    draft.evidence = {access};
    const std::string window = std::to_string(u.before_minutes) + " min before to " +
                               std::to_string(u.after_minutes) + " min after";
    if (!due.view.vip) {
      // One record opened by mistake is ordinary; several in a day are a pattern.
      std::lock_guard lock(mutex);
      Person& person = people[due.login];
      const int64_t day = access.time_ms / (24 * kHourMs);
      if (person.unjustified_day != day) {
        person.unjustified_day = day;
        person.unjustified.clear();
        person.unjustified_records.clear();
      }
      if (person.unjustified.size() < kMaxEvidencePerAlert) person.unjustified.push_back(access);
      person.unjustified_records.insert(access.record_id);
      if (person.unjustified_records.size() < static_cast<size_t>(u.min_records)) return;
      draft.evidence = person.unjustified;
      draft.time_ms = person.unjustified.front().time_ms;
    }
    if (due.view.vip) {
      draft.key = "watchlist:" + due.login + ":" + due.view.brand + ":" + access.record_id + ":" +
                  dayKey(access.time_ms);
      draft.rule = kRuleWatchlist;
      draft.severity = Severity::kHigh;
      draft.summary = "watch-listed (VIP) record " + access.record_id +
                      " viewed with no call about it from " + window;
    } else {
      draft.key = "unjustified_access:" + due.login + ":" + dayKey(access.time_ms);
      draft.rule = kRuleUnjustifiedAccess;
      draft.severity = Severity::kMedium;
      draft.summary = std::to_string(u.min_records) +
                      " or more customer records viewed in the day with no call, ticket or "
                      "callback about them from " +
                      window;
    }
    out.push_back(std::move(draft));
  }

  void checkSilence(const Silence& silence, int64_t now, std::vector<AlertDraft>& out) {
    // Calls that started after the sensor's last event: one already under way when it went
    // quiet may simply be a long call on one screen.
    auto calls = inputs.calls.callsStarted(silence.login, silence.since_ms + 1, now, 20);
    if (!calls.isOk()) {
      fail("cannot read calls", calls.status());
      return;
    }
    if (calls->empty()) return;
    AlertDraft draft;
    draft.key = "sensor_silent:" + silence.login + ":" + hourKey(silence.since_ms);
    draft.rule = kRuleSensorSilent;
    draft.severity = Severity::kHigh;
    draft.user = silence.login;
    draft.device = silence.device;
    draft.time_ms = silence.since_ms;
    draft.summary = std::to_string(calls->size()) +
                    " calls handled while the session sensor said nothing for " +
                    std::to_string((now - silence.since_ms) / kMinuteMs) + " min";
    for (const Call& call : *calls) {
      draft.evidence.push_back({"", 0, call.start_ms, "call", call.record_id});
    }
    out.push_back(std::move(draft));
  }
};

std::span<const EventType> detectionEventTypes() {
  // Every sensor type (any of them shows the sensor alive), and the agent's gaps and integrity
  // reports.
  static constexpr EventType kTypes[] = {
      EventType::kCrmView,       EventType::kAppFocus,           EventType::kClipboardCopy,
      EventType::kFileExport,    EventType::kPrintJob,           EventType::kSessionLogon,
      EventType::kSessionLogoff, EventType::kSessionLock,        EventType::kSessionUnlock,
      EventType::kNoticeShown,   EventType::kNoticeAcknowledged, EventType::kAgentGap,
      EventType::kAgentIntegrity};
  return kTypes;
}

DetectionEngine::DetectionEngine(const DetectionPolicy& policy, DetectionInputs inputs,
                                 EngineOptions options)
    : state_(std::make_unique<State>(policy, inputs, std::move(options))) {}

DetectionEngine::~DetectionEngine() = default;

void DetectionEngine::warm(const std::vector<HourlyCount>& views_per_hour) {
  std::lock_guard lock(state_->mutex);
  for (const HourlyCount& count : views_per_hour) {
    state_->people[count.user].views_per_hour[count.hour] += count.count;
  }
}

void DetectionEngine::observe(const protocol::Event& event, std::string_view brand) {
  std::vector<AlertDraft> drafts;
  {
    std::lock_guard lock(state_->mutex);
    ++state_->events;
    state_->refreshTeams();
    state_->observe(event, brand, drafts);
  }
  if (!drafts.empty()) state_->raise(drafts);
}

void DetectionEngine::observeIncident(const Incident& incident, std::string_view brand) {
  if (!state_->runs(kRuleIntegrity) || incident.explained) return;
  AlertDraft draft;
  draft.key =
      "integrity:" + incident.device_id + ":" + std::to_string(incident.seq) + ":" + incident.kind;
  draft.rule = kRuleIntegrity;
  draft.severity = incident.kind == "gap" ? Severity::kMedium : Severity::kHigh;
  draft.device = incident.device_id;
  draft.brand = std::string(brand);
  draft.time_ms = incident.detected_ms;
  draft.summary = "chain " + incident.kind + ": " + incident.detail;
  draft.evidence = {
      {incident.device_id, incident.seq, incident.detected_ms, "incident." + incident.kind, ""}};
  std::vector<AlertDraft> drafts = {std::move(draft)};
  state_->raise(drafts);
}

void DetectionEngine::advanceTo(int64_t now_ms) {
  std::vector<State::DueView> due;
  std::vector<State::Silence> silences;
  {
    std::lock_guard lock(state_->mutex);
    state_->refreshTeams();
    state_->collectDue(now_ms, due, silences);
  }
  std::vector<AlertDraft> drafts;
  for (const auto& view : due) state_->decide(view, drafts);
  for (const auto& silence : silences) state_->checkSilence(silence, now_ms, drafts);
  if (!drafts.empty()) state_->raise(drafts);
}

bool DetectionEngine::runs(std::string_view rule) const { return state_->runs(rule); }

EngineStats DetectionEngine::stats() const {
  return {state_->events.load(), state_->raised.load(), state_->updated.load(),
          state_->errors.load()};
}

}  // namespace vigie::collector
