#pragma once

#include <string_view>

namespace vigie::protocol {

// True when `text` is well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, max U+10FFFF).
bool isValidUtf8(std::string_view text);

}  // namespace vigie::protocol
