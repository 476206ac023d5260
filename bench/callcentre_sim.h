#pragma once

// A synthetic call centre for testing the detection rules (docs/detection.md): teams of
// tele-advisors working day or late shifts, the calls the CTI hands them, the CRM views, copies,
// exports and print jobs of ordinary work — with the small irregularities the rules must
// tolerate — and, on top, labelled insider scenarios injected at known people and times.
// Deterministic: the same options give the same centre, on every machine (the site's local time
// is a fixed UTC offset, not the machine's time zone).

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "detect/shifts.h"
#include "detect/telephony.h"
#include "detect/watchlist.h"
#include "vigie/protocol/event.h"

namespace vigie::bench {

// The insider behaviours injected into the evaluation period.
enum class Scenario : uint8_t {
  kCelebritySnooping,  // views of a VIP's record (on the watch-list) without a call
  kMassExport,         // a very large CSV export, or many exports in an hour, before leaving
  kAfterHours,         // coming back in the evening and browsing records off shift
  kIbanCopy,           // copying IBANs right after viewing records
  kBulkBrowsing,       // an hour of browsing far above the person's usual volume
  kSensorKilled,       // the session sensor killed while calls go on
  kColleagueLookup,    // viewing a colleague's own customer record
};
inline constexpr Scenario kAllScenarios[] = {Scenario::kCelebritySnooping, Scenario::kMassExport,
                                             Scenario::kAfterHours,        Scenario::kIbanCopy,
                                             Scenario::kBulkBrowsing,      Scenario::kSensorKilled,
                                             Scenario::kColleagueLookup};

std::string_view scenarioName(Scenario scenario);  // "celebrity_snooping", ...
// The rule meant to catch it (detection_policy.h's names).
std::string_view expectedRule(Scenario scenario);

// One injected occurrence: who, and from when to when the behaviour lasted (inclusive).
struct ScenarioInstance {
  Scenario scenario = Scenario::kCelebritySnooping;
  std::string login;
  int64_t from_ms = 0;
  int64_t to_ms = 0;
  std::string detail;  // what was done, in words
};

struct SimOptions {
  uint64_t seed = 1;
  int teams = 4;  // at most kTeams.size(); team t serves brand t % kBrands.size()
  int agents_per_team = 12;
  int history_days = 14;  // before the evaluation period: the baselines
  int eval_days = 7;      // the period the scenarios are injected into (and alerts counted)
  std::string first_day = "2026-11-02";  // the first history day, YYYY-MM-DD (a Monday)
  int utc_offset_minutes = 60;           // the site's local time (CET)
  int64_t records_per_brand = 200'000;
  // Ordinary irregularities (noise): views of a record with no call about it, per agent and
  // working day, and the share of views that look at a second record during a call.
  double unexplained_views_per_day = 0.3;
  double side_record_share = 0.0;
  bool inject = true;  // false: a quiet centre, no scenario at all
  int instances_per_scenario = 2;
};

struct SimPerson {
  std::string login;
  std::string team;
  std::string brand;   // the client the person's team serves
  std::string device;  // their workstation's device id
  std::string hostname;
  collector::Shift shift;  // the schedule they work (their own or their team's)
};

struct CallCentre {
  SimOptions options;
  int64_t history_from_ms = 0;  // local midnight of the first history day
  int64_t eval_from_ms = 0;     // local midnight of the first evaluation day
  int64_t end_ms = 0;           // local midnight after the last evaluation day

  std::vector<SimPerson> people;
  std::map<std::string, std::string> teams;  // login -> team
  // Every event, in (time, device, seq) order; seq numbers each device's events from 1.
  std::vector<protocol::Event> events;
  std::map<std::string, std::vector<collector::Call>> calls;  // by brand
  std::vector<collector::Shift> shifts;  // as imported: "team:NAME" and personal ones
  std::vector<collector::WatchedRecord> watchlist;
  std::vector<ScenarioInstance> scenarios;  // the injected ones, by start time
  // In the evaluated days: the days worked, summed over people, and the ordinary views of a
  // record no call names (the noise above).
  size_t person_days = 0;
  size_t unexplained_views = 0;

  // The brand a device's events are stored under.
  std::string brandOfDevice(std::string_view device) const;
  // The site's local time (fixed offset), for the ShiftCalendar.
  collector::LocalTimeFn localTime() const;
};

// REQUIRES: options within range (teams 1..5, agents_per_team >= 4, first_day a valid date).
CallCentre simulateCallCentre(const SimOptions& options);

// Local weekday (0 = Monday) and minute of the day at a fixed offset from UTC.
collector::LocalMinute fixedOffsetLocalTime(int64_t unix_ms, int utc_offset_minutes);

}  // namespace vigie::bench
