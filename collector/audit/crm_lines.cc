#include "audit/crm_lines.h"

#include <algorithm>

#include "audit/text_rules.h"
#include "vigie/protocol/json.h"
#include "vigie/protocol/utc_time.h"

namespace vigie::collector {
namespace {

namespace json = protocol::json;

constexpr std::string_view kActions[] = {"create", "update", "delete", "export", "merge"};

bool isFieldName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Status lineError(size_t line, const std::string& message) {
  return Status::invalidArgument("line " + std::to_string(line) + ": " + message);
}

StatusOr<std::string> textMember(const json::Value& object, const char* key, size_t max) {
  const json::Value* value = object.find(key);
  if (value == nullptr) return Status::invalidArgument(std::string("missing \"") + key + "\"");
  if (value->kind != json::Value::Kind::kString || !isCleanText(value->string, max)) {
    return Status::invalidArgument(std::string("\"") + key + "\" must be text of 1-" +
                                   std::to_string(max) + " characters without control characters");
  }
  return value->string;
}

StatusOr<CrmRecord> parseRecord(std::string_view line) {
  auto parsed = json::parse(line);
  if (!parsed.isOk()) return parsed.status();
  const json::Value& object = *parsed;
  if (object.kind != json::Value::Kind::kObject) return Status::invalidArgument("not an object");
  for (const json::Member& member : object.object) {
    static constexpr std::string_view kKeys[] = {"id",        "time",   "user",
                                                 "record_id", "action", "fields"};
    if (std::find(std::begin(kKeys), std::end(kKeys), member.first) == std::end(kKeys)) {
      return Status::invalidArgument("unknown key \"" + member.first +
                                     "\" (field values are never accepted, only field names)");
    }
  }
  CrmRecord record;
  auto id = textMember(object, "id", 128);
  if (!id.isOk()) return id.status();
  record.crm_id = std::move(*id);
  auto time = textMember(object, "time", 24);
  if (!time.isOk()) return time.status();
  const auto time_ms = protocol::parseUtcMillis(*time);
  if (!time_ms) return Status::invalidArgument("\"time\" must be YYYY-MM-DDTHH:MM:SS.mmmZ");
  record.time_ms = *time_ms;
  auto user = textMember(object, "user", 128);
  if (!user.isOk()) return user.status();
  record.user = std::move(*user);
  auto record_id = textMember(object, "record_id", 256);
  if (!record_id.isOk()) return record_id.status();
  record.record_id = std::move(*record_id);
  auto action = textMember(object, "action", 16);
  if (!action.isOk()) return action.status();
  if (std::find(std::begin(kActions), std::end(kActions), *action) == std::end(kActions)) {
    return Status::invalidArgument("\"action\" must be create, update, delete, export or merge");
  }
  record.action = std::move(*action);
  if (const json::Value* fields = object.find("fields")) {
    if (fields->kind != json::Value::Kind::kArray || fields->array.size() > kMaxCrmFields) {
      return Status::invalidArgument("\"fields\" must be a list of at most 64 field names");
    }
    for (const json::Value& field : fields->array) {
      if (field.kind != json::Value::Kind::kString || !isFieldName(field.string)) {
        return Status::invalidArgument(
            "a field name is 1-64 characters of A-Z a-z 0-9 _ . - (names, never values)");
      }
      record.fields.push_back(field.string);
    }
  }
  return record;
}

}  // namespace

void appendFieldList(std::string& out, std::string_view stored_fields) {
  out += '[';
  for (size_t start = 0; start < stored_fields.size();) {
    const size_t comma = std::min(stored_fields.find(',', start), stored_fields.size());
    if (start > 0) out += ',';
    json::appendString(out, stored_fields.substr(start, comma - start));
    start = comma + 1;
  }
  out += ']';
}

StatusOr<std::vector<CrmRecord>> parseCrmLines(std::string_view text) {
  std::vector<CrmRecord> records;
  size_t line_number = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    if (records.size() == kMaxCrmLines) {
      return Status::resourceExhausted("more than " + std::to_string(kMaxCrmLines) +
                                       " records in one request; send them in parts");
    }
    auto record = parseRecord(line);
    if (!record.isOk()) return lineError(line_number, record.status().message());
    records.push_back(std::move(record).value());
  }
  if (records.empty()) return Status::invalidArgument("no record in the request");
  return records;
}

}  // namespace vigie::collector
