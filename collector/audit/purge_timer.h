#pragma once

// Runs the retention purge on a schedule (a minute after start, then hourly in the collector),
// each run written to the audit trail as done by "system".

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "audit/audit_service.h"

namespace vigie::collector {

class PurgeTimer {
 public:
  PurgeTimer(AuditService& audit, std::chrono::milliseconds every);
  ~PurgeTimer();  // stops, waiting for a purge under way

  // One purge now, recorded in the trail. Returns its report.
  static StatusOr<PurgeReport> purgeAndRecord(AuditService& audit);

 private:
  void loop();
  AuditService& audit_;
  const std::chrono::milliseconds every_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace vigie::collector
