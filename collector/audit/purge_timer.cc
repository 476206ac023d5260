#include "audit/purge_timer.h"

#include <algorithm>
#include <iostream>

namespace vigie::collector {

PurgeTimer::PurgeTimer(AuditService& audit, std::chrono::milliseconds every)
    : audit_(audit), every_(every), thread_([this] { loop(); }) {}

PurgeTimer::~PurgeTimer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

StatusOr<PurgeReport> PurgeTimer::purgeAndRecord(AuditService& audit) {
  auto report = audit.retention.purge();
  std::string detail = "{";
  if (report.isOk()) {
    // Appended piece by piece: GCC 12 at -O3 warns (-Wrestrict) on `"literal" + std::string&&`.
    for (const auto& [name, count] : report->purged) {
      if (detail.size() > 1) detail += ',';
      detail += '"';
      detail += name;
      detail += "\":";
      detail += std::to_string(count);
    }
    if (detail.size() > 1) detail += ',';
    detail += "\"held\":";
    detail += std::to_string(report->held);
    if (!report->dropped.empty()) {
      detail += ",\"dropped\":";
      detail += std::to_string(report->dropped.size());
    }
  }
  detail += "}";
  Status recorded =
      audit.trail.append("system", "", "", "retention.purge", detail, report.isOk() ? 200 : 500);
  if (!recorded.isOk()) return recorded;
  return report;
}

void PurgeTimer::loop() {
  // The first purge comes a minute after start, so that a collector restarted more often than
  // `every_` still purges.
  std::chrono::milliseconds wait = std::min(every_, std::chrono::milliseconds(60'000));
  std::unique_lock lock(mutex_);
  for (; !wake_.wait_for(lock, wait, [this] { return stopping_; }); wait = every_) {
    lock.unlock();
    auto report = purgeAndRecord(audit_);
    if (!report.isOk()) {
      std::cerr << "vigie-collector: retention purge: " << report.status().toString() << std::endl;
    }
    lock.lock();
  }
}

}  // namespace vigie::collector
