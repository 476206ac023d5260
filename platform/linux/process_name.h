#pragma once

#include <cstdint>
#include <string>

namespace vigie::platform {

// The executable name of a running process (/proc/<pid>/comm); "" when it has exited or the
// pid is 0.
std::string processName(int32_t pid);

}  // namespace vigie::platform
