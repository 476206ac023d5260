#pragma once

// The detection rules' thresholds (docs/detection.md gives each one's rationale). Read from the
// "rules" member of the collector's detection.json; every member is optional and a missing one
// keeps its default. Unknown members are refused, naming them: a misspelt threshold must not
// silently fall back to its default.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vigie/protocol/json.h"
#include "vigie/protocol/status.h"

namespace vigie::collector {

// Rule names, as alerts, policies and the API spell them.
inline constexpr std::string_view kRuleVolume = "volume";
inline constexpr std::string_view kRuleOffShift = "off_shift";
inline constexpr std::string_view kRuleCopyAfterView = "copy_after_view";
inline constexpr std::string_view kRuleMassExport = "mass_export";
inline constexpr std::string_view kRuleWatchlist = "watchlist";
inline constexpr std::string_view kRuleUnjustifiedAccess = "unjustified_access";
inline constexpr std::string_view kRuleSensorSilent = "sensor_silent";
inline constexpr std::string_view kRuleIntegrity = "integrity";
inline constexpr std::string_view kRuleWorkstationSilent = "workstation_silent";
inline constexpr std::string_view kAllRules[] = {
    kRuleVolume,       kRuleOffShift,  kRuleCopyAfterView,
    kRuleMassExport,   kRuleWatchlist, kRuleUnjustifiedAccess,
    kRuleSensorSilent, kRuleIntegrity, kRuleWorkstationSilent};
bool isRuleName(std::string_view name);

struct VolumePolicy {
  bool enabled = true;
  int64_t baseline_days = 14;       // history the baselines are drawn from
  int64_t min_baseline_hours = 8;   // active hours needed before a personal baseline counts
  int64_t own_factor = 3;           // x the person's own mean views per active hour
  int64_t peer_factor = 3;          // x the team's mean
  int64_t min_views_per_hour = 60;  // never below this, whatever the baselines
};

struct OffShiftPolicy {
  bool enabled = true;
  int64_t grace_minutes = 30;  // before the start and after the end of a shift
};

struct CopyAfterViewPolicy {
  bool enabled = true;
  int64_t window_seconds = 60;
  int64_t min_pii = 1;  // items of the counted classes in one copy
  // The classes counted. Bank and identity numbers by default: a customer's e-mail or phone
  // number copied after viewing their record is ordinary work.
  bool email = false;
  bool phone_fr = false;
  bool iban = true;
  bool payment_card = true;
  bool nir = true;
};

struct MassExportPolicy {
  bool enabled = true;
  int64_t max_rows = 500;        // one file
  int64_t max_bytes = 10 << 20;  // one file
  int64_t max_pages = 50;        // one file or print job (pages x copies)
  int64_t max_per_hour = 20;     // exports and print jobs by one person in an hour
};

struct WatchlistPolicy {
  bool enabled = true;
};

struct UnjustifiedAccessPolicy {
  bool enabled = true;
  int64_t before_minutes = 10;     // a call, ticket or callback this long before the access...
  int64_t after_minutes = 10;      // ...or this long after it justifies it
  int64_t feed_delay_minutes = 5;  // how late the telephony feed may deliver (real time only)
  int64_t known_agent_days = 30;   // the rule applies to people with a call in this period
  int64_t min_records = 3;  // distinct records with no call, per person and day, before an alert
};

struct SensorSilentPolicy {
  bool enabled = true;
  int64_t silence_minutes = 30;  // calls handled while the sensor says nothing
};

struct IntegrityPolicy {
  bool enabled = true;
};

// A workstation that stops sending heartbeats during working hours (the collector's TZ).
struct WorkstationSilentPolicy {
  bool enabled = true;
  int64_t after_minutes = 10;    // no heartbeat for this long (and silent in the fleet view)
  std::string days = "mon-fri";  // as shifts spell them
  std::string start = "08:00";
  std::string end = "20:00";  // "24:00" for the whole day
};

struct DetectionPolicy {
  VolumePolicy volume;
  OffShiftPolicy off_shift;
  CopyAfterViewPolicy copy_after_view;
  MassExportPolicy mass_export;
  WatchlistPolicy watchlist;
  UnjustifiedAccessPolicy unjustified_access;
  SensorSilentPolicy sensor_silent;
  IntegrityPolicy integrity;
  WorkstationSilentPolicy workstation_silent;

  bool enabled(std::string_view rule) const;
};

// The "rules" object of detection.json. kInvalidArgument names the member at fault.
StatusOr<DetectionPolicy> parseDetectionPolicy(const protocol::json::Value& rules);
// The policy as JSON (GET /v1/detection/policy).
std::string detectionPolicyJson(const DetectionPolicy& policy);

}  // namespace vigie::collector
