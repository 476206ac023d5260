#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace vigie::protocol {

// The seconds of an HTTP Retry-After value (0-86400); nullopt for an HTTP date, anything else or
// an absurd delay, so that the caller's own backoff applies.
std::optional<int64_t> parseRetryAfterSeconds(std::string_view value);

}  // namespace vigie::protocol
