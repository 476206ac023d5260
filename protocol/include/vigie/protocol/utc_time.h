#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigie::protocol {

// Event times travel as "YYYY-MM-DDTHH:MM:SS.mmmZ" (UTC, milliseconds, exactly 24 characters).
std::string formatUtcMillis(int64_t unix_ms);
// Accepts exactly the form above, years 1970-9999.
std::optional<int64_t> parseUtcMillis(std::string_view text);

}  // namespace vigie::protocol
