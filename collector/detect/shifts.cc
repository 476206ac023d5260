#include "detect/shifts.h"

#include <time.h>

#include <set>

#include "audit/json_lines.h"
#include "audit/text_rules.h"

namespace vigie::collector {
namespace {

namespace json = protocol::json;

constexpr std::string_view kDayNames[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
constexpr int kMinutesPerDay = 24 * 60;
constexpr size_t kMaxShiftLines = 10000;

std::optional<int> dayIndex(std::string_view name) {
  for (int i = 0; i < 7; ++i) {
    if (kDayNames[i] == name) return i;
  }
  return std::nullopt;
}

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

// Whether `minute` (from today's local midnight) falls in the occurrence of `shift` that starts
// `day_offset` days from today, widened by `grace`.
bool inOccurrence(const Shift& shift, int weekday, int day_offset, int minute, int64_t grace) {
  const int start_day = ((weekday + day_offset) % 7 + 7) % 7;
  if ((shift.days & (1u << start_day)) == 0) return false;
  const int end =
      shift.end_minute <= shift.start_minute ? shift.end_minute + kMinutesPerDay : shift.end_minute;
  const int64_t from = int64_t{day_offset} * kMinutesPerDay + shift.start_minute - grace;
  const int64_t to = int64_t{day_offset} * kMinutesPerDay + end + grace;
  return minute >= from && minute < to;
}

}  // namespace

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

LocalMinute processLocalTime(int64_t unix_ms) {
  const time_t seconds = static_cast<time_t>(unix_ms / 1000);
  struct tm local {};
  localtime_r(&seconds, &local);
  return {(local.tm_wday + 6) % 7, local.tm_hour * 60 + local.tm_min};
}

ShiftCalendar::ShiftCalendar(AuditDb& db, LocalTimeFn local_time)
    : db_(db), local_time_(std::move(local_time)) {}

Status ShiftCalendar::replace(const std::vector<Shift>& shifts) {
  std::set<std::string> named;
  for (const Shift& shift : shifts) named.insert(shift.who);
  VIGIE_RETURN_IF_ERROR(db_.transaction([&](sqlite3* db) -> Status {
    for (const std::string& who : named) {
      VIGIE_RETURN_IF_ERROR(
          sqlcipher::run(db, "DELETE FROM shifts WHERE who = ?", {std::string_view(who)}));
    }
    for (const Shift& shift : shifts) {
      VIGIE_RETURN_IF_ERROR(sqlcipher::run(
          db, "INSERT INTO shifts(who, days, start_minute, end_minute) VALUES (?, ?, ?, ?)",
          {std::string_view(shift.who), int64_t{shift.days}, int64_t{shift.start_minute},
           int64_t{shift.end_minute}}));
    }
    return Status::ok();
  }));
  std::lock_guard lock(mutex_);
  for (const std::string& who : named) by_who_.erase(who);
  for (const Shift& shift : shifts) by_who_[shift.who].push_back(shift);
  return Status::ok();
}

Status ShiftCalendar::load() {
  std::map<std::string, std::vector<Shift>, std::less<>> loaded;
  VIGIE_RETURN_IF_ERROR(db_.with([&](sqlite3* db) {
    return sqlcipher::run(db, "SELECT who, days, start_minute, end_minute FROM shifts", {},
                          [&](sqlite3_stmt* s) {
                            Shift shift;
                            shift.who = sqlcipher::columnText(s, 0);
                            shift.days = static_cast<uint8_t>(sqlcipher::columnInt(s, 1));
                            shift.start_minute = static_cast<int>(sqlcipher::columnInt(s, 2));
                            shift.end_minute = static_cast<int>(sqlcipher::columnInt(s, 3));
                            loaded[shift.who].push_back(shift);
                          });
  }));
  std::lock_guard lock(mutex_);
  by_who_ = std::move(loaded);
  return Status::ok();
}

std::vector<Shift> ShiftCalendar::all() const {
  std::lock_guard lock(mutex_);
  std::vector<Shift> shifts;
  for (const auto& [who, list] : by_who_) shifts.insert(shifts.end(), list.begin(), list.end());
  return shifts;
}

namespace {

template <typename Map>
const std::vector<Shift>* shiftsFor(const Map& by_who, std::string_view login,
                                    std::string_view team) {
  if (auto own = by_who.find(login); own != by_who.end()) return &own->second;
  if (team.empty()) return nullptr;
  if (auto of_team = by_who.find("team:" + std::string(team)); of_team != by_who.end()) {
    return &of_team->second;
  }
  return nullptr;
}

}  // namespace

std::optional<bool> ShiftCalendar::onShift(std::string_view login, std::string_view team,
                                           int64_t unix_ms, int64_t grace_minutes) const {
  std::lock_guard lock(mutex_);
  const std::vector<Shift>* shifts = shiftsFor(by_who_, login, team);
  if (shifts == nullptr) return std::nullopt;
  const LocalMinute now = local_time_(unix_ms);
  for (const Shift& shift : *shifts) {
    for (int day_offset : {-1, 0, 1}) {
      if (inOccurrence(shift, now.weekday, day_offset, now.minute, grace_minutes)) return true;
    }
  }
  return false;
}

std::string ShiftCalendar::scheduleOf(std::string_view login, std::string_view team) const {
  std::lock_guard lock(mutex_);
  const std::vector<Shift>* shifts = shiftsFor(by_who_, login, team);
  if (shifts == nullptr) return "";
  std::string described;
  for (const Shift& shift : *shifts) {
    if (!described.empty()) described += ", ";
    described += describeShift(shift);
  }
  return described;
}

}  // namespace vigie::collector
