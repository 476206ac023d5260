#pragma once

// A small strict JSON reader and writer for the protocol's documents (events, enrollment, batch
// receipts). Strict on purpose: the protocol accepts exactly one spelling of each event, so the
// reader refuses duplicate keys, fractions and exponents, invalid UTF-8, lone surrogates, control
// characters and excessive nesting.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vigie/protocol/status.h"

namespace vigie::protocol::json {

struct Value;
struct Member;  // a key and its value, below

struct Value {
  enum class Kind { kNull, kBool, kInteger, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  bool boolean = false;
  bool negative = false;       // kInteger: sign
  uint64_t magnitude = 0;      // kInteger: absolute value
  std::string string;          // kString
  std::vector<Value> array;    // kArray
  std::vector<Member> object;  // kObject, in document order, keys unique

  // nullptr when the object has no such key. REQUIRES: kind == kObject.
  const Value* find(std::string_view key) const;
};

struct Member {
  std::string first;  // key
  Value second;       // value
};

std::string_view kindName(Value::Kind kind);

// Parses one JSON document (surrounding white space allowed, nothing else after it).
StatusOr<Value> parse(std::string_view text, size_t max_depth = 16);

// Appends `text` as a JSON string literal. REQUIRES: text is valid UTF-8.
void appendString(std::string& out, std::string_view text);

// Appends `value` as compact JSON text (no white space), members in their order: parse() of the
// result gives `value` back.
void appendValue(std::string& out, const Value& value);

}  // namespace vigie::protocol::json
