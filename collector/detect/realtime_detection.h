#pragma once

// The rules in real time: told by the ingestor what each batch stored, and woken every
// `tick` to decide what waited for the telephony feed or for silence.

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "detect/detection_engine.h"
#include "detect/workstation_silence.h"
#include "vigie/collector/batch_ingestor.h"
#include "vigie/platform/clock.h"

namespace vigie::collector {

class RealtimeDetection final : public IngestObserver {
 public:
  // Warms the volume baselines from the store, then starts the ticking thread. `on_alert` is
  // called after new alerts are stored (to wake the outputs); it may be empty.
  static StatusOr<std::unique_ptr<RealtimeDetection>> start(
      const DetectionPolicy& policy, DetectionInputs inputs, EventStore& store,
      platform::Clock& clock, std::function<void()> on_alert,
      std::chrono::milliseconds tick = std::chrono::seconds(30));
  ~RealtimeDetection() override;  // stops the thread

  void stored(const DeviceRecord& device, std::span<const EventToStore> events,
              std::span<const Incident> incidents) override;
  // Decides what is due now (the thread does it every tick).
  void tickNow();
  // Also decides the workstation_silent rule on each tick; nullptr stops it. `silence` outlives
  // this object.
  void watchWorkstations(WorkstationSilence* silence);
  EngineStats stats() const { return engine_.stats(); }

 private:
  RealtimeDetection(const DetectionPolicy& policy, DetectionInputs inputs, platform::Clock& clock,
                    std::function<void()> on_alert);
  void notifyIfRaised(uint64_t raised_before);

  DetectionEngine engine_;
  platform::Clock& clock_;
  std::function<void()> on_alert_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;                  // GUARDED_BY(mutex_)
  WorkstationSilence* silence_ = nullptr;  // GUARDED_BY(mutex_)
  std::thread thread_;
};

}  // namespace vigie::collector
