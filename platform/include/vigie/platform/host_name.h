#pragma once

#include <string>

namespace vigie::platform {

// This machine's host name; empty when the OS gives none.
std::string hostName();

}  // namespace vigie::platform
