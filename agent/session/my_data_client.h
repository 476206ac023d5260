#pragma once

// The person's side of "my data" (docs/sensor-protocol.md): asks the agent service what it
// recorded about the person running this program today. The service answers from the kernel's
// word on who is asking; nothing here names a user.

#include <cstdint>
#include <string>
#include <vector>

#include "vigie/protocol/json.h"
#include "vigie/protocol/status.h"

namespace vigie::session {

struct MyDataItem {
  uint64_t seq = 0;
  int64_t time_ms = 0;
  std::string session;
  std::string type;
  protocol::json::Value data;  // the event's data object
  std::string line;            // the entry as the service sent it (a JSON object)
};

struct MyData {
  std::string user;
  int64_t since_ms = 0;
  uint64_t dropped = 0;
  std::vector<MyDataItem> items;
};

StatusOr<MyData> fetchMyData(const std::string& socket_path);
// Decodes the service's answer lines, terminator excluded.
StatusOr<MyData> decodeMyData(const std::vector<std::string>& lines);

}  // namespace vigie::session
