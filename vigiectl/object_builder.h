#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vigie/protocol/json.h"

namespace vigie::ctl {

// A JSON object written key by key, for request bodies: strings, whole numbers, lists of strings
// and JSON values already written.
class ObjectBuilder {
 public:
  ObjectBuilder& text(std::string_view key, std::string_view value) {
    open(key);
    protocol::json::appendString(body_, value);
    return *this;
  }
  ObjectBuilder& number(std::string_view key, uint64_t value) {
    open(key);
    body_ += std::to_string(value);
    return *this;
  }
  ObjectBuilder& texts(std::string_view key, const std::vector<std::string>& values) {
    open(key);
    body_ += '[';
    for (size_t i = 0; i < values.size(); ++i) {
      if (i > 0) body_ += ',';
      protocol::json::appendString(body_, values[i]);
    }
    body_ += ']';
    return *this;
  }
  ObjectBuilder& raw(std::string_view key, std::string_view json_value) {
    open(key);
    body_ += json_value;
    return *this;
  }
  std::string done() const { return body_ + "}"; }

 private:
  void open(std::string_view key) {
    body_ += body_.size() == 1 ? "" : ",";
    protocol::json::appendString(body_, key);
    body_ += ':';
  }
  std::string body_ = "{";
};

}  // namespace vigie::ctl
