#pragma once

#include <optional>

#include "session_policy.h"
#include "vigie/platform/desktop_watcher.h"
#include "vigie/protocol/event.h"

namespace vigie::session {

// What a foreground window means under the policy: a CRM screen showing a record (crm.view), a
// named work tool (app.focus), or nothing to record (nullopt). The raw title is dropped unless
// the matching rule keeps it.
struct Recognized {
  protocol::EventType type = protocol::EventType::kAppFocus;
  protocol::Payload data;
};
std::optional<Recognized> recognizeWindow(const SessionPolicy& policy,
                                          const platform::ForegroundWindow& window);

// The application a clipboard copy belongs to: the policy application whose process pattern
// matches the owner (or whose source_urls match the copy's page); nullptr when none does.
const ApplicationRule* applicationOfCopy(const SessionPolicy& policy,
                                         const platform::ClipboardChange& change);

}  // namespace vigie::session
