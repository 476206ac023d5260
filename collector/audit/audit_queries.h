#pragma once

// The questions auditors ask, over workstation events and CRM records together, in time order,
// a page at a time: who accessed record R; what user U did between t1 and t2; which exports,
// prints and copies (with personal data) left the CRM over a period; integrity incidents.
// People appear as pseudonyms (pseudonyms.h); revealing one is a separate, two-person step.

#include <cstdint>
#include <optional>
#include <string>

#include "audit/audit_db.h"
#include "audit/pseudonyms.h"

namespace vigie::collector {

inline constexpr size_t kMaxPageSize = 1000;
inline constexpr int64_t kMaxQuerySpanMs = 366LL * 24 * 3600 * 1000;

enum class Question { kRecord, kTimeline, kExports, kIncidents };

// Where a page ends: the last item's (time, source, row), written "time.source.row".
struct Cursor {
  int64_t time_ms = 0;
  int source = 0;  // 0 workstation event, 1 CRM record
  int64_t row = 0;
  std::string encode() const;
  static std::optional<Cursor> decode(std::string_view text);
};

struct AuditQuery {
  Question question = Question::kRecord;
  std::string record_id;             // kRecord
  std::string login;                 // kTimeline: the person, already resolved from a pseudonym
  std::string team;                  // kExports: only this team's people, when set
  bool pii_only = false;             // kExports
  std::optional<std::string> brand;  // only this brand ("" = no brand); nullopt: every brand
  int64_t from_ms = 0;
  int64_t to_ms = 0;  // exclusive
  size_t limit = 100;
  std::optional<Cursor> after;
};

struct AuditPage {
  std::string items;  // a JSON array
  size_t count = 0;
  std::optional<Cursor> next;
};

class AuditQueries {
 public:
  AuditQueries(AuditDb& db, Pseudonyms& pseudonyms) : db_(db), pseudonyms_(pseudonyms) {}

  // REQUIRES: the query was validated (limit <= kMaxPageSize, span <= kMaxQuerySpanMs).
  StatusOr<AuditPage> run(const AuditQuery& query);

 private:
  StatusOr<AuditPage> incidents(const AuditQuery& query);
  AuditDb& db_;
  Pseudonyms& pseudonyms_;
};

}  // namespace vigie::collector
