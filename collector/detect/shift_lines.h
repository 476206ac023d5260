#pragma once

// Shift schedules as administrators import them (POST /v1/shifts, `vigiectl shifts import`):
// JSON lines, strictly checked. Parsing only; the calendar that answers "on shift?" is shifts.h.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vigie/protocol/status.h"

namespace vigie::collector {

// One working period: on the days in `days` (bit 0 = Monday ... bit 6 = Sunday), from `start` to
// `end` minutes after local midnight; `end` <= `start` means it ends the next day (night shift).
struct Shift {
  std::string who;  // a login, or "team:NAME" for everyone in a team without their own shifts
  uint8_t days = 0;
  int start_minute = 0;
  int end_minute = 0;
};

// {"who":"alice","days":"mon-fri","start":"08:00","end":"16:30"}; days are "mon-fri",
// "mon,wed,sat", "sat-sun", ... Any bad line refuses the whole text, naming the line.
StatusOr<std::vector<Shift>> parseShiftLines(std::string_view text);
std::string describeShift(const Shift& shift);  // "mon-fri 08:00-16:30"

// Days as shifts spell them ("mon-fri", "mon,wed,sat", "fri-mon") -> bits (0 = Monday).
std::optional<uint8_t> parseDays(std::string_view text);
// "HH:MM", 00:00 to 24:00 -> minutes after midnight.
std::optional<int> parseClock(std::string_view text);

}  // namespace vigie::collector
