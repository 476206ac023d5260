#include "sample_events.h"

#include <string>

namespace vigie::testing {

using namespace protocol;

Event sampleEvent(EventType type) {
  Event event;
  event.id = makeUuidV7(1764337698123, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
  event.time_ms = 1764337698123;
  event.device = "dev-5f3a";
  event.user = "amelie.martin";
  event.session = "c2";
  event.type = type;
  switch (type) {
    case EventType::kCrmView:
      event.data = CrmView{"crm-web",      "customer",     "C-104233",
                           CrmMode::kEdit, "Acme Energie", "Fiche client C-104233 – Acme"};
      break;
    case EventType::kAppFocus:
      event.data = AppFocus{"crm-desktop", "Recherche client"};
      break;
    case EventType::kClipboardCopy:
      event.data = ClipboardCopy{"chromium",
                                 "https://crm.example/customers/C-104233",
                                 {"UTF8_STRING", "text/html"},
                                 412,
                                 PiiCounts{1, 2, 1, 0, 1},
                                 "3f9a0c"};
      break;
    case EventType::kFileExport:
      event.data = FileExport{PathClass::kRemovable, "csv", 183'220, "libreoffice", 1200, 3};
      break;
    case EventType::kPrintJob:
      event.data = PrintJob{"office-2nd-floor", 12, 2, "pdf"};
      break;
    case EventType::kSessionLogon:
    case EventType::kSessionLogoff:
    case EventType::kSessionLock:
    case EventType::kSessionUnlock:
      event.data = SessionChange{};
      break;
    case EventType::kNoticeShown:
    case EventType::kNoticeAcknowledged:
      event.data = Notice{"recording-notice", "2026-09"};
      break;
    case EventType::kAgentStart:
      event.data = AgentStart{"0.1.0"};
      break;
    case EventType::kAgentStop:
      event.data = AgentStop{"shutdown"};
      break;
    case EventType::kAgentGap:
      event.data = AgentGap{
          GapReason::kQueueFull, {{EventType::kCrmView, 10}, {EventType::kAppFocus, 3}}, 100, 112};
      break;
    case EventType::kAgentPolicy:
      event.data = AgentPolicy{"policy-7", 7};
      break;
    case EventType::kAgentIntegrity:
      event.data = AgentIntegrity{IntegrityIncident::kQueueUnreadable, "file is not a database",
                                  "/var/lib/vigie/queue.db.unreadable-1"};
      break;
  }
  return event;
}

std::vector<Event> sampleEventsOfEveryType() {
  std::vector<Event> events;
  for (EventType type : allEventTypes()) events.push_back(sampleEvent(type));
  return events;
}

Event typicalCrmView(uint64_t n) {
  Event event = sampleEvent(EventType::kCrmView);
  auto& view = std::get<CrmView>(event.data);
  view.record_id = "C-" + std::to_string(100000 + n);
  view.title.reset();
  view.mode = CrmMode::kView;
  event.time_ms += static_cast<int64_t>(n);
  return event;
}

std::vector<Event> typicalCrmViews(size_t count, uint64_t first) {
  std::vector<Event> events;
  events.reserve(count);
  for (size_t i = 0; i < count; ++i) events.push_back(typicalCrmView(first + i));
  return events;
}

}  // namespace vigie::testing
