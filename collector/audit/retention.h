#pragma once

// How long each class of record is kept, the legal holds that suspend deletion, and the purge
// that enforces both. Defaults follow the CNIL's guidance for traceability logs: 6 months, up to
// 12 by configuration, longer only with a written justification.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_db.h"
#include "vigie/platform/clock.h"

namespace vigie::collector {

inline constexpr int64_t kDefaultRetentionDays = 183;
inline constexpr int64_t kMaxRetentionWithoutJustification = 365;
inline constexpr int64_t kMaxRetentionDays = 1825;

struct RetentionClass {
  std::string name;  // access, exports, crm, sessions, agent
  int64_t days = kDefaultRetentionDays;
  std::string justification;
  std::string set_by;
  int64_t set_ms = 0;
};

struct LegalHold {
  int64_t id = 0;
  std::string case_name;
  std::string reason;
  std::optional<std::string> brand;
  std::optional<std::string> user;  // login
  std::optional<std::string> record_id;
  int64_t from_ms = 0;
  int64_t to_ms = INT64_MAX;
  std::string created_by;
  int64_t created_ms = 0;
  std::optional<int64_t> released_ms;
};

struct PurgeReport {
  std::vector<std::pair<std::string, int64_t>> purged;  // per class
  int64_t held = 0;                                     // past retention but kept for a legal hold
  std::vector<std::string> dropped;                     // whole spans of events dropped at once
};

// Drops at once the events received before a time (PostgreSQL: its monthly partitions received
// entirely before it); returns what it dropped.
using EventSpanDropper = std::function<StatusOr<std::vector<std::string>>(int64_t before_ms)>;

// The SQL condition "row of `table` is covered by an active hold" (events, crm_records, calls,
// alerts).
std::string heldCondition(std::string_view table);

class Retention {
 public:
  Retention(AuditDb& db, platform::Clock& clock) : db_(db), clock_(clock) {}

  static bool isClass(std::string_view name);
  StatusOr<std::vector<RetentionClass>> classes();
  // kInvalidArgument below 183 days, above 1825, or above 365 without a 20-1000 character
  // justification; kNotFound for an unknown class.
  Status set(std::string_view name, int64_t days, std::string_view justification,
             std::string_view by);

  // `brand` scopes the list (nullopt: every hold).
  StatusOr<std::vector<LegalHold>> holds(const std::optional<std::string>& brand);
  StatusOr<int64_t> addHold(const LegalHold& hold);
  // kNotFound for an unknown or already released hold; kPermissionDenied when `brand` is set and
  // the hold is not of that brand.
  Status releaseHold(int64_t id, const std::optional<std::string>& brand);

  // Deletes what is past its retention and not held, in chunks so ingest goes on meanwhile.
  // With a dropper, events received before every event class's retention began go first, whole,
  // when no legal hold is in force.
  StatusOr<PurgeReport> purge();
  void setEventSpanDropper(EventSpanDropper dropper) { dropper_ = std::move(dropper); }

 private:
  // Drops through dropper_ what every event class is past, unless a hold is in force.
  Status dropWholeSpans(const std::vector<RetentionClass>& settings, int64_t now,
                        PurgeReport& report);

  AuditDb& db_;
  platform::Clock& clock_;
  EventSpanDropper dropper_;
};

}  // namespace vigie::collector
