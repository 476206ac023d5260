#include "detect/detection_policy.h"

#include <algorithm>
#include <variant>

#include "api/json_out.h"
#include "detect/shift_lines.h"

namespace vigie::collector {
namespace {

namespace json = protocol::json;

// One threshold of one rule: its name in detection.json, where it lives, its allowed range.
struct Knob {
  std::string_view name;
  std::variant<bool*, int64_t*, std::string*> value;
  int64_t low = 0;
  int64_t high = 0;
  bool (*valid)(std::string_view) = nullptr;  // for texts
  std::string_view expected = {};             // what `valid` takes, in words
};

bool validDays(std::string_view text) { return parseDays(text).has_value(); }
bool validClock(std::string_view text) { return parseClock(text).has_value(); }

struct RuleKnobs {
  std::string_view rule;
  std::vector<Knob> knobs;
};

constexpr int64_t kDay = 24 * 60;  // minutes

// The policy's members, listed once for the parser and the printer.
std::vector<RuleKnobs> knobsOf(DetectionPolicy& p) {
  return {
      {kRuleVolume,
       {{"enabled", &p.volume.enabled},
        {"baseline_days", &p.volume.baseline_days, 1, 90},
        {"min_baseline_hours", &p.volume.min_baseline_hours, 1, 1000},
        {"own_factor", &p.volume.own_factor, 1, 100},
        {"peer_factor", &p.volume.peer_factor, 1, 100},
        {"min_views_per_hour", &p.volume.min_views_per_hour, 1, 100000}}},
      {kRuleOffShift,
       {{"enabled", &p.off_shift.enabled}, {"grace_minutes", &p.off_shift.grace_minutes, 0, 240}}},
      {kRuleCopyAfterView,
       {{"enabled", &p.copy_after_view.enabled},
        {"window_seconds", &p.copy_after_view.window_seconds, 1, 3600},
        {"min_pii", &p.copy_after_view.min_pii, 1, 1000000},
        {"email", &p.copy_after_view.email},
        {"phone_fr", &p.copy_after_view.phone_fr},
        {"iban", &p.copy_after_view.iban},
        {"payment_card", &p.copy_after_view.payment_card},
        {"nir", &p.copy_after_view.nir}}},
      {kRuleMassExport,
       {{"enabled", &p.mass_export.enabled},
        {"max_rows", &p.mass_export.max_rows, 1, INT64_MAX},
        {"max_bytes", &p.mass_export.max_bytes, 1, INT64_MAX},
        {"max_pages", &p.mass_export.max_pages, 1, INT64_MAX},
        {"max_per_hour", &p.mass_export.max_per_hour, 1, 100000}}},
      {kRuleWatchlist, {{"enabled", &p.watchlist.enabled}}},
      {kRuleUnjustifiedAccess,
       {{"enabled", &p.unjustified_access.enabled},
        {"before_minutes", &p.unjustified_access.before_minutes, 0, kDay},
        {"after_minutes", &p.unjustified_access.after_minutes, 0, kDay},
        {"feed_delay_minutes", &p.unjustified_access.feed_delay_minutes, 0, kDay},
        {"known_agent_days", &p.unjustified_access.known_agent_days, 1, 365},
        {"min_records", &p.unjustified_access.min_records, 1, 1000}}},
      {kRuleSensorSilent,
       {{"enabled", &p.sensor_silent.enabled},
        {"silence_minutes", &p.sensor_silent.silence_minutes, 1, kDay}}},
      {kRuleIntegrity, {{"enabled", &p.integrity.enabled}}},
      {kRuleWorkstationSilent,
       {{"enabled", &p.workstation_silent.enabled},
        {"after_minutes", &p.workstation_silent.after_minutes, 0, kDay},
        {"days", &p.workstation_silent.days, 0, 0, validDays, "days such as \"mon-fri\""},
        {"start", &p.workstation_silent.start, 0, 0, validClock, "a time HH:MM"},
        {"end", &p.workstation_silent.end, 0, 0, validClock, "a time HH:MM"}}},
  };
}

Status setKnob(const Knob& knob, const json::Value& value, const std::string& where) {
  if (auto* flag = std::get_if<bool*>(&knob.value)) {
    if (value.kind != json::Value::Kind::kBool) {
      return Status::invalidArgument(where + ": expected true or false");
    }
    **flag = value.boolean;
    return Status::ok();
  }
  if (auto* text = std::get_if<std::string*>(&knob.value)) {
    if (value.kind != json::Value::Kind::kString || !knob.valid(value.string)) {
      return Status::invalidArgument(where + ": expected " + std::string(knob.expected));
    }
    **text = value.string;
    return Status::ok();
  }
  const auto range = std::to_string(knob.low) + ".." + std::to_string(knob.high);
  if (value.kind != json::Value::Kind::kInteger || value.negative ||
      value.magnitude > static_cast<uint64_t>(knob.high) ||
      static_cast<int64_t>(value.magnitude) < knob.low) {
    return Status::invalidArgument(where + ": expected a whole number in " + range);
  }
  *std::get<int64_t*>(knob.value) = static_cast<int64_t>(value.magnitude);
  return Status::ok();
}

}  // namespace

bool isRuleName(std::string_view name) {
  return std::find(std::begin(kAllRules), std::end(kAllRules), name) != std::end(kAllRules);
}

bool DetectionPolicy::enabled(std::string_view rule) const {
  DetectionPolicy copy = *this;
  for (const RuleKnobs& rule_knobs : knobsOf(copy)) {
    if (rule_knobs.rule == rule) return *std::get<bool*>(rule_knobs.knobs.front().value);
  }
  return false;
}

StatusOr<DetectionPolicy> parseDetectionPolicy(const json::Value& rules) {
  if (rules.kind != json::Value::Kind::kObject) {
    return Status::invalidArgument("rules: expected an object of rules");
  }
  DetectionPolicy policy;
  const std::vector<RuleKnobs> table = knobsOf(policy);
  for (const json::Member& rule : rules.object) {
    auto found = std::find_if(table.begin(), table.end(),
                              [&](const RuleKnobs& r) { return r.rule == rule.first; });
    if (found == table.end()) {
      return Status::invalidArgument("rules." + rule.first + ": no such rule");
    }
    if (rule.second.kind != json::Value::Kind::kObject) {
      return Status::invalidArgument("rules." + rule.first + ": expected an object");
    }
    for (const json::Member& member : rule.second.object) {
      const std::string where = "rules." + rule.first + "." + member.first;
      auto knob = std::find_if(found->knobs.begin(), found->knobs.end(),
                               [&](const Knob& k) { return k.name == member.first; });
      if (knob == found->knobs.end()) return Status::invalidArgument(where + ": no such setting");
      VIGIE_RETURN_IF_ERROR(setKnob(*knob, member.second, where));
    }
  }
  return policy;
}

std::string detectionPolicyJson(const DetectionPolicy& policy) {
  api::JsonOut out;
  DetectionPolicy copy = policy;
  for (const RuleKnobs& rule : knobsOf(copy)) {
    api::JsonOut settings;
    for (const Knob& knob : rule.knobs) {
      if (auto* flag = std::get_if<bool*>(&knob.value)) {
        settings.boolean(knob.name, **flag);
      } else if (auto* text = std::get_if<std::string*>(&knob.value)) {
        settings.text(knob.name, **text);
      } else {
        settings.number(knob.name, *std::get<int64_t*>(knob.value));
      }
    }
    out.raw(rule.rule, settings.done());
  }
  return out.done();
}

}  // namespace vigie::collector
