#pragma once

// The CRM's own audit records — who created, updated, deleted, exported or merged which record,
// and the *names* of the fields changed, never their values — so that record histories show
// "viewed at 10:02 from PC-114, updated fields iban, address at 10:04".

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_db.h"
#include "audit/crm_lines.h"
#include "audit/directory.h"
#include "vigie/platform/clock.h"

namespace vigie::collector {

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
