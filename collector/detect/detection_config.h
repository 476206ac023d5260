#pragma once

// detection.json in the collector's data directory: {"rules": {...}, "outputs": {...},
// "tick_seconds": N}. Every member is optional; a missing file means the default thresholds and no
// output besides the API and the console.

#include <string>

#include "detect/alert_outputs.h"
#include "detect/detection_policy.h"

namespace vigie::collector {

struct DetectionConfig {
  DetectionPolicy rules;
  OutputsConfig outputs;  // none when absent
  // How often rules that wait (for the telephony feed, for silence) decide, in real time.
  int64_t tick_seconds = 30;
};

// kInvalidArgument names the file and the member at fault; an unreadable file is kIoError.
StatusOr<DetectionConfig> loadDetectionConfig(const std::string& path);

}  // namespace vigie::collector
