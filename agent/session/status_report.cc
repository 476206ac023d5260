#include "status_report.h"

#include <map>

#include "notice_text.h"
#include "recording_periods.h"
#include "vigie/protocol/utc_time.h"

namespace vigie::session {
namespace {

namespace json = protocol::json;
using Kind = json::Value::Kind;

constexpr const char* kDayNames[kDaysPerWeek] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

std::string two(int n) {
  return std::string(1, static_cast<char>('0' + n / 10)) + static_cast<char>('0' + n % 10);
}

std::string localClock(const platform::TimeZone& zone, int64_t unix_ms) {
  const platform::LocalTime local = zone.toLocal(unix_ms);
  return two(local.hour) + ":" + two(local.minute) + ":" + two(local.second);
}

// A data member for people: strings and numbers as they are, lists joined, counts only when set.
std::string valueText(const json::Value& value) {
  switch (value.kind) {
    case Kind::kString:
      return value.string;
    case Kind::kInteger:
      return (value.negative ? "-" : "") + std::to_string(value.magnitude);
    case Kind::kBool:
      return value.boolean ? "yes" : "no";
    case Kind::kArray: {
      std::string out;
      for (const json::Value& item : value.array) out += (out.empty() ? "" : ",") + valueText(item);
      return out;
    }
    case Kind::kObject: {
      std::string out;
      for (const json::Member& member : value.object) {
        if (member.second.kind == Kind::kInteger && member.second.magnitude == 0) continue;
        out += (out.empty() ? "" : " ") + member.first + ":" + valueText(member.second);
      }
      return out.empty() ? "none" : out;
    }
    case Kind::kNull:
      break;
  }
  return "";
}

std::string periodLine(const SessionPolicy& policy, const platform::TimeZone& zone,
                       int64_t now_ms) {
  const auto& periods = policy.recording_periods;
  if (periods.empty()) return "Call recording periods: none in the policy\n";
  std::string out;
  if (auto current = periodAt(periods, zone, now_ms)) {
    const RecordingPeriod& period = periods[current->index];
    out += "Call recording: in progress, " + clockText(period.start_minute) + " to " +
           clockText(period.end_minute) + " today: " + period.what + "\n";
  } else {
    out += "Call recording: not now\n";
  }
  if (auto next = nextPeriodAfter(periods, zone, now_ms)) {
    const RecordingPeriod& period = periods[next->index];
    out += std::string("Next recording period: ") +
           kDayNames[zone.toLocal(next->start_ms).weekday] + " " + clockText(period.start_minute) +
           " to " + clockText(period.end_minute) + ": " + period.what + "\n";
  }
  return out;
}

}  // namespace

std::string statusText(const SessionPolicy& policy, const std::string& policy_path,
                       const StatusOr<MyData>& data, const platform::TimeZone& zone,
                       int64_t now_ms) {
  std::string out = "Policy in force: " + policy.version + " (serial " +
                    std::to_string(policy.serial) +
                    (policy.activated.empty() ? "" : ", activated " + policy.activated) +
                    ", notice version " + noticeVersion(policy) + ") from " + policy_path + "\n";
  if (policy.notice) {
    for (const std::string& purpose : policy.notice->purposes) out += "Purpose: " + purpose + "\n";
    out +=
        "Controller: " + policy.notice->controller + "\nContact: " + policy.notice->contact + "\n";
  } else {
    out += "Purposes and contact: not stated by this policy\n";
  }
  out += periodLine(policy, zone, now_ms);
  if (!data.isOk()) {
    return out + "Recorded about you today: unknown (" + data.status().message() + ")\n";
  }
  std::map<std::string, uint64_t> counts;
  for (const MyDataItem& item : data->items) ++counts[item.type];
  out += "Recorded about " + data->user + " today, since " + localClock(zone, data->since_ms) +
         ": " + std::to_string(data->items.size()) + " events" +
         (data->dropped > 0 ? " (and " + std::to_string(data->dropped) + " earlier)" : "") + "\n";
  for (const auto& [type, count] : counts) {
    out += "  " + type + std::string(type.size() < 18 ? 18 - type.size() : 1, ' ') +
           std::to_string(count) + "\n";
  }
  out += "The list: vigie-session --my-data\n";
  return out;
}

std::string myDataText(const MyData& data, const platform::TimeZone& zone) {
  std::string out = "What Vigie recorded about " + data.user + " today, since " +
                    localClock(zone, data.since_ms) + " (" + std::to_string(data.items.size()) +
                    " events):\n";
  for (const MyDataItem& item : data.items) {
    out += localClock(zone, item.time_ms) + "  " + item.type;
    std::string fields;
    for (const json::Member& member : item.data.object) {
      fields += (fields.empty() ? "" : ", ") + member.first + " " + valueText(member.second);
    }
    if (!fields.empty()) out += "  " + fields;
    out += "\n";
  }
  if (data.dropped > 0) {
    out += std::to_string(data.dropped) +
           " earlier events of today are no longer held for this list (they are still recorded).\n";
  }
  return out;
}

std::string myDataJson(const MyData& data) {
  std::string out = "{\"user\":";
  json::appendString(out, data.user);
  out += ",\"since\":\"" + protocol::formatUtcMillis(data.since_ms) +
         "\",\"dropped\":" + std::to_string(data.dropped) + ",\"entries\":[";
  for (size_t i = 0; i < data.items.size(); ++i) out += (i == 0 ? "" : ",") + data.items[i].line;
  out += "]}\n";
  return out;
}

}  // namespace vigie::session
