#pragma once

// SHA-256 and HMAC-SHA256 over byte strings (hex: protocol/hex.h), and a comparison that does not leak where two
// secrets differ.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace vigie::crypto {

using Digest = std::array<uint8_t, 32>;

Digest sha256(std::string_view data);
Digest hmacSha256(std::span<const uint8_t> key, std::string_view data);
// Equal length and content, in time that depends only on the length.
bool constantTimeEquals(std::string_view a, std::string_view b);

}  // namespace vigie::crypto
