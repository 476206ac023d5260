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

StatusOr<std::vector<std::pair<std::string, std::string>>> periodOptions(const ParsedArgs& args) {
  std::vector<std::pair<std::string, std::string>> period;
  for (const char* option : {"from", "to"}) {
    if (!args.has(option)) continue;
    auto time = parseTimeOption(option, args.text(option));
    if (!time.isOk()) return time.status();
    period.emplace_back(option, std::move(time).value());
  }
  return period;
}

}  // namespace vigie::ctl
