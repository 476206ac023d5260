#pragma once

// The files of the detection feeds, read for `vigiectl calls import` and `vigiectl shifts import`:
// CSV checked line by line with the collector's own rules (docs/vigiectl.md) and turned into the
// JSON lines of POST /v1/calls and POST /v1/shifts. A bad row refuses the whole file, naming its
// line, before anything is sent.

#include <string_view>
#include <vector>

#include "line_chunks.h"
#include "vigie/protocol/status.h"

namespace vigie::ctl {

// Header id,kind,agent,start,end,record_id,campaign (kind, record_id and campaign may be left
// out). kind is call (the default), ticket or callback; agent a login; start and end
// YYYY-MM-DDTHH:MM:SS.mmmZ, end not before start and at most 24 hours after.
StatusOr<std::vector<NumberedLine>> parseCallsCsv(std::string_view text);

// Header who,days,start,end: who a login or team:NAME, days like mon-fri or mon,wed,sat, start
// and end HH:MM (local time; an end before the start ends the next day).
StatusOr<std::vector<NumberedLine>> parseShiftsCsv(std::string_view text);

}  // namespace vigie::ctl
