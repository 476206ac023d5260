#pragma once

#include <string>

namespace vigie::platform {

// The operating system's name and version as people know it ("Debian GNU/Linux 12 (bookworm)");
// empty when the OS does not say.
std::string osName();

}  // namespace vigie::platform
