#pragma once

// Builds one JSON object, key by key: out.text("user", name).number("seq", 3).done().

#include <cstdint>
#include <string>
#include <string_view>

#include "vigie/protocol/json.h"

namespace vigie::collector::api {

class JsonOut {
 public:
  JsonOut& text(std::string_view key, std::string_view value) {
    this->key(key);
    protocol::json::appendString(out_, value);
    return *this;
  }
  JsonOut& number(std::string_view key, int64_t value) { return raw(key, std::to_string(value)); }
  JsonOut& boolean(std::string_view key, bool value) { return raw(key, value ? "true" : "false"); }
  JsonOut& null(std::string_view key) { return raw(key, "null"); }
  // `json` must already be valid JSON.
  JsonOut& raw(std::string_view key, std::string_view json) {
    this->key(key);
    out_ += json;
    return *this;
  }
  std::string done() { return out_ + "}"; }

 private:
  void key(std::string_view key) {
    out_ += out_.size() == 1 ? "" : ",";
    protocol::json::appendString(out_, key);
    out_ += ':';
  }
  std::string out_ = "{";
};

// A JSON array of `item(x)` for each x of `items`; `item` returns one JSON value.
template <typename Items, typename Item>
std::string jsonList(const Items& items, Item item) {
  std::string out = "[";
  for (const auto& x : items) {
    if (out.size() > 1) out += ',';
    out += item(x);
  }
  return out + "]";
}

}  // namespace vigie::collector::api
