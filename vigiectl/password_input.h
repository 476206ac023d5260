#pragma once

#include <string>

#include "vigie/protocol/status.h"

namespace vigie::ctl {

// A password from `file` when given (its first line), else from standard input when it is not a
// terminal (its first line), else typed at the terminal without echo after `prompt` on standard
// error — twice when `confirm`, and they must match. Line ends are not part of it; an empty
// password is refused.
StatusOr<std::string> readPassword(const std::string& file, const std::string& prompt,
                                   bool confirm);

}  // namespace vigie::ctl
