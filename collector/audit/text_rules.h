#pragma once

// What text from outside must look like before the collector stores or acts on it.

#include <cstddef>
#include <string_view>

namespace vigie::collector {

// Not empty, at most `max` bytes, no control characters (one line).
bool isCleanText(std::string_view text, size_t max);
// Account names, brands, logins: 1-64 characters of [A-Za-z0-9._@-].
bool isValidName(std::string_view name);

}  // namespace vigie::collector
