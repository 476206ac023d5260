#pragma once

#include <string>

#include "vigie/protocol/event.h"

namespace vigie::protocol {

// The canonical byte encoding that the HMAC chain covers (docs/events.md#canonical-encoding).
// Stable across platforms and compilers: big-endian integers, length-prefixed UTF-8, fields in
// `describe()` order, enumerations as their names. Covers every field but `prev` and `mac`.
void appendCanonical(std::string& out, const Event& event);
std::string canonicalBytes(const Event& event);

}  // namespace vigie::protocol
