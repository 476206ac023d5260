#include "detection_files.h"

#include <algorithm>
#include <array>
#include <optional>

#include "csv_table.h"
#include "vigie/protocol/json.h"
#include "vigie/protocol/utc_time.h"

namespace vigie::ctl {

namespace json = protocol::json;

namespace {

// The collector's limits (collector/detect/telephony.cc, shifts.cc).
constexpr size_t kMaxCallId = 128;
constexpr size_t kMaxLogin = 64;
constexpr size_t kMaxRecordId = 256;
constexpr size_t kMaxCampaign = 128;
constexpr int64_t kMaxCallMs = 24LL * 3600 * 1000;
constexpr std::array<std::string_view, 3> kCallKinds = {"call", "ticket", "callback"};
constexpr std::array<std::string_view, 7> kDays = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

// 1-64 of A-Z a-z 0-9 . _ @ -, as the collector's logins.
bool isLogin(std::string_view text) {
  return !text.empty() && text.size() <= kMaxLogin &&
         std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '@' || c == '-';
         });
}

StatusOr<int64_t> timeCell(const CsvNamedRow& row, std::string_view column) {
  const std::string text = row.cell(column);
  if (text.empty())
    return Status::invalidArgument(atLine(row.line) + "missing " + std::string(column));
  const auto time = protocol::parseUtcMillis(text);
  if (!time) {
    return Status::invalidArgument(atLine(row.line) + "bad " + std::string(column) + " '" + text +
                                   "' (expected YYYY-MM-DDTHH:MM:SS.mmmZ, UTC)");
  }
  return *time;
}

void appendMember(std::string& line, std::string_view key, std::string_view value) {
  line += line.size() == 1 ? "\"" : ",\"";
  line += key;
  line += "\":";
  json::appendString(line, value);
}

StatusOr<NumberedLine> callLine(const CsvNamedRow& row) {
  const size_t line = row.line;
  const std::string id = row.cell("id");
  VIGIE_RETURN_IF_ERROR(checkCellText(line, "id", id, kMaxCallId));
  const std::string kind = row.cell("kind");
  if (!kind.empty() && std::find(kCallKinds.begin(), kCallKinds.end(), kind) == kCallKinds.end()) {
    return Status::invalidArgument(atLine(line) + "bad kind '" + kind +
                                   "' (expected call, ticket or callback)");
  }
  const std::string agent = row.cell("agent");
  if (agent.empty()) return Status::invalidArgument(atLine(line) + "missing agent");
  if (!isLogin(agent)) {
    return Status::invalidArgument(atLine(line) +
                                   "agent must be a login: 1-64 of A-Z a-z 0-9 . _ @ -");
  }
  auto start = timeCell(row, "start");
  if (!start.isOk()) return start.status();
  auto end = timeCell(row, "end");
  if (!end.isOk()) return end.status();
  if (*end < *start || *end - *start > kMaxCallMs) {
    return Status::invalidArgument(atLine(line) + "end must be after start, within 24 hours");
  }
  const std::string record_id = row.cell("record_id");
  if (!record_id.empty()) {
    VIGIE_RETURN_IF_ERROR(checkCellText(line, "record_id", record_id, kMaxRecordId));
  }
  const std::string campaign = row.cell("campaign");
  if (!campaign.empty()) {
    VIGIE_RETURN_IF_ERROR(checkCellText(line, "campaign", campaign, kMaxCampaign));
  }
  std::string text = "{";
  appendMember(text, "id", id);
  if (!kind.empty()) appendMember(text, "kind", kind);
  appendMember(text, "agent", agent);
  appendMember(text, "start", row.cell("start"));
  appendMember(text, "end", row.cell("end"));
  if (!record_id.empty()) appendMember(text, "record_id", record_id);
  if (!campaign.empty()) appendMember(text, "campaign", campaign);
  text += '}';
  return NumberedLine{line, std::move(text)};
}

bool isDay(std::string_view name) {
  return std::find(kDays.begin(), kDays.end(), name) != kDays.end();
}

// "mon-fri", "mon,wed,sat", "fri-mon", "sun".
bool isDays(std::string_view text) {
  if (text.empty()) return false;
  while (true) {
    const size_t comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    const size_t dash = item.find('-');
    if (!isDay(item.substr(0, dash))) return false;
    if (dash != std::string_view::npos && !isDay(item.substr(dash + 1))) return false;
    if (comma == std::string_view::npos) return true;
    text.remove_prefix(comma + 1);
  }
}

// "HH:MM", 00:00 to 24:00.
bool isClock(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return false;
  for (size_t i : {0u, 1u, 3u, 4u}) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  const int hours = (text[0] - '0') * 10 + (text[1] - '0');
  const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
  return minutes <= 59 && (hours < 24 || (hours == 24 && minutes == 0));
}

StatusOr<NumberedLine> shiftLine(const CsvNamedRow& row) {
  const size_t line = row.line;
  const std::string who = row.cell("who");
  if (who.empty()) return Status::invalidArgument(atLine(line) + "missing who");
  if (!isLogin(std::string_view(who).substr(who.rfind("team:", 0) == 0 ? 5 : 0))) {
    return Status::invalidArgument(atLine(line) + "who must be a login or team:NAME");
  }
  const std::string days = row.cell("days");
  if (!isDays(days)) {
    return Status::invalidArgument(atLine(line) + "bad days '" + days +
                                   "' (expected like mon-fri or mon,wed,sat)");
  }
  for (const char* column : {"start", "end"}) {
    if (!isClock(row.cell(column))) {
      return Status::invalidArgument(atLine(line) + "bad " + column + " '" + row.cell(column) +
                                     "' (expected HH:MM)");
    }
  }
  std::string text = "{";
  appendMember(text, "who", who);
  appendMember(text, "days", days);
  appendMember(text, "start", row.cell("start"));
  appendMember(text, "end", row.cell("end"));
  text += '}';
  return NumberedLine{line, std::move(text)};
}

StatusOr<std::vector<NumberedLine>> convert(std::string_view text, const CsvColumns& columns,
                                            StatusOr<NumberedLine> (*line_of)(const CsvNamedRow&)) {
  auto rows = readCsvTable(text, columns);
  if (!rows.isOk()) return rows.status();
  std::vector<NumberedLine> lines;
  lines.reserve(rows->size());
  for (const CsvNamedRow& row : *rows) {
    auto line = line_of(row);
    if (!line.isOk()) return line.status();
    lines.push_back(std::move(line).value());
  }
  return lines;
}

}  // namespace

StatusOr<std::vector<NumberedLine>> parseCallsCsv(std::string_view text) {
  CsvColumns columns;
  columns.known = {"id", "kind", "agent", "start", "end", "record_id", "campaign"};
  columns.required = {"id", "agent", "start", "end"};
  columns.unknown_hint =
      ": only id, kind, agent, start, end, record_id and campaign are accepted — calls carry "
      "identifiers only, no phone numbers";
  return convert(text, columns, callLine);
}

StatusOr<std::vector<NumberedLine>> parseShiftsCsv(std::string_view text) {
  CsvColumns columns;
  columns.known = {"who", "days", "start", "end"};
  columns.required = columns.known;
  columns.unknown_hint = ": only who, days, start and end are accepted";
  return convert(text, columns, shiftLine);
}

}  // namespace vigie::ctl
