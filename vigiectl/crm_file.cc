#include "crm_file.h"

#include <algorithm>
#include <array>

#include "csv_table.h"
#include "vigie/protocol/json.h"
#include "vigie/protocol/utc_time.h"

namespace vigie::ctl {

namespace json = protocol::json;

namespace {

constexpr std::array<std::string_view, 6> kColumns = {"id",        "time",   "user",
                                                      "record_id", "action", "fields"};
constexpr std::array<std::string_view, 5> kActions = {"create", "update", "delete", "export",
                                                      "merge"};
// The collector's limits: ids and user names up to 128 bytes, record ids up to 256.
constexpr size_t kMaxName = 128;
constexpr size_t kMaxRecordId = 256;
constexpr size_t kMaxFields = 64;
constexpr size_t kMaxFieldName = 64;

std::string at(size_t line) { return atLine(line); }

std::string_view trim(std::string_view text) { return trimBlanks(text); }

bool isColumn(std::string_view name) {
  return std::find(kColumns.begin(), kColumns.end(), name) != kColumns.end();
}

bool isFieldName(std::string_view name) {
  return !name.empty() && name.size() <= kMaxFieldName &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '.' || c == '-';
         });
}

Status checkRecord(const CrmRecord& record) {
  const size_t line = record.line;
  VIGIE_RETURN_IF_ERROR(checkCellText(line, "id", record.id, kMaxName));
  if (record.time.empty()) return Status::invalidArgument(at(line) + "missing time");
  if (!protocol::parseUtcMillis(record.time)) {
    return Status::invalidArgument(at(line) + "bad time '" + record.time +
                                   "' (expected YYYY-MM-DDTHH:MM:SS.mmmZ, UTC)");
  }
  VIGIE_RETURN_IF_ERROR(checkCellText(line, "user", record.user, kMaxName));
  VIGIE_RETURN_IF_ERROR(checkCellText(line, "record_id", record.record_id, kMaxRecordId));
  if (record.action.empty()) return Status::invalidArgument(at(line) + "missing action");
  if (std::find(kActions.begin(), kActions.end(), record.action) == kActions.end()) {
    return Status::invalidArgument(at(line) + "bad action '" + record.action +
                                   "' (expected create, update, delete, export or merge)");
  }
  if (record.fields.size() > kMaxFields) {
    return Status::invalidArgument(at(line) + "more than " + std::to_string(kMaxFields) +
                                   " fields");
  }
  for (const auto& field : record.fields) {
    if (!isFieldName(field)) {
      return Status::invalidArgument(at(line) + "bad field name '" + field +
                                     "' (field names only: up to 64 of A-Z a-z 0-9 _ . -)");
    }
  }
  return Status::ok();
}

// "iban;address" or "iban|address" (spaces around names ignored).
std::vector<std::string> splitFields(std::string_view cell) {
  std::vector<std::string> fields;
  if (trim(cell).empty()) return fields;
  size_t start = 0;
  while (true) {
    const size_t end = cell.find_first_of(";|", start);
    fields.emplace_back(trim(cell.substr(start, end - start)));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return fields;
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
  return out;
}

}  // namespace

StatusOr<CrmFormat> crmFormatFor(std::string_view path, std::string_view format_option) {
  if (format_option == "csv") return CrmFormat::kCsv;
  if (format_option == "jsonl") return CrmFormat::kJsonLines;
  if (!format_option.empty()) {
    return Status::invalidArgument("--format must be csv or jsonl, got '" +
                                   std::string(format_option) + "'");
  }
  const size_t dot = path.rfind('.');
  const size_t slash = path.rfind('/');
  const std::string extension =
      dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)
          ? ""
          : lowercase(path.substr(dot + 1));
  if (extension == "csv") return CrmFormat::kCsv;
  if (extension == "jsonl" || extension == "ndjson") return CrmFormat::kJsonLines;
  return Status::invalidArgument("cannot tell the format of '" + std::string(path) +
                                 "' from its extension: give --format csv or --format jsonl");
}

StatusOr<std::vector<CrmRecord>> parseCrmCsv(std::string_view text) {
  CsvColumns columns;
  columns.known.assign(kColumns.begin(), kColumns.end());
  columns.required = {"id", "time", "user", "record_id", "action"};
  columns.unknown_hint =
      ": only id, time, user, record_id, action and fields are accepted — a CRM audit record "
      "names the fields that changed, never their values";
  auto rows = readCsvTable(text, columns);
  if (!rows.isOk()) return rows.status();
  std::vector<CrmRecord> records;
  for (const CsvNamedRow& row : *rows) {
    CrmRecord record;
    record.line = row.line;
    record.id = row.cell("id");
    record.time = row.cell("time");
    record.user = row.cell("user");
    record.record_id = row.cell("record_id");
    record.action = row.cell("action");
    record.fields = splitFields(row.cell("fields"));
    VIGIE_RETURN_IF_ERROR(checkRecord(record));
    records.push_back(std::move(record));
  }
  return records;
}

StatusOr<std::vector<CrmRecord>> parseCrmJsonLines(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<CrmRecord> records;
  size_t line = 0;
  size_t start = 0;
  while (start < text.size()) {
    ++line;
    const size_t end = std::min(text.find('\n', start), text.size());
    std::string_view content = text.substr(start, end - start);
    start = end + 1;
    if (!content.empty() && content.back() == '\r') content.remove_suffix(1);
    if (trim(content).empty()) continue;
    auto document = json::parse(content, 4);
    if (!document.isOk()) return Status::invalidArgument(at(line) + document.status().message());
    if (document->kind != json::Value::Kind::kObject) {
      return Status::invalidArgument(at(line) + "expected a JSON object");
    }
    CrmRecord record;
    record.line = line;
    for (const auto& member : document->object) {
      const std::string& key = member.first;
      const json::Value& value = member.second;
      if (!isColumn(key)) {
        return Status::invalidArgument(
            at(line) + "unknown key '" + key +
            "': only id, time, user, record_id, action and fields are accepted — a CRM audit "
            "record names the fields that changed, never their values");
      }
      if (key == "fields") {
        if (value.kind != json::Value::Kind::kArray) {
          return Status::invalidArgument(at(line) + "fields must be a list of field names");
        }
        for (const auto& field : value.array) {
          if (field.kind != json::Value::Kind::kString) {
            return Status::invalidArgument(at(line) + "fields must be a list of field names");
          }
          record.fields.push_back(field.string);
        }
        continue;
      }
      if (value.kind != json::Value::Kind::kString) {
        return Status::invalidArgument(at(line) + key + " must be a string");
      }
      if (key == "id") record.id = value.string;
      if (key == "time") record.time = value.string;
      if (key == "user") record.user = value.string;
      if (key == "record_id") record.record_id = value.string;
      if (key == "action") record.action = value.string;
    }
    VIGIE_RETURN_IF_ERROR(checkRecord(record));
    records.push_back(std::move(record));
  }
  return records;
}

std::string crmEventLine(const CrmRecord& record) {
  std::string line = "{\"id\":";
  json::appendString(line, record.id);
  line += ",\"time\":";
  json::appendString(line, record.time);
  line += ",\"user\":";
  json::appendString(line, record.user);
  line += ",\"record_id\":";
  json::appendString(line, record.record_id);
  line += ",\"action\":";
  json::appendString(line, record.action);
  line += ",\"fields\":[";
  for (size_t i = 0; i < record.fields.size(); ++i) {
    if (i > 0) line += ',';
    json::appendString(line, record.fields[i]);
  }
  line += "]}";
  return line;
}

std::vector<CrmChunk> chunkCrmRecords(const std::vector<CrmRecord>& records, size_t max_records,
                                      size_t max_bytes) {
  std::vector<NumberedLine> lines;
  lines.reserve(records.size());
  for (const auto& record : records) lines.push_back({record.line, crmEventLine(record)});
  return chunkLines(lines, max_records, max_bytes);
}

}  // namespace vigie::ctl
