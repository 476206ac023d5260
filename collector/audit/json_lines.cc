#include "audit/json_lines.h"

#include <algorithm>

#include "audit/text_rules.h"
#include "vigie/protocol/utc_time.h"

namespace vigie::collector {

namespace json = protocol::json;

namespace {

Status checkKeys(const json::Value& object, const JsonLinesFormat& format) {
  if (object.kind != json::Value::Kind::kObject) return Status::invalidArgument("not an object");
  for (const json::Member& member : object.object) {
    if (std::find(format.keys.begin(), format.keys.end(), member.first) == format.keys.end()) {
      std::string message = "unknown key \"" + member.first + "\"";
      if (!format.unknown_key_hint.empty())
        message += " (" + std::string(format.unknown_key_hint) + ")";
      return Status::invalidArgument(message);
    }
  }
  return Status::ok();
}

}  // namespace

Status forEachJsonLine(std::string_view text, const JsonLinesFormat& format,
                       const std::function<Status(const json::Value&)>& object_fn) {
  size_t line_number = 0;
  size_t objects = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    if (objects == format.max_lines) {
      return Status::resourceExhausted("more than " + std::to_string(format.max_lines) + " " +
                                       std::string(format.noun) +
                                       "s in one request; send them in parts");
    }
    auto parsed = json::parse(line);
    Status done = parsed.isOk() ? checkKeys(*parsed, format) : parsed.status();
    if (done.isOk()) done = object_fn(*parsed);
    if (!done.isOk()) {
      return Status::invalidArgument("line " + std::to_string(line_number) + ": " + done.message());
    }
    ++objects;
  }
  if (objects == 0) {
    return Status::invalidArgument("no " + std::string(format.noun) + " in the request");
  }
  return Status::ok();
}

StatusOr<std::string> requiredText(const json::Value& object, const char* key, size_t max) {
  const json::Value* value = object.find(key);
  if (value == nullptr) return Status::invalidArgument(std::string("missing \"") + key + "\"");
  if (value->kind != json::Value::Kind::kString || !isCleanText(value->string, max)) {
    return Status::invalidArgument(std::string("\"") + key + "\" must be text of 1-" +
                                   std::to_string(max) + " characters without control characters");
  }
  return value->string;
}

StatusOr<std::string> optionalText(const json::Value& object, const char* key, size_t max,
                                   std::string fallback) {
  if (object.find(key) == nullptr) return fallback;
  return requiredText(object, key, max);
}

StatusOr<int64_t> requiredTime(const json::Value& object, const char* key) {
  auto text = requiredText(object, key, 24);
  if (!text.isOk()) return text.status();
  const auto time_ms = protocol::parseUtcMillis(*text);
  if (!time_ms) {
    return Status::invalidArgument(std::string("\"") + key + "\" must be YYYY-MM-DDTHH:MM:SS.mmmZ");
  }
  return *time_ms;
}

}  // namespace vigie::collector
