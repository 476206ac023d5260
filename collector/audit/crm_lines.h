#pragma once

// The CRM audit records as the CRM sends them (docs/audit-api.md, POST /v1/crm-events): JSON
// lines, strictly checked — field names, never field values.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vigie/protocol/status.h"

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

// Parses JSON lines. Any bad line refuses the whole text, naming the line: an importer fixes and
// resends rather than losing records silently.
StatusOr<std::vector<CrmRecord>> parseCrmLines(std::string_view text);

// Field names are stored comma-separated; this appends them as a JSON list.
void appendFieldList(std::string& out, std::string_view stored_fields);

}  // namespace vigie::collector
