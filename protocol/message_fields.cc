#include "message_fields.h"

#include <charconv>

#include "vigie/protocol/hex.h"

namespace vigie::protocol {
namespace {

// 2000-01-01 and 2200-01-01 UTC: what a workstation's clock can sensibly say.
constexpr uint64_t kEarliestMs = 946'684'800'000;
constexpr uint64_t kLatestMs = 7'258'118'400'000;

}  // namespace

void FieldReader::text(std::string_view name, std::string& out, size_t max_bytes) {
  const json::Value* value = take(name, json::Value::Kind::kString);
  if (value == nullptr) return;
  if (value->string.size() > max_bytes) {
    fail(field(name) + ": longer than " + std::to_string(max_bytes) + " bytes");
    return;
  }
  out = value->string;
}

void FieldReader::optionalText(std::string_view name, std::string& out, size_t max_bytes) {
  if (object_.find(name) == nullptr) {
    seen_.emplace(name);
    return;
  }
  text(name, out, max_bytes);
}

void FieldReader::boolean(std::string_view name, bool& out) {
  if (const json::Value* value = take(name, json::Value::Kind::kBool)) out = value->boolean;
}

void FieldReader::number(std::string_view name, uint64_t& out) {
  const json::Value* value = take(name, json::Value::Kind::kInteger);
  if (value == nullptr) return;
  if (value->negative) {
    fail(field(name) + ": must not be negative");
    return;
  }
  out = value->magnitude;
}

void FieldReader::time(std::string_view name, std::optional<int64_t>& out, bool nullable) {
  const json::Value* found = object_.find(name);
  if (nullable && found != nullptr && found->kind == json::Value::Kind::kNull) {
    seen_.emplace(name);
    out.reset();
    return;
  }
  uint64_t ms = 0;
  number(name, ms);
  if (!status_.isOk()) return;
  if (ms < kEarliestMs || ms >= kLatestMs) {
    fail(field(name) + ": not a time in Unix milliseconds between 2000 and 2200");
    return;
  }
  out = static_cast<int64_t>(ms);
}

void FieldReader::hex(std::string_view name, std::span<uint8_t> out) {
  std::string digits;
  text(name, digits, out.size() * 2);
  if (status_.isOk()) fail(parseHex(name, digits, out));
}

const json::Value* FieldReader::member(std::string_view name, json::Value::Kind kind) {
  return take(name, kind);
}

Status FieldReader::finish() {
  if (!status_.isOk()) return status_;
  for (const auto& [key, value] : object_.object) {
    if (!seen_.contains(key)) return Status::invalidArgument("unknown field " + where_ + key);
  }
  return Status::ok();
}

const json::Value* FieldReader::take(std::string_view name, json::Value::Kind kind) {
  if (!status_.isOk()) return nullptr;
  seen_.emplace(name);
  const json::Value* value = object_.find(name);
  if (value == nullptr) {
    fail("missing field " + where_ + std::string(name));
    return nullptr;
  }
  if (value->kind != kind) {
    fail(field(name) + ": expected " + std::string(json::kindName(kind)) + ", got " +
         std::string(json::kindName(value->kind)));
    return nullptr;
  }
  return value;
}

void FieldReader::fail(std::string message) { fail(Status::invalidArgument(std::move(message))); }

void FieldReader::fail(Status status) {
  if (status_.isOk()) status_ = std::move(status);
}

StatusOr<json::Value> parseObject(std::string_view text, size_t max_bytes, size_t max_depth) {
  if (text.size() > max_bytes) {
    return Status::invalidArgument("document longer than " + std::to_string(max_bytes) + " bytes");
  }
  auto value = json::parse(text, max_depth);
  if (!value.isOk()) return value.status();
  if (value->kind != json::Value::Kind::kObject) {
    return Status::invalidArgument("expected a JSON object");
  }
  return value;
}

void appendRawField(std::string& out, std::string_view name, std::string_view json) {
  if (out.size() > 1) out += ',';
  json::appendString(out, name);
  out += ':';
  out += json;
}

void appendField(std::string& out, std::string_view name, std::string_view text) {
  std::string quoted;
  json::appendString(quoted, text);
  appendRawField(out, name, quoted);
}

void appendField(std::string& out, std::string_view name, uint64_t number) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, number);
  appendRawField(out, name, std::string_view(buffer, static_cast<size_t>(result.ptr - buffer)));
}

void appendField(std::string& out, std::string_view name, bool flag) {
  appendRawField(out, name, flag ? "true" : "false");
}

}  // namespace vigie::protocol
