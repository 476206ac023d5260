#pragma once

// The CRM's own audit records — who created, updated, deleted, exported or merged which record,
// and the *names* of the fields changed, never their values — so that record histories show
// "viewed at 10:02 from PC-114, updated fields iban, address at 10:04".

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_db.h"
#include "audit/directory.h"
#include "vigie/platform/clock.h"

namespace vigie::collector {

inline constexpr size_t kMaxCrmLines = 1000;
inline constexpr size_t kMaxCrmFields = 64;

struct CrmRecord {
  std::string crm_id;  // the CRM's id for its audit record: (brand, crm_id) is stored once
  int64_t time_ms = 0;
  std::string user;  // the CRM's user name
  std::string record_id;
  std::string action;  // create, update, delete, export, merge
  std::vector<std::string> fields;
};

// Parses JSON lines (docs/audit-api.md). Any bad line refuses the whole text, naming the line:
// an importer fixes and resends rather than losing records silently.
StatusOr<std::vector<CrmRecord>> parseCrmLines(std::string_view text);

struct CrmImportResult {
  size_t accepted = 0;
  size_t duplicates = 0;
};

class CrmRecords {
 public:
  CrmRecords(AuditDb& db, Directory& directory, platform::Clock& clock)
      : db_(db), directory_(directory), clock_(clock) {}

  // Stores the records of `brand` in one transaction, mapping CRM user names to logins.
  StatusOr<CrmImportResult> store(std::string_view brand, const std::vector<CrmRecord>& records);

 private:
  AuditDb& db_;
  Directory& directory_;
  platform::Clock& clock_;
};

}  // namespace vigie::collector
