#pragma once

// What the session sensor records, read from a JSON policy file (docs/session-sensor.md): which
// applications are CRMs and how their window titles name screens and records, which other
// applications count as work tools, where exported files are watched, whose clipboard copies
// are recorded. Applications the policy does not name produce no window event at all.

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

struct SessionPolicy {
  std::string version;
  std::vector<ApplicationRule> applications;
  ClipboardSources clipboard = ClipboardSources::kNamed;
  bool print = false;  // record the person's print jobs
  std::vector<WatchedPlace> watched_places;
};

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
