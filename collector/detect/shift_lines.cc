#include "detect/shift_lines.h"

#include <optional>

#include "audit/json_lines.h"
#include "audit/text_rules.h"

namespace vigie::collector {
namespace {

namespace json = protocol::json;

constexpr std::string_view kDayNames[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
constexpr size_t kMaxShiftLines = 10000;

std::optional<int> dayIndex(std::string_view name) {
  for (int i = 0; i < 7; ++i) {
    if (kDayNames[i] == name) return i;
  }
  return std::nullopt;
}

std::string clockText(int minute) {
  const char digits[] = "0123456789";
  const int hours = minute / 60;
  const int minutes = minute % 60;
  return {digits[hours / 10], digits[hours % 10], ':', digits[minutes / 10], digits[minutes % 10]};
}

bool isWho(std::string_view who) {
  if (who.starts_with("team:")) who.remove_prefix(5);
  return isValidName(who);
}

StatusOr<Shift> parseShift(const json::Value& object) {
  Shift shift;
  auto who = requiredText(object, "who", 69);
  if (!who.isOk()) return who.status();
  if (!isWho(*who)) return Status::invalidArgument("\"who\" must be a login or team:NAME");
  shift.who = std::move(*who);
  auto days_text = requiredText(object, "days", 64);
  if (!days_text.isOk()) return days_text.status();
  auto days = parseDays(*days_text);
  if (!days) return Status::invalidArgument("\"days\" must be like mon-fri or mon,wed,sat");
  shift.days = *days;
  auto start_text = requiredText(object, "start", 5);
  auto end_text = requiredText(object, "end", 5);
  if (!start_text.isOk()) return start_text.status();
  if (!end_text.isOk()) return end_text.status();
  auto start = parseClock(*start_text);
  auto end = parseClock(*end_text);
  if (!start || !end) return Status::invalidArgument("\"start\" and \"end\" must be HH:MM");
  shift.start_minute = *start;
  shift.end_minute = *end;
  return shift;
}

}  // namespace

// "mon-fri", "mon,wed,sat", "fri-mon" (wrapping), "sun".
std::optional<uint8_t> parseDays(std::string_view text) {
  uint8_t days = 0;
  while (!text.empty()) {
    const size_t comma = std::min(text.find(','), text.size());
    std::string_view item = text.substr(0, comma);
    text.remove_prefix(std::min(comma + 1, text.size()));
    const size_t dash = item.find('-');
    auto first = dayIndex(item.substr(0, dash));
    auto last = dash == std::string_view::npos ? first : dayIndex(item.substr(dash + 1));
    if (!first || !last) return std::nullopt;
    for (int day = *first;; day = (day + 1) % 7) {
      days = static_cast<uint8_t>(days | (1u << day));
      if (day == *last) break;
    }
  }
  return days == 0 ? std::nullopt : std::optional<uint8_t>(days);
}

// "HH:MM", 00:00 to 24:00.
std::optional<int> parseClock(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  for (size_t i : {0u, 1u, 3u, 4u}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  const int hours = (text[0] - '0') * 10 + (text[1] - '0');
  const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
  if (minutes > 59 || hours > 24 || (hours == 24 && minutes != 0)) return std::nullopt;
  return hours * 60 + minutes;
}

StatusOr<std::vector<Shift>> parseShiftLines(std::string_view text) {
  std::vector<Shift> shifts;
  const JsonLinesFormat format{"shift", kMaxShiftLines, {"who", "days", "start", "end"}, ""};
  VIGIE_RETURN_IF_ERROR(forEachJsonLine(text, format, [&](const json::Value& object) -> Status {
    auto shift = parseShift(object);
    if (!shift.isOk()) return shift.status();
    shifts.push_back(std::move(shift).value());
    return Status::ok();
  }));
  return shifts;
}

std::string describeShift(const Shift& shift) {
  std::string days;
  for (int day = 0; day < 7; ++day) {
    if ((shift.days & (1u << day)) == 0) continue;
    // Runs of consecutive days are written first-last.
    int last = day;
    while (last < 6 && (shift.days & (1u << (last + 1))) != 0) ++last;
    if (!days.empty()) days += ',';
    days += kDayNames[day];
    if (last > day) days += "-" + std::string(kDayNames[last]);
    day = last;
  }
  return days + " " + clockText(shift.start_minute) + "-" + clockText(shift.end_minute);
}

}  // namespace vigie::collector
