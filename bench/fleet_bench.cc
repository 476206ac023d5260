// What a fleet costs the collector (docs/performance.md, "Fleet"): taking one heartbeat (check
// the JSON, keep it as the device's latest in the encrypted store, as /v1/heartbeat does after
// TLS), answering one policy pull that finds nothing new (/v1/policy's common case), and the
// fleet view over every workstation (read each latest heartbeat and judge it). Durable figures:
// run on a real disk (VIGIE_BENCH_DIR).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>
#include <string>

#include "audit/audit_service.h"
#include "bench_support.h"
#include "manual_clock.h"
#include "temp_dir.h"
#include "test_keys.h"
#include "vigie/collector/event_store.h"
#include "vigie/protocol/heartbeat.h"
#include "vigie/version.h"

namespace vigie::bench {
namespace {

constexpr int64_t kNow = 1764661060000;

std::string deviceId(int64_t i) { return "ws-" + std::to_string(i); }

// A heartbeat as an agent sends it: one attached session sensor, a short queue.
std::string heartbeatBody(int64_t i) {
  protocol::Heartbeat heartbeat;
  heartbeat.agent_version = std::string(kVersion);
  heartbeat.os = "Debian GNU/Linux 12 (bookworm)";
  heartbeat.host = deviceId(i);
  heartbeat.policy = {3, "site-2026-12", ""};
  heartbeat.queue_events = 12;
  heartbeat.queue_bytes = 40960;
  heartbeat.oldest_event_ms = kNow - 2000;
  heartbeat.last_upload_ms = kNow - 1000;
  heartbeat.sessions.push_back(
      {"2", "agent" + std::to_string(i), kNow - 3'600'000, protocol::SensorStatus::kConnected});
  heartbeat.sent_ms = kNow;
  return protocol::toJson(heartbeat);
}

// A collector store with `devices` workstations that each sent a heartbeat.
class FleetStore {
 public:
  explicit FleetStore(int64_t devices) : dir_(benchBaseDirectory()) {
    auto store = collector::openSqlCipherStore(dir_.file("store.db"), testing::fixedKey(3));
    auto audit = store.isOk() ? collector::openAuditService(dir_.file("store.db"),
                                                            testing::fixedKey(3), clock_)
                              : StatusOr<std::unique_ptr<collector::AuditService>>(store.status());
    if (!audit.isOk()) {
      error_ = audit.status().toString();
      return;
    }
    store_ = std::move(store).value();
    audit_ = std::move(audit).value();
    for (int64_t i = 0; i < devices && error_.empty(); ++i) {
      Status taken = take(i);
      if (!taken.isOk()) error_ = taken.toString();
    }
  }

  // What /v1/heartbeat does with a body, after TLS and the device check.
  Status take(int64_t device) {
    auto heartbeat = protocol::heartbeatFromJson(heartbeatBody(device));
    if (!heartbeat.isOk()) return heartbeat.status();
    return audit_->heartbeats.record(deviceId(device), *heartbeat, kNow);
  }

  const std::string& error() const { return error_; }
  collector::AuditService& audit() { return *audit_; }

 private:
  testing::TempDir dir_;
  testing::ManualClock clock_{kNow};
  collector::EventStorePtr store_;
  std::unique_ptr<collector::AuditService> audit_;
  std::string error_;
};

void BM_TakeHeartbeat(benchmark::State& state) {
  const int64_t devices = state.range(0);
  FleetStore fleet(devices);
  if (!fleet.error().empty()) return state.SkipWithError(fleet.error().c_str());
  int64_t next = 0;
  for (auto _ : state) {
    const Status taken = fleet.take(next++ % devices);
    if (!taken.isOk()) return state.SkipWithError(taken.toString().c_str());
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_PolicyPullNothingNew(benchmark::State& state) {
  FleetStore fleet(1);
  if (!fleet.error().empty()) return state.SkipWithError(fleet.error().c_str());
  for (auto _ : state) {
    auto serial = fleet.audit().policies.activeSerial();
    if (!serial.isOk()) return state.SkipWithError(serial.status().toString().c_str());
    benchmark::DoNotOptimize(*serial);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_FleetView(benchmark::State& state) {
  const int64_t devices = state.range(0);
  FleetStore fleet(devices);
  if (!fleet.error().empty()) return state.SkipWithError(fleet.error().c_str());
  const collector::FleetReference reference{std::string(kVersion), 3};
  for (auto _ : state) {
    auto all = fleet.audit().heartbeats.all();
    if (!all.isOk()) return state.SkipWithError(all.status().toString().c_str());
    size_t healthy = 0;
    for (const collector::HeartbeatRecord& record : *all) {
      const auto health =
          collector::fleetHealth(record, kNow + 5000, fleet.audit().fleet_settings, reference);
      healthy += health.status == collector::FleetStatus::kHealthy ? 1 : 0;
    }
    if (healthy != static_cast<size_t>(devices)) return state.SkipWithError("not all healthy");
  }
  state.SetItemsProcessed(state.iterations() * devices);
}

BENCHMARK(BM_TakeHeartbeat)->Arg(5000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_PolicyPullNothingNew)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_FleetView)->Arg(5000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace vigie::bench

BENCHMARK_MAIN();
