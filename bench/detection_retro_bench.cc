// A retrospective detection run over stored history, as POST /v1/detection/runs does it
// (RetroRuns::execute: baselines warmed from the store, then every event of the period read in
// time order, an hour at a time, through the rules). Prints events/s and the alerts per rule.
//
//   detection_retro_bench --store DIR [--days 90] [--rules volume,off_shift,...]
//
// DIR is an audit_data store or collector data directory (see store_location.h). The period ends
// at the last stored event. Alerts are written to the store like a real run's; run it on a copy
// when the store must stay as it was.
#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "audit/audit_service.h"
#include "detect/retro_runs.h"
#include "store_location.h"
#include "vigie/platform/clock.h"
#include "vigie/protocol/utc_time.h"
#include "vigie/sqlcipher/sqlite.h"

namespace vigie::bench {
namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

int fail(const Status& status) {
  std::fprintf(stderr, "detection_retro_bench: %s\n", status.toString().c_str());
  return 1;
}

int run(int argc, char** argv) {
  std::string store_dir;
  int64_t days = 90;
  std::vector<std::string> rules;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string name = argv[i];
    const std::string value = argv[i + 1];
    if (name == "--store") {
      store_dir = value;
    } else if (name == "--days") {
      days = std::stoll(value);
    } else if (name == "--rules") {
      for (size_t start = 0; start <= value.size();) {
        const size_t comma = std::min(value.find(',', start), value.size());
        rules.push_back(value.substr(start, comma - start));
        start = comma + 1;
      }
    } else {
      std::fprintf(stderr, "detection_retro_bench: unknown option %s\n", name.c_str());
      return 2;
    }
  }
  if (store_dir.empty()) {
    std::fprintf(stderr, "usage: detection_retro_bench --store DIR [--days N] [--rules a,b]\n");
    return 2;
  }
  auto location = locateStore(store_dir);
  if (!location.isOk()) return fail(location.status());
  auto store = collector::openSqlCipherStore(location->file, location->key);
  if (!store.isOk()) return fail(store.status());
  platform::Clock& clock = platform::systemClock();
  auto audit = collector::openAuditService(location->file, location->key, clock);
  if (!audit.isOk()) return fail(audit.status());
  collector::AuditService& service = **audit;

  int64_t last_ms = 0;
  Status read = service.db->with([&](sqlite3* db) {
    return sqlcipher::run(db, "SELECT max(time_ms) FROM events", {},
                          [&](sqlite3_stmt* s) { last_ms = sqlcipher::columnInt(s, 0); });
  });
  if (!read.isOk()) return fail(read);
  collector::RunRequest request;
  request.rules = rules;
  request.to_ms = last_ms + 1;
  request.from_ms = request.to_ms - days * kDayMs;
  request.requested_by = "bench";

  const collector::DetectionInputs inputs{service.calls, service.shifts, service.watchlist,
                                          service.directory, service.alerts};
  collector::RetroRuns runs(**store, *service.db, collector::DetectionPolicy{}, inputs, clock);
  auto id = runs.start(request);  // recorded like a real run; executed here, timed
  if (!id.isOk()) return fail(id.status());
  runs.waitIdle();
  auto info = runs.get(*id);
  if (!info.isOk()) return fail(info.status());
  const double seconds = static_cast<double>(info->finished_ms - info->requested_ms) / 1000.0;

  std::map<std::string, int64_t> by_rule;
  read = service.db->with([&](sqlite3* db) {
    return sqlcipher::run(db, "SELECT rule, count(*) FROM alerts WHERE origin = ? GROUP BY rule",
                          {std::string_view("run:" + std::to_string(*id))}, [&](sqlite3_stmt* s) {
                            by_rule[sqlcipher::columnText(s, 0)] = sqlcipher::columnInt(s, 1);
                          });
  });
  if (!read.isOk()) return fail(read);
  std::printf(
      "run %lld: %s, %lld days to %s, %llu events in %.1f s -> %.0f events/s, %llu alerts\n",
      static_cast<long long>(*id), info->state.c_str(), static_cast<long long>(days),
      protocol::formatUtcMillis(last_ms).c_str(), static_cast<unsigned long long>(info->events),
      seconds, static_cast<double>(info->events) / seconds,
      static_cast<unsigned long long>(info->alerts));
  for (const auto& [rule, count] : by_rule) {
    std::printf("  %-20s %lld\n", rule.c_str(), static_cast<long long>(count));
  }
  if (!info->error.empty()) std::printf("error: %s\n", info->error.c_str());
  return info->state == "done" ? 0 : 1;
}

}  // namespace
}  // namespace vigie::bench

int main(int argc, char** argv) { return vigie::bench::run(argc, argv); }
