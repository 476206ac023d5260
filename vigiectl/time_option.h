#pragma once

#include <string>
#include <string_view>

#include "vigie/protocol/status.h"

namespace vigie::ctl {

// A --from/--to value in the API's form: "YYYY-MM-DDTHH:MM:SS.mmmZ" as is, or "YYYY-MM-DD" as
// that day's midnight UTC. Anything else is refused before a request is sent.
StatusOr<std::string> parseTimeOption(std::string_view option, std::string_view text);

}  // namespace vigie::ctl
