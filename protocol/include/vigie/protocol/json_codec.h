#pragma once

#include <string>
#include <string_view>

#include "vigie/protocol/event.h"
#include "vigie/protocol/status.h"

namespace vigie::protocol {

// JSON form of an event (docs/events.md): one object, envelope fields then "data". Compact, no
// white space, fields in a fixed order. REQUIRES: validate(event).isOk().
void appendJson(std::string& out, const Event& event);
std::string toJson(const Event& event);

// The "data" object alone, e.g. for display. REQUIRES: the payload passed validate().
std::string dataToJson(const Payload& payload);

// Strict decoding: unknown type or field, missing or mistyped field, oversized text, invalid
// UTF-8 or a document over kMaxEventJsonBytes give an error naming the problem. Never throws.
StatusOr<Event> eventFromJson(std::string_view text);

// What a session sensor sends: {"type": ..., "session": ..., "data": {...}}.
std::string toJson(const Draft& draft);
StatusOr<Draft> draftFromJson(std::string_view text);

}  // namespace vigie::protocol
