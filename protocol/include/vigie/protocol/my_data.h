#pragma once

// "My data" on the sensor socket (docs/sensor-protocol.md): a person asks the agent service what
// it recorded about them today; the service answers with its journal of that person only.
//
//   -> {"request":"my_data"}
//   <- {"user":"alice","since":"2026-12-02T07:00:00.000Z","dropped":0,"entries":2}
//   <- {"seq":3,"time":"...","session":"7","type":"crm.view","data":{...}}   (one per entry)
//   <- end my_data

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "vigie/protocol/event.h"
#include "vigie/protocol/status.h"

namespace vigie::protocol {

inline constexpr std::string_view kMyDataRequest = R"({"request":"my_data"})";
inline constexpr std::string_view kMyDataEnd = "end my_data";

struct MyDataHeader {
  std::string user;
  int64_t since_ms = 0;  // what the service knows starts here
  uint64_t dropped = 0;  // entries of today it no longer holds
  uint64_t entries = 0;  // entry lines that follow
};

struct MyDataEntry {
  uint64_t seq = 0;
  int64_t time_ms = 0;
  std::string session;
  EventType type = EventType::kSessionLogon;
  std::string data_json;  // the event's data object, as dataToJson() wrote it
};

// A sensor line whose object has a "request" member is a request, never a draft (drafts refuse
// unknown members): its name. nullopt for any other line; an error for a malformed request.
StatusOr<std::optional<std::string>> requestOf(std::string_view line);

std::string myDataHeaderLine(const MyDataHeader& header);
std::string myDataEntryLine(const MyDataEntry& entry);

}  // namespace vigie::protocol
