#pragma once

// What the session sensor records, read from a JSON policy file (docs/session-sensor.md): which
// applications are CRMs and how their window titles name screens and records, which other
// applications count as work tools, where exported files are watched, whose clipboard copies
// are recorded. Applications the policy does not name produce no window event at all. The same
// document tells the person what is recorded, why, for how long, whom to ask, and when calls may
// be recorded (the notice and recording periods of docs/fleet.md).

#include <cstdint>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "vigie/protocol/event.h"
#include "vigie/protocol/status.h"

namespace vigie::session {

// One screen of a CRM application: a title pattern whose first capture group is the record id.
struct ScreenRule {
  std::string screen;
  protocol::CrmMode mode = protocol::CrmMode::kView;
  std::regex title;
  bool keep_title = false;
};

struct ApplicationRule {
  std::string app;                  // name recorded in events
  std::string brand;                // client company; "" for a non-CRM work tool (app.focus only)
  std::regex process;               // matched against the process name and the window class
  std::optional<std::regex> title;  // when set, the window title must match as well
  std::vector<std::regex> source_urls;  // clipboard copies from these pages belong to the app
  std::vector<ScreenRule> screens;
  bool focus = false;       // record app.focus when no screen rule matches
  bool keep_title = false;  // app.focus carries the raw title
};

struct WatchedPlace {
  std::string path;  // absolute, ~ and $USER expanded
  protocol::PathClass path_class = protocol::PathClass::kOther;
  bool mount_points = false;
};

enum class ClipboardSources { kNamed, kAll, kNone };

// Who records, why, who reads it and whom to ask: the information given to the person.
struct NoticeText {
  std::string controller;
  std::string contact;
  std::vector<std::string> purposes;
  std::vector<std::string> recipients;
};

// Days of the week are bits of RecordingPeriod::days: bit 0 is Monday, bit 6 Sunday.
constexpr int kDaysPerWeek = 7;

// A weekly time span, in the workstation's local time, when calls may be recorded or listened to.
struct RecordingPeriod {
  uint8_t days = 0;
  int start_minute = 0;  // minutes since local midnight
  int end_minute = 0;    // after start_minute, at most 24:00
  std::string what;      // what happens to calls then, in the employer's words
  bool onDay(int weekday) const { return (days >> weekday & 1) != 0; }
};

// How long the collector keeps each class of events ("access", "exports", ...), in days.
struct Retention {
  std::string event_class;
  uint64_t days = 0;
};

struct SessionPolicy {
  std::string version;
  std::vector<ApplicationRule> applications;
  ClipboardSources clipboard = ClipboardSources::kNamed;
  bool print = false;  // record the person's print jobs
  std::vector<WatchedPlace> watched_places;
  std::optional<NoticeText> notice;
  std::vector<RecordingPeriod> recording_periods;
  // Set by the collector when it activates a policy; 0, "" and empty for a local file.
  uint64_t serial = 0;
  std::string activated;
  std::vector<Retention> retention_days;
};

// The version a notice shown under `policy` carries: "<serial>/<policy_version>".
std::string noticeVersion(const SessionPolicy& policy);

// A recording period's day as the policy spells it: "mon" for 0 ... "sun" for 6.
std::string_view dayName(int weekday);
// "09:05" for 545 minutes after midnight.
std::string clockText(int minute_of_day);

// Where "~" and "$USER" in watched paths point.
struct UserDirectories {
  std::string home;
  std::string user;
};

// Parses a policy document. Errors name the offending member ("applications[1].screens[0].title:
// invalid regular expression ..."); nothing is partially applied.
StatusOr<SessionPolicy> parseSessionPolicy(std::string_view json, const UserDirectories& user);
StatusOr<SessionPolicy> loadSessionPolicy(const std::string& path, const UserDirectories& user);

}  // namespace vigie::session
