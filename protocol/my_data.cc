#include "vigie/protocol/my_data.h"

#include "vigie/protocol/json.h"
#include "vigie/protocol/utc_time.h"

namespace vigie::protocol {

StatusOr<std::optional<std::string>> requestOf(std::string_view line) {
  if (line.find("\"request\"") == std::string_view::npos) return std::optional<std::string>();
  auto value = json::parse(line);
  if (!value.isOk() || value->kind != json::Value::Kind::kObject) {
    return std::optional<std::string>();  // not a request: the draft decoder says what is wrong
  }
  const json::Value* name = value->find("request");
  if (name == nullptr) return std::optional<std::string>();
  if (name->kind != json::Value::Kind::kString) {
    return Status::invalidArgument("field request: expected string");
  }
  for (const json::Member& member : value->object) {
    if (member.first != "request") {
      return Status::invalidArgument("unknown field " + member.first + " in a request");
    }
  }
  return std::optional<std::string>(name->string);
}

std::string myDataHeaderLine(const MyDataHeader& header) {
  std::string out = "{\"user\":";
  json::appendString(out, header.user);
  out += ",\"since\":\"" + formatUtcMillis(header.since_ms) +
         "\",\"dropped\":" + std::to_string(header.dropped) +
         ",\"entries\":" + std::to_string(header.entries) + "}";
  return out;
}

std::string myDataEntryLine(const MyDataEntry& entry) {
  std::string out = "{\"seq\":" + std::to_string(entry.seq) + ",\"time\":\"" +
                    formatUtcMillis(entry.time_ms) + "\",\"session\":";
  json::appendString(out, entry.session);
  out +=
      ",\"type\":\"" + std::string(typeName(entry.type)) + "\",\"data\":" + entry.data_json + "}";
  return out;
}

}  // namespace vigie::protocol
