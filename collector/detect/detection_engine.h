#pragma once

// The detection rules (docs/detection.md) over one stream of events. The same engine runs in
// real time, fed by the ingestor after each batch is stored, and after the fact, fed from the
// store by a retrospective run: a rule is written once. It raises alerts into the AlertStore;
// a failure to store one is counted and logged, never thrown at the ingest path.

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "audit/directory.h"
#include "detect/alerts.h"
#include "detect/detection_policy.h"
#include "detect/shifts.h"
#include "detect/telephony.h"
#include "detect/watchlist.h"
#include "vigie/collector/event_store.h"
#include "vigie/protocol/event.h"

namespace vigie::collector {

// What the rules consult besides the events. All outlive the engine.
struct DetectionInputs {
  CallLog& calls;
  ShiftCalendar& shifts;
  Watchlist& watchlist;
  Directory& directory;
  AlertStore& alerts;
};

struct EngineOptions {
  std::string origin = "realtime";  // stamped on the alerts it raises ("run:<id>" after the fact)
  std::vector<std::string> rules;   // the rules to run; empty: every rule the policy enables
  // Real time, a rule that waits for the telephony feed also allows for its delay.
  bool realtime = true;
  // Alerts about behaviour before this instant are not raised (history read only to warm up).
  int64_t raise_from_ms = INT64_MIN;
};

struct EngineStats {
  uint64_t events = 0;
  uint64_t alerts_raised = 0;   // new alerts
  uint64_t alerts_updated = 0;  // evidence added to an existing one
  uint64_t errors = 0;          // alerts that could not be stored (logged)
};

// The event types the rules read; a run after the fact reads only these.
std::span<const protocol::EventType> detectionEventTypes();

class DetectionEngine {
 public:
  DetectionEngine(const DetectionPolicy& policy, DetectionInputs inputs, EngineOptions options);
  ~DetectionEngine();

  // Per-person views per hour from the store, for the volume rule's baselines.
  void warm(const std::vector<HourlyCount>& views_per_hour);

  // One stored event, with the brand it was stored under. Thread-safe; a person's events are
  // expected in (nearly) time order.
  void observe(const protocol::Event& event, std::string_view brand);
  // An integrity incident found by the ingestor.
  void observeIncident(const Incident& incident, std::string_view brand);
  // Time has reached `now_ms`: decides the accesses whose call window has closed, and silences.
  void advanceTo(int64_t now_ms);

  EngineStats stats() const;
  // Whether this engine runs `rule` (listed in its options, or enabled by the policy).
  bool runs(std::string_view rule) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace vigie::collector
