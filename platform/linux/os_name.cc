#include "vigie/platform/os_name.h"

#include <sys/utsname.h>

#include <fstream>

namespace vigie::platform {
namespace {

// PRETTY_NAME of an os-release file (os-release(5)): KEY=value, the value maybe quoted.
std::string prettyName(const char* path) {
  std::ifstream file(path);
  for (std::string line; std::getline(file, line);) {
    constexpr std::string_view kKey = "PRETTY_NAME=";
    if (!line.starts_with(kKey)) continue;
    std::string value = line.substr(kKey.size());
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    return value;
  }
  return {};
}

}  // namespace

std::string osName() {
  for (const char* path : {"/etc/os-release", "/usr/lib/os-release"}) {
    std::string name = prettyName(path);
    if (!name.empty()) return name;
  }
  utsname system{};
  if (::uname(&system) != 0) return {};
  return std::string(system.sysname) + " " + system.release;
}

}  // namespace vigie::platform
