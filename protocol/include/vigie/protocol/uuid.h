#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigie::protocol {

using Uuid = std::array<uint8_t, 16>;

// RFC 9562 UUIDv7: 48-bit Unix milliseconds, version 7, 74 random bits (variant 10). Sortable by
// time. The caller supplies the randomness so that this header needs no OS.
Uuid makeUuidV7(int64_t unix_ms, const std::array<uint8_t, 10>& random);

// "0190f5c8-...": lower-case 8-4-4-4-12.
std::string toString(const Uuid& uuid);
// Accepts only the lower-case 8-4-4-4-12 form of a version-7 UUID.
std::optional<Uuid> parseUuidV7(std::string_view text);

}  // namespace vigie::protocol
