#include "detect/realtime_detection.h"

#include <Poco/Logger.h>

namespace vigie::collector {

StatusOr<std::unique_ptr<RealtimeDetection>> RealtimeDetection::start(
    const DetectionPolicy& policy, DetectionInputs inputs, EventStore& store,
    platform::Clock& clock, std::function<void()> on_alert, std::chrono::milliseconds tick) {
  std::unique_ptr<RealtimeDetection> detection(
      new RealtimeDetection(policy, inputs, clock, std::move(on_alert)));
  if (detection->engine_.runs(kRuleVolume)) {
    const int64_t now = clock.nowUnixMillis();
    auto counts = store.hourlyCounts(protocol::EventType::kCrmView,
                                     now - policy.volume.baseline_days * 24 * 3600 * 1000, now);
    if (!counts.isOk()) return counts.status().withContext("detection baselines");
    detection->engine_.warm(*counts);
  }
  RealtimeDetection* self = detection.get();
  detection->thread_ = std::thread([self, tick] {
    std::unique_lock lock(self->mutex_);
    while (!self->wake_.wait_for(lock, tick, [self] { return self->stopping_; })) {
      lock.unlock();
      self->tickNow();
      lock.lock();
    }
  });
  return detection;
}

RealtimeDetection::RealtimeDetection(const DetectionPolicy& policy, DetectionInputs inputs,
                                     platform::Clock& clock, std::function<void()> on_alert)
    : engine_(policy, inputs, EngineOptions{}), clock_(clock), on_alert_(std::move(on_alert)) {}

RealtimeDetection::~RealtimeDetection() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void RealtimeDetection::stored(const DeviceRecord& device, std::span<const EventToStore> events,
                               std::span<const Incident> incidents) {
  const uint64_t before = engine_.stats().alerts_raised;
  for (const EventToStore& stored_event : events) {
    // An event whose MAC does not hold is evidence of tampering, not of behaviour.
    if (stored_event.integrity == Integrity::kBadMac) continue;
    engine_.observe(*stored_event.event, eventBrand(*stored_event.event, device.brand));
  }
  for (const Incident& incident : incidents) engine_.observeIncident(incident, device.brand);
  notifyIfRaised(before);
}

void RealtimeDetection::tickNow() {
  const uint64_t before = engine_.stats().alerts_raised;
  const int64_t now_ms = clock_.nowUnixMillis();
  engine_.advanceTo(now_ms);
  notifyIfRaised(before);
  WorkstationSilence* silence = nullptr;
  {
    std::lock_guard lock(mutex_);
    silence = silence_;
  }
  if (silence == nullptr) return;
  auto raised = silence->check(now_ms);
  if (!raised.isOk()) {
    Poco::Logger::get("vigie-collector")
        .error("detection: workstation_silent: %s", raised.status().toString());
  } else if (*raised > 0 && on_alert_) {
    on_alert_();
  }
}

void RealtimeDetection::watchWorkstations(WorkstationSilence* silence) {
  std::lock_guard lock(mutex_);
  silence_ = silence;
}

void RealtimeDetection::notifyIfRaised(uint64_t raised_before) {
  if (on_alert_ && engine_.stats().alerts_raised != raised_before) on_alert_();
}

}  // namespace vigie::collector
