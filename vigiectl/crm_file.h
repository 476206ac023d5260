#pragma once

// CRM audit records read from a file for POST /v1/crm-events: CSV with the header
// id,time,user,record_id,action,fields or JSON lines with those keys. Every record is checked
// here, before anything is sent, with the same rules as the collector (docs/audit-api.md), so a
// bad file is refused as a whole with the line to fix. A column or key other than these six — a
// field *value* exported by mistake — refuses the file.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "line_chunks.h"
#include "vigie/protocol/status.h"

namespace vigie::ctl {

enum class CrmFormat { kCsv, kJsonLines };

struct CrmRecord {
  size_t line = 0;  // where it starts in the file, for messages
  std::string id;
  std::string time;  // YYYY-MM-DDTHH:MM:SS.mmmZ
  std::string user;
  std::string record_id;
  std::string action;               // create, update, delete, export, merge
  std::vector<std::string> fields;  // field names, never values
};

// `format_option` ("csv", "jsonl" or empty: from the file name's extension, .csv or
// .jsonl/.ndjson).
StatusOr<CrmFormat> crmFormatFor(std::string_view path, std::string_view format_option);

// The records of a whole file; the first bad line refuses the file ("line N: ...").
StatusOr<std::vector<CrmRecord>> parseCrmCsv(std::string_view text);
StatusOr<std::vector<CrmRecord>> parseCrmJsonLines(std::string_view text);

// The record as one NDJSON line of the API (no line end).
std::string crmEventLine(const CrmRecord& record);

// The records as one request's worth of NDJSON lines each: at most `max_records` lines and
// `max_bytes` bytes.
using CrmChunk = LineChunk;
std::vector<CrmChunk> chunkCrmRecords(const std::vector<CrmRecord>& records,
                                      size_t max_records = 1000, size_t max_bytes = 1u << 20);

}  // namespace vigie::ctl
