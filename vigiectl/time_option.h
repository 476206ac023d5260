#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "command_line.h"
#include "vigie/protocol/status.h"

namespace vigie::ctl {

// A --from/--to value in the API's form: "YYYY-MM-DDTHH:MM:SS.mmmZ" as is, or "YYYY-MM-DD" as
// that day's midnight UTC. Anything else is refused before a request is sent.
StatusOr<std::string> parseTimeOption(std::string_view option, std::string_view text);

// The --from and --to options given, in that order, each as parseTimeOption makes it:
// ("from", time) and ("to", time) pairs. The first bad one is refused, naming it.
StatusOr<std::vector<std::pair<std::string, std::string>>> periodOptions(const ParsedArgs& args);

}  // namespace vigie::ctl
