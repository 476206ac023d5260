#include "detect/shifts.h"

#include <time.h>

#include <set>

namespace vigie::collector {
namespace {

constexpr int kMinutesPerDay = 24 * 60;

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
  VIGIE_RETURN_IF_ERROR(db_.transaction([&](Sql& db) -> Status {
    for (const std::string& who : named) {
      VIGIE_RETURN_IF_ERROR(db.run("DELETE FROM shifts WHERE who = ?", {std::string_view(who)}));
    }
    for (const Shift& shift : shifts) {
      VIGIE_RETURN_IF_ERROR(
          db.run("INSERT INTO shifts(who, days, start_minute, end_minute) VALUES (?, ?, ?, ?)",
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
  VIGIE_RETURN_IF_ERROR(db_.with([&](Sql& db) {
    return db.run("SELECT who, days, start_minute, end_minute FROM shifts", {},
                  [&](const SqlRow& s) {
                    Shift shift;
                    shift.who = s.text(0);
                    shift.days = static_cast<uint8_t>(s.integer(1));
                    shift.start_minute = static_cast<int>(s.integer(2));
                    shift.end_minute = static_cast<int>(s.integer(3));
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
