#pragma once

// Lower-case hexadecimal, the protocol's one spelling of binary values (MACs, keys).

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "vigie/protocol/status.h"

namespace vigie::protocol {

void appendHex(std::string& out, std::span<const uint8_t> bytes);
std::string toHex(std::span<const uint8_t> bytes);

// Fills `out` from exactly 2 * out.size() lower-case hex digits; otherwise an error naming
// `field`.
Status parseHex(std::string_view field, std::string_view hex, std::span<uint8_t> out);

}  // namespace vigie::protocol
