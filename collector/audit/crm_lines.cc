#include "audit/crm_lines.h"

#include <algorithm>

#include "audit/json_lines.h"
#include "vigie/protocol/json.h"

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

StatusOr<CrmRecord> parseRecord(const json::Value& object) {
  CrmRecord record;
  auto id = requiredText(object, "id", 128);
  if (!id.isOk()) return id.status();
  record.crm_id = std::move(*id);
  auto time_ms = requiredTime(object, "time");
  if (!time_ms.isOk()) return time_ms.status();
  record.time_ms = *time_ms;
  auto user = requiredText(object, "user", 128);
  if (!user.isOk()) return user.status();
  record.user = std::move(*user);
  auto record_id = requiredText(object, "record_id", 256);
  if (!record_id.isOk()) return record_id.status();
  record.record_id = std::move(*record_id);
  auto action = requiredText(object, "action", 16);
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
  const JsonLinesFormat format{"record",
                               kMaxCrmLines,
                               {"id", "time", "user", "record_id", "action", "fields"},
                               "field values are never accepted, only field names"};
  VIGIE_RETURN_IF_ERROR(forEachJsonLine(text, format, [&](const json::Value& object) -> Status {
    auto record = parseRecord(object);
    if (!record.isOk()) return record.status();
    records.push_back(std::move(record).value());
    return Status::ok();
  }));
  return records;
}

}  // namespace vigie::collector
