#pragma once

// Strict reading and writing of the members of the collector API's small JSON documents
// (messages.cc, heartbeat.cc). Internal to the protocol library.

#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>

#include "vigie/protocol/json.h"
#include "vigie/protocol/status.h"

namespace vigie::protocol {

// Reads the members of one object, refusing missing, mistyped, oversized and unknown fields. The
// first failure sticks; finish() reports it, or an unknown member.
class FieldReader {
 public:
  // `where` prefixes the messages ("policy." reads as "field policy.serial: ...").
  explicit FieldReader(const json::Value& object, std::string where = "")
      : object_(object), where_(std::move(where)) {}

  void text(std::string_view name, std::string& out, size_t max_bytes);
  // Like text(), and the member may be absent (out is left as it is).
  void optionalText(std::string_view name, std::string& out, size_t max_bytes);
  void boolean(std::string_view name, bool& out);
  void number(std::string_view name, uint64_t& out);
  // A Unix time in milliseconds, after 2000 and before 2200; null gives nullopt when
  // `nullable`.
  void time(std::string_view name, std::optional<int64_t>& out, bool nullable);
  void hex(std::string_view name, std::span<uint8_t> out);
  // The member of `kind`, or nullptr (and the reader fails) when missing or of another kind.
  const json::Value* member(std::string_view name, json::Value::Kind kind);

  void fail(std::string message);
  void fail(Status status);
  std::string field(std::string_view name) const { return "field " + where_ + std::string(name); }
  Status finish();

 private:
  const json::Value* take(std::string_view name, json::Value::Kind kind);

  const json::Value& object_;
  const std::string where_;
  std::set<std::string, std::less<>> seen_;
  Status status_;
};

// One JSON object of at most `max_bytes`, nested `max_depth` levels at most.
StatusOr<json::Value> parseObject(std::string_view text, size_t max_bytes, size_t max_depth = 4);

void appendField(std::string& out, std::string_view name, std::string_view text);
void appendField(std::string& out, std::string_view name, uint64_t number);
void appendField(std::string& out, std::string_view name, bool flag);
// `json` must be valid JSON.
void appendRawField(std::string& out, std::string_view name, std::string_view json);

}  // namespace vigie::protocol
