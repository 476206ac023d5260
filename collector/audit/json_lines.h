#pragma once

// JSON-lines feeds from other systems (the CRM's audit records, the CTI's calls, shift
// schedules): one object per line, strictly checked. Any bad line refuses the whole text, naming
// the line: an importer fixes and resends rather than losing records silently.

#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>

#include "vigie/protocol/json.h"
#include "vigie/protocol/status.h"

namespace vigie::collector {

struct JsonLinesFormat {
  std::string_view noun;  // "record", "call": for messages
  size_t max_lines = 1000;
  std::initializer_list<std::string_view> keys;  // the keys an object may have
  std::string_view unknown_key_hint;             // appended to an unknown-key message
};

// Calls `object_fn` for each non-blank line's object, in order.
Status forEachJsonLine(std::string_view text, const JsonLinesFormat& format,
                       const std::function<Status(const protocol::json::Value&)>& object_fn);

// The text at `key`: missing, not text, empty, longer than `max` or holding control characters
// -> kInvalidArgument naming the key.
StatusOr<std::string> requiredText(const protocol::json::Value& object, const char* key,
                                   size_t max);
// Like requiredText, but a missing key gives `fallback`.
StatusOr<std::string> optionalText(const protocol::json::Value& object, const char* key, size_t max,
                                   std::string fallback);
// "YYYY-MM-DDTHH:MM:SS.mmmZ" at `key`, as Unix milliseconds.
StatusOr<int64_t> requiredTime(const protocol::json::Value& object, const char* key);

}  // namespace vigie::collector
