#pragma once

// Alerts raised by the detection rules (docs/detection.md): why each fired (the events behind
// it), how serious it is, and its life cycle — open, acknowledged, closed as a true or a false
// positive with a comment. Kept in the audit tables; the API pseudonymises the person.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_db.h"
#include "vigie/platform/clock.h"

namespace vigie::collector {

enum class Severity : uint8_t { kLow, kMedium, kHigh };
std::string_view severityName(Severity severity);
std::optional<Severity> severityFromName(std::string_view name);

enum class AlertStatus : uint8_t { kOpen, kAcknowledged, kClosed };
std::string_view alertStatusName(AlertStatus status);
std::optional<AlertStatus> alertStatusFromName(std::string_view name);

// One event (or call) an alert rests on.
struct Evidence {
  std::string device;  // device id; "" for a call
  uint64_t seq = 0;    // the event's sequence number on that device
  int64_t time_ms = 0;
  std::string type;       // event type ("crm.view", ...), "call" or "incident.gap" / ...
  std::string record_id;  // the customer record, when there is one
  bool operator==(const Evidence&) const = default;
};

inline constexpr size_t kMaxEvidencePerAlert = 100;

// What a rule says when it fires. Alerts with the same `key` are one alert: raising it again adds
// the new evidence (a real-time alert and a later retrospective run over the same hour meet).
struct AlertDraft {
  std::string key;   // rule + person/device + period, e.g. "volume:alice:2026-11-28T10"
  std::string rule;  // the rule's name (detection_policy.h)
  Severity severity = Severity::kMedium;
  std::string user;     // login; "" for a device-level alert (integrity)
  std::string device;   // device id when one is concerned
  std::string brand;    // client brand of the data concerned ("" when none)
  int64_t time_ms = 0;  // when the behaviour happened (its first evidence)
  std::string summary;  // why, in words; never the person's login (pseudonymised on output)
  std::vector<Evidence> evidence;
  std::string origin = "realtime";  // or "run:<id>" for a retrospective run
};

struct Alert {
  int64_t id = 0;
  AlertDraft draft;
  uint64_t evidence_count = 0;  // evidence items found, even beyond those kept
  int64_t raised_ms = 0;
  AlertStatus status = AlertStatus::kOpen;
  std::optional<bool> true_positive;  // set when closed
  std::string comment;
  std::string updated_by;
  int64_t updated_ms = 0;
};

struct AlertFilter {
  std::optional<AlertStatus> status;
  std::optional<std::string> rule;
  std::optional<std::string> user;   // login
  std::optional<std::string> brand;  // exact brand (a brand-bound caller is given its own)
  int64_t from_ms = INT64_MIN;       // on the alert's time
  int64_t to_ms = INT64_MAX;
  int64_t before_id = INT64_MAX;  // paging: newest first, ids below this one
  size_t limit = 100;
};

struct RaiseResult {
  int64_t id = 0;
  bool created = false;  // false: evidence added to an existing alert
};

class AlertStore {
 public:
  AlertStore(AuditDb& db, platform::Clock& clock) : db_(db), clock_(clock) {}

  // Creates the alert, or adds the new evidence (by device and seq) to the one with its key.
  StatusOr<RaiseResult> raise(const AlertDraft& draft);

  StatusOr<std::vector<Alert>> list(const AlertFilter& filter);
  // kNotFound for an unknown id.
  StatusOr<Alert> get(int64_t id);
  // The alerts after `id` in id order (what an output has not delivered yet).
  StatusOr<std::vector<Alert>> after(int64_t id, size_t limit);

  // Life cycle. kFailedPrecondition when the alert is closed already; kNotFound for an unknown
  // id; a closing comment is required.
  Status acknowledge(int64_t id, std::string_view by, std::string_view comment);
  Status close(int64_t id, std::string_view by, bool true_positive, std::string_view comment);

  // Where each output stands: the last alert id it delivered (0: none).
  StatusOr<int64_t> deliveredThrough(std::string_view output);
  // Moves the cursor to `id` unless it is already there or further.
  Status setDeliveredThrough(std::string_view output, int64_t id);

 private:
  AuditDb& db_;
  platform::Clock& clock_;
};

}  // namespace vigie::collector
