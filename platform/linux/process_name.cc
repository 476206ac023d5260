#include "process_name.h"

#include <fstream>

namespace vigie::platform {

std::string processName(int32_t pid) {
  if (pid <= 0) return {};
  std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
  std::string name;
  std::getline(comm, name);
  return name;
}

}  // namespace vigie::platform
