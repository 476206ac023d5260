#include "vigie/platform/host_name.h"

#include <unistd.h>

namespace vigie::platform {

std::string hostName() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) return {};
  return host;
}

}  // namespace vigie::platform
