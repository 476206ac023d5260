#include "vigie/protocol/retry_after.h"

namespace vigie::protocol {

std::optional<int64_t> parseRetryAfterSeconds(std::string_view value) {
  if (value.empty()) return std::nullopt;
  int64_t seconds = 0;
  for (char c : value) {
    if (c < '0' || c > '9' || seconds > 86'400) return std::nullopt;
    seconds = seconds * 10 + (c - '0');
  }
  return seconds;
}

}  // namespace vigie::protocol
