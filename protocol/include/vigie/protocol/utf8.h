#pragma once

#include <string>
#include <string_view>

namespace vigie::protocol {

// True when `text` is well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, max U+10FFFF).
bool isValidUtf8(std::string_view text);

// `text` cut to at most `max_bytes` without splitting a character. REQUIRES: valid UTF-8.
std::string truncateUtf8(std::string text, size_t max_bytes);

}  // namespace vigie::protocol
