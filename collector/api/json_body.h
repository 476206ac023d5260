#pragma once

// Reading the small JSON bodies of the audit API strictly: only the keys a route names, text
// without control characters and within its length, integers within range.

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "audit/text_rules.h"
#include "vigie/protocol/json.h"
#include "vigie/protocol/status.h"

namespace vigie::collector::api {

class JsonBody {
 public:
  // kInvalidArgument for anything but an object whose keys are all in `allowed`.
  static StatusOr<JsonBody> parse(std::string_view body,
                                  std::initializer_list<std::string_view> allowed);

  // The text at `key`: kInvalidArgument when missing (if required), not a string, empty, longer
  // than `max` or holding control characters.
  StatusOr<std::optional<std::string>> text(std::string_view key, size_t max, bool required) const;
  StatusOr<std::optional<int64_t>> integer(std::string_view key, int64_t low, int64_t high,
                                           bool required) const;
  const protocol::json::Value& value() const { return value_; }

 private:
  explicit JsonBody(protocol::json::Value value) : value_(std::move(value)) {}
  protocol::json::Value value_;
};

}  // namespace vigie::collector::api
