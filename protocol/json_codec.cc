#include "vigie/protocol/json_codec.h"

#include <algorithm>
#include <charconv>

#include "vigie/protocol/hex.h"
#include "vigie/protocol/json.h"
#include "vigie/protocol/utc_time.h"
#include "vigie/protocol/validate.h"

namespace vigie::protocol {
namespace {

void appendNumber(std::string& out, uint64_t value) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}

void appendQuotedHex(std::string& out, const Mac& mac) {
  out += '"';
  appendHex(out, mac);
  out += '"';
}

// Writes the fields of one JSON object; `describe()` drives it.
class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  void key(std::string_view name) {
    if (!first_) out_ += ',';
    first_ = false;
    out_ += '"';
    out_.append(name);
    out_ += "\":";
  }
  void text(std::string_view name, const std::string& value, size_t) {
    key(name);
    json::appendString(out_, value);
  }
  void optionalText(std::string_view name, const std::optional<std::string>& value, size_t max) {
    if (value) text(name, *value, max);
  }
  void number(std::string_view name, uint64_t value) {
    key(name);
    appendNumber(out_, value);
  }
  void optionalNumber(std::string_view name, const std::optional<uint64_t>& value) {
    if (value) number(name, *value);
  }
  template <typename E>
  void enumeration(std::string_view name, E value) {
    key(name);
    json::appendString(out_, enumNames(value)[static_cast<size_t>(value)]);
  }
  void textList(std::string_view name, const std::vector<std::string>& values, size_t, size_t) {
    key(name);
    out_ += '[';
    for (size_t i = 0; i < values.size(); ++i) {
      if (i > 0) out_ += ',';
      json::appendString(out_, values[i]);
    }
    out_ += ']';
  }
  template <typename T>
  void object(std::string_view name, const T& value) {
    key(name);
    out_ += '{';
    JsonWriter nested(out_);
    T::describe(value, nested);
    out_ += '}';
  }
  void typeCounts(std::string_view name, const std::vector<DroppedCount>& counts) {
    key(name);
    out_ += '{';
    JsonWriter nested(out_);
    for (const auto& entry : counts) nested.number(typeName(entry.type), entry.count);
    out_ += '}';
  }

 private:
  std::string& out_;
  bool first_ = true;
};

void appendData(std::string& out, const Payload& payload) {
  out += '{';
  JsonWriter writer(out);
  std::visit([&](const auto& p) { std::decay_t<decltype(p)>::describe(p, writer); }, payload);
  out += '}';
}

// Reads the fields of one JSON object; `describe()` drives it. Every key must be consumed.
class JsonReader {
 public:
  JsonReader(const json::Value& object, std::string prefix)
      : object_(object), prefix_(std::move(prefix)) {}

  void text(std::string_view name, std::string& out, size_t) {
    if (const json::Value* value = require(name, json::Value::Kind::kString)) out = value->string;
  }
  void optionalText(std::string_view name, std::optional<std::string>& out, size_t) {
    if (const json::Value* value = optional(name, json::Value::Kind::kString)) out = value->string;
  }
  void number(std::string_view name, uint64_t& out) {
    if (const json::Value* value = require(name, json::Value::Kind::kInteger)) {
      if (value->negative) return fail(name, "must not be negative");
      out = value->magnitude;
    }
  }
  void optionalNumber(std::string_view name, std::optional<uint64_t>& out) {
    if (const json::Value* value = optional(name, json::Value::Kind::kInteger)) {
      if (value->negative) return fail(name, "must not be negative");
      out = value->magnitude;
    }
  }
  template <typename E>
  void enumeration(std::string_view name, E& out) {
    const json::Value* value = require(name, json::Value::Kind::kString);
    if (value == nullptr) return;
    const auto names = enumNames(out);
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == value->string) {
        out = static_cast<E>(i);
        return;
      }
    }
    fail(name, "unknown value \"" + value->string + "\"");
  }
  void textList(std::string_view name, std::vector<std::string>& out, size_t max_items, size_t) {
    const json::Value* value = require(name, json::Value::Kind::kArray);
    if (value == nullptr) return;
    if (value->array.size() > max_items) {
      return fail(name, "more than " + std::to_string(max_items) + " items");
    }
    for (const auto& item : value->array) {
      if (item.kind != json::Value::Kind::kString) return fail(name, "items must be strings");
      out.push_back(item.string);
    }
  }
  template <typename T>
  void object(std::string_view name, T& out) {
    const json::Value* value = require(name, json::Value::Kind::kObject);
    if (value == nullptr) return;
    JsonReader nested(*value, prefix_ + std::string(name) + ".");
    T::describe(out, nested);
    keep(nested.finish());
  }
  void typeCounts(std::string_view name, std::vector<DroppedCount>& out) {
    const json::Value* value = require(name, json::Value::Kind::kObject);
    if (value == nullptr) return;
    for (const auto& [type_name, count] : value->object) {
      const auto type = typeFromName(type_name);
      if (!type) return fail(name, "unknown event type \"" + type_name + "\"");
      if (count.kind != json::Value::Kind::kInteger || count.negative) {
        return fail(name, "counts must be non-negative integers");
      }
      out.push_back({*type, count.magnitude});
    }
    std::sort(out.begin(), out.end(),
              [](const DroppedCount& a, const DroppedCount& b) { return a.type < b.type; });
  }

  // The first error met, or an error naming a key no field consumed.
  Status finish() {
    if (status_.isOk() && names_.size() != object_.object.size()) {
      for (const auto& [key, value] : object_.object) {
        if (!consumedKeys(key)) {
          return Status::invalidArgument("unknown field " + prefix_ + key);
        }
      }
    }
    return status_;
  }

  void keep(const Status& status) {
    if (status_.isOk()) status_ = status;
  }
  void fail(std::string_view name, const std::string& why) {
    keep(Status::invalidArgument("field " + prefix_ + std::string(name) + ": " + why));
  }

  const json::Value* optional(std::string_view name, json::Value::Kind kind) {
    const json::Value* value = object_.find(name);
    if (value == nullptr) return nullptr;
    names_.push_back(name);
    if (value->kind != kind) {
      fail(name, "expected " + std::string(json::kindName(kind)) + ", got " +
                     std::string(json::kindName(value->kind)));
      return nullptr;
    }
    return value;
  }
  const json::Value* require(std::string_view name, json::Value::Kind kind) {
    if (object_.find(name) == nullptr) {
      fail(name, "missing");
      return nullptr;
    }
    return optional(name, kind);
  }

 private:
  bool consumedKeys(std::string_view key) const {
    return std::find(names_.begin(), names_.end(), key) != names_.end();
  }

  const json::Value& object_;
  std::string prefix_;
  std::vector<std::string_view> names_;  // keys consumed so far
  Status status_;
};

StatusOr<json::Value> parseObject(std::string_view text) {
  if (text.size() > kMaxEventJsonBytes) {
    return Status::invalidArgument("event larger than " + std::to_string(kMaxEventJsonBytes) +
                                   " bytes");
  }
  auto parsed = json::parse(text);
  if (!parsed.isOk()) return parsed.status();
  if (parsed->kind != json::Value::Kind::kObject) {
    return Status::invalidArgument("an event must be a JSON object");
  }
  return parsed;
}

StatusOr<EventType> parseType(const std::string& name) {
  const auto type = typeFromName(name);
  if (!type) return Status::invalidArgument("unknown event type \"" + name + "\"");
  return *type;
}

Status readPayload(EventType type, const json::Value& data, Payload& out) {
  out = emptyPayloadFor(type);
  JsonReader reader(data, "data.");
  std::visit([&](auto& p) { std::decay_t<decltype(p)>::describe(p, reader); }, out);
  return reader.finish();
}

}  // namespace

void appendJson(std::string& out, const Event& event) {
  out += "{\"schema\":";
  appendNumber(out, event.schema);
  out += ",\"id\":\"";
  out += toString(event.id);
  out += "\",\"seq\":";
  appendNumber(out, event.seq);
  out += ",\"time\":\"";
  out += formatUtcMillis(event.time_ms);
  out += "\",\"device\":";
  json::appendString(out, event.device);
  out += ",\"user\":";
  json::appendString(out, event.user);
  out += ",\"session\":";
  json::appendString(out, event.session);
  out += ",\"type\":\"";
  out += typeName(event.type);
  out += "\",\"data\":";
  appendData(out, event.data);
  out += ",\"prev\":";
  appendQuotedHex(out, event.prev);
  out += ",\"mac\":";
  appendQuotedHex(out, event.mac);
  out += '}';
}

std::string dataToJson(const Payload& payload) {
  std::string out;
  appendData(out, payload);
  return out;
}

std::string toJson(const Event& event) {
  std::string out;
  out.reserve(384);
  appendJson(out, event);
  return out;
}

StatusOr<Event> eventFromJson(std::string_view text) {
  auto parsed = parseObject(text);
  if (!parsed.isOk()) return parsed.status();
  JsonReader reader(*parsed, "");
  Event event;
  uint64_t schema = 0;
  std::string id, time, type_name, prev, mac;
  reader.number("schema", schema);
  reader.text("id", id, kMaxShortText);
  reader.number("seq", event.seq);
  reader.text("time", time, kMaxShortText);
  reader.text("device", event.device, kMaxShortText);
  reader.text("user", event.user, kMaxShortText);
  reader.text("session", event.session, kMaxShortText);
  reader.text("type", type_name, kMaxShortText);
  const json::Value* data = reader.require("data", json::Value::Kind::kObject);
  reader.text("prev", prev, kMaxShortText);
  reader.text("mac", mac, kMaxShortText);
  VIGIE_RETURN_IF_ERROR(reader.finish());

  if (schema != kSchemaVersion) {
    return Status::invalidArgument("unsupported schema version " + std::to_string(schema));
  }
  event.schema = kSchemaVersion;
  const auto uuid = parseUuidV7(id);
  if (!uuid) return Status::invalidArgument("field id: not a lower-case UUIDv7");
  event.id = *uuid;
  const auto time_ms = parseUtcMillis(time);
  if (!time_ms) return Status::invalidArgument("field time: expected YYYY-MM-DDTHH:MM:SS.mmmZ");
  event.time_ms = *time_ms;
  auto type = parseType(type_name);
  if (!type.isOk()) return type.status();
  event.type = *type;
  VIGIE_RETURN_IF_ERROR(parseHex("prev", prev, event.prev));
  VIGIE_RETURN_IF_ERROR(parseHex("mac", mac, event.mac));
  VIGIE_RETURN_IF_ERROR(readPayload(event.type, *data, event.data));
  VIGIE_RETURN_IF_ERROR(validate(event));
  return event;
}

std::string toJson(const Draft& draft) {
  std::string out = "{\"type\":\"";
  out += typeName(draft.type);
  out += "\",\"session\":";
  json::appendString(out, draft.session);
  out += ",\"data\":";
  appendData(out, draft.data);
  out += '}';
  return out;
}

StatusOr<Draft> draftFromJson(std::string_view text) {
  auto parsed = parseObject(text);
  if (!parsed.isOk()) return parsed.status();
  JsonReader reader(*parsed, "");
  Draft draft;
  std::string type_name;
  std::optional<std::string> session;
  reader.text("type", type_name, kMaxShortText);
  reader.optionalText("session", session, kMaxShortText);
  const json::Value* data = reader.require("data", json::Value::Kind::kObject);
  VIGIE_RETURN_IF_ERROR(reader.finish());
  auto type = parseType(type_name);
  if (!type.isOk()) return type.status();
  draft.type = *type;
  draft.session = session.value_or("");
  VIGIE_RETURN_IF_ERROR(readPayload(draft.type, *data, draft.data));
  VIGIE_RETURN_IF_ERROR(validate(draft));
  return draft;
}

}  // namespace vigie::protocol
