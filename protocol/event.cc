#include "vigie/protocol/event.h"

namespace vigie::protocol {
namespace {

constexpr std::array<std::string_view, kEventTypeCount> kTypeNames = {
    "crm.view",       "app.focus",     "clipboard.copy",      "file.export",
    "print.job",      "session.logon", "session.logoff",      "session.lock",
    "session.unlock", "notice.shown",  "notice.acknowledged", "agent.start",
    "agent.stop",     "agent.gap",     "agent.policy",        "agent.integrity",
};

constexpr std::array<EventType, kEventTypeCount> kAllTypes = {
    EventType::kCrmView,        EventType::kAppFocus,           EventType::kClipboardCopy,
    EventType::kFileExport,     EventType::kPrintJob,           EventType::kSessionLogon,
    EventType::kSessionLogoff,  EventType::kSessionLock,        EventType::kSessionUnlock,
    EventType::kNoticeShown,    EventType::kNoticeAcknowledged, EventType::kAgentStart,
    EventType::kAgentStop,      EventType::kAgentGap,           EventType::kAgentPolicy,
    EventType::kAgentIntegrity,
};

constexpr std::array<std::string_view, 2> kCrmModeNames = {"view", "edit"};
constexpr std::array<std::string_view, 5> kPathClassNames = {"downloads", "desktop", "removable",
                                                             "network_share", "other"};
constexpr std::array<std::string_view, 6> kGapReasonNames = {
    "queue_full", "age_limit", "disk_full", "sensor_lost", "write_failed", "rejected"};
constexpr std::array<std::string_view, 3> kIntegrityNames = {"queue_unreadable", "chain_restarted",
                                                            "policy_refused"};

}  // namespace

std::string_view typeName(EventType type) { return kTypeNames[static_cast<size_t>(type)]; }

std::optional<EventType> typeFromName(std::string_view name) {
  for (size_t i = 0; i < kTypeNames.size(); ++i) {
    if (kTypeNames[i] == name) return kAllTypes[i];
  }
  return std::nullopt;
}

std::span<const EventType> allEventTypes() { return kAllTypes; }

Priority priorityOf(EventType type) {
  switch (type) {
    case EventType::kAppFocus:
      return Priority::kLow;
    case EventType::kCrmView:
    case EventType::kClipboardCopy:
    case EventType::kFileExport:
    case EventType::kPrintJob:
      return Priority::kNormal;
    default:
      // Session, notice and agent events are few and explain everything else: keep them longest.
      return Priority::kHigh;
  }
}

bool isSensorType(EventType type) {
  switch (type) {
    case EventType::kAgentStart:
    case EventType::kAgentStop:
    case EventType::kAgentGap:
    case EventType::kAgentPolicy:
    case EventType::kAgentIntegrity:
      return false;
    default:
      return true;
  }
}

std::span<const std::string_view> enumNames(CrmMode) { return kCrmModeNames; }
std::span<const std::string_view> enumNames(PathClass) { return kPathClassNames; }
std::span<const std::string_view> enumNames(GapReason) { return kGapReasonNames; }
std::span<const std::string_view> enumNames(IntegrityIncident) { return kIntegrityNames; }

Payload emptyPayloadFor(EventType type) {
  switch (type) {
    case EventType::kCrmView:
      return CrmView{};
    case EventType::kAppFocus:
      return AppFocus{};
    case EventType::kClipboardCopy:
      return ClipboardCopy{};
    case EventType::kFileExport:
      return FileExport{};
    case EventType::kPrintJob:
      return PrintJob{};
    case EventType::kSessionLogon:
    case EventType::kSessionLogoff:
    case EventType::kSessionLock:
    case EventType::kSessionUnlock:
      return SessionChange{};
    case EventType::kNoticeShown:
    case EventType::kNoticeAcknowledged:
      return Notice{};
    case EventType::kAgentStart:
      return AgentStart{};
    case EventType::kAgentStop:
      return AgentStop{};
    case EventType::kAgentGap:
      return AgentGap{};
    case EventType::kAgentPolicy:
      return AgentPolicy{};
    case EventType::kAgentIntegrity:
      return AgentIntegrity{};
  }
  return AgentStart{};
}

bool payloadMatches(EventType type, const Payload& payload) {
  return emptyPayloadFor(type).index() == payload.index();
}

}  // namespace vigie::protocol
