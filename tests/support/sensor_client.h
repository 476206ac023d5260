#pragma once

// A session sensor's side of the agent's socket, for end-to-end tests.

#include <string>
#include <string_view>
#include <vector>

#include "vigie/platform/local_socket.h"

namespace vigie::testing {

// A crm.view draft for `record_id`, as a sensor sends it.
std::string crmViewDraft(const std::string& record_id);

// Sends the lines, returns one reply per non-empty line ("ok <seq>" or "error ...").
std::vector<std::string> exchangeLines(platform::LocalStream& stream,
                                       const std::vector<std::string>& lines);

// Reads `expected` reply lines (fewer if the service closes the connection).
std::vector<std::string> readReplies(platform::LocalStream& stream, size_t expected);
// Reads reply lines up to and including `last` (fewer if the service closes the connection).
std::vector<std::string> readRepliesThrough(platform::LocalStream& stream, std::string_view last);

}  // namespace vigie::testing
