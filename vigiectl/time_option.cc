#include "time_option.h"

#include "vigie/protocol/utc_time.h"

namespace vigie::ctl {

StatusOr<std::string> parseTimeOption(std::string_view option, std::string_view text) {
  std::string full(text);
  if (text.size() == 10) full += "T00:00:00.000Z";
  if (!protocol::parseUtcMillis(full)) {
    return Status::invalidArgument("--" + std::string(option) +
                                   " expects YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS.mmmZ (UTC), got '" +
                                   std::string(text) + "'");
  }
  return full;
}

}  // namespace vigie::ctl
