#include "vigie/protocol/validate.h"

#include <string>

#include "vigie/protocol/utf8.h"

namespace vigie::protocol {
namespace {

// Walks a payload's fields and keeps the first problem found.
class Validator {
 public:
  explicit Validator(std::string prefix) : prefix_(std::move(prefix)) {}

  void text(std::string_view name, const std::string& value, size_t max) {
    checkText(name, value, max);
  }
  void optionalText(std::string_view name, const std::optional<std::string>& value, size_t max) {
    if (value) checkText(name, *value, max);
  }
  void number(std::string_view, uint64_t) {}
  void optionalNumber(std::string_view, const std::optional<uint64_t>&) {}
  template <typename E>
  void enumeration(std::string_view name, E value) {
    if (static_cast<size_t>(value) >= enumNames(value).size()) fail(name, "unknown value");
  }
  void textList(std::string_view name, const std::vector<std::string>& values, size_t max_items,
                size_t max_length) {
    if (values.size() > max_items) fail(name, "more than " + std::to_string(max_items) + " items");
    for (const auto& value : values) checkText(name, value, max_length);
  }
  template <typename T>
  void object(std::string_view name, const T& value) {
    Validator nested(prefix_ + std::string(name) + ".");
    T::describe(value, nested);
    if (status_.isOk()) status_ = nested.status_;
  }
  void typeCounts(std::string_view name, const std::vector<DroppedCount>& counts) {
    for (size_t i = 0; i < counts.size(); ++i) {
      if (static_cast<size_t>(counts[i].type) >= kEventTypeCount) fail(name, "unknown type");
      if (counts[i].count == 0) fail(name, "counts must be positive");
      if (i > 0 && counts[i - 1].type >= counts[i].type) fail(name, "types repeated or unsorted");
    }
  }

  void checkText(std::string_view name, std::string_view value, size_t max) {
    if (value.size() > max) {
      fail(name, "longer than " + std::to_string(max) + " bytes");
    } else if (!isValidUtf8(value)) {
      fail(name, "not valid UTF-8");
    }
  }

  void fail(std::string_view name, const std::string& why) {
    if (status_.isOk()) {
      status_ = Status::invalidArgument("field " + prefix_ + std::string(name) + ": " + why);
    }
  }

  const Status& status() const { return status_; }

 private:
  std::string prefix_;
  Status status_;
};

Status validatePayload(EventType type, const Payload& payload) {
  if (static_cast<size_t>(type) >= kEventTypeCount) {
    return Status::invalidArgument("unknown event type");
  }
  if (!payloadMatches(type, payload)) {
    return Status::invalidArgument("payload does not match type " + std::string(typeName(type)));
  }
  Validator validator("data.");
  std::visit([&](const auto& p) { std::decay_t<decltype(p)>::describe(p, validator); }, payload);
  return validator.status();
}

}  // namespace

Status validate(const Event& event) {
  if (event.schema != kSchemaVersion) {
    return Status::invalidArgument("unsupported schema version " + std::to_string(event.schema));
  }
  Validator envelope("");
  envelope.checkText("device", event.device, kMaxShortText);
  envelope.checkText("user", event.user, kMaxShortText);
  envelope.checkText("session", event.session, kMaxShortText);
  VIGIE_RETURN_IF_ERROR(envelope.status());
  return validatePayload(event.type, event.data);
}

Status validate(const Draft& draft) {
  Validator envelope("");
  envelope.checkText("session", draft.session, kMaxShortText);
  VIGIE_RETURN_IF_ERROR(envelope.status());
  return validatePayload(draft.type, draft.data);
}

}  // namespace vigie::protocol
