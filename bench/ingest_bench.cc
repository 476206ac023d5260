// Collector ingest, several agents at once: each thread plays one device and hands the
// collector's decode -> verify -> store path (protocol::decodeBatch, BatchIngestor, the store) its
// gzip batches, as the HTTPS handler does after TLS. Prints events/s over all devices.
// --store embedded: the SQLCipher file (synchronous=FULL). --store postgresql: a PostgreSQL server
// started for the run (Debian's, fsync on, loopback), with --collectors N stores each with its
// own connections, as N collectors on one database; devices are spread over them.
// With --rules on, the real-time detection rules see every stored batch, as in the collector:
// default thresholds, a shift and a call for the person so that the shift and call-window rules
// do their lookups, a 1 s tick (embedded store only).
//
//   ingest_bench [--devices 4] [--events 250000] [--batch-events 2000] [--rules off|on]
//                [--store embedded|postgresql] [--collectors 1]
//   (events per device)
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "audit/audit_service.h"
#include "bench_support.h"
#include "detect/realtime_detection.h"
#include "postgres_server.h"
#include "sample_events.h"
#include "temp_dir.h"
#include "test_keys.h"
#include "vigie/collector/batch_ingestor.h"
#include "vigie/collector/postgres_store.h"
#include "vigie/crypto/hmac_chain.h"
#include "vigie/protocol/batch_codec.h"
#include "vigie/protocol/json_codec.h"

namespace vigie::bench {
namespace {

// The gzip batches one device would upload: chained with its key, `per_batch` events each.
std::vector<std::string> deviceBatches(const std::string& device, const crypto::SecretKey& key,
                                       uint64_t events, size_t per_batch) {
  std::vector<std::string> bodies;
  crypto::ChainSigner signer(key);
  protocol::Mac prev{};
  std::string scratch, text;
  uint64_t seq = 0;
  while (seq < events) {
    auto batch = testing::typicalCrmViews(std::min<uint64_t>(per_batch, events - seq), seq);
    text.clear();
    for (auto& event : batch) {
      event.device = device;
      event.seq = ++seq;
      signer.seal(event, prev, scratch);
      prev = event.mac;
      protocol::appendJson(text, event);
      text += '\n';
    }
    bodies.push_back(protocol::gzipCompress(text));
  }
  return bodies;
}

int run(int argc, char** argv) {
  int devices = 4;
  uint64_t events = 250'000;
  size_t per_batch = 2000;
  bool rules = false;
  std::string backend = "embedded";
  int collectors = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string name = argv[i];
    if (name == "--devices")
      devices = std::stoi(argv[i + 1]);
    else if (name == "--events")
      events = std::stoull(argv[i + 1]);
    else if (name == "--batch-events")
      per_batch = std::stoul(argv[i + 1]);
    else if (name == "--rules")
      rules = std::string(argv[i + 1]) == "on";
    else if (name == "--store")
      backend = argv[i + 1];
    else if (name == "--collectors")
      collectors = std::stoi(argv[i + 1]);
  }
  if ((backend != "embedded" && backend != "postgresql") || collectors < 1 ||
      (backend == "embedded" && collectors != 1) || (rules && backend != "embedded")) {
    std::fprintf(stderr,
                 "ingest_bench: --store embedded (one collector, rules on or off) or "
                 "--store postgresql [--collectors N]\n");
    return 2;
  }
  testing::TempDir dir(benchBaseDirectory());
  std::unique_ptr<testing::PostgresServer> server;
  std::vector<collector::EventStorePtr> stores;
  if (backend == "postgresql") {
    server =
        std::make_unique<testing::PostgresServer>(testing::PostgresServer::Durability::kDurable);
    if (!server->running()) {
      std::fprintf(stderr, "ingest_bench: %s\n", server->error().c_str());
      return 1;
    }
    const std::string conninfo = server->createDatabase();
    for (int c = 0; c < collectors; ++c) {
      auto opened =
          collector::openPostgresStore({conninfo, 4}, platform::systemClock().nowUnixMillis());
      if (!opened.isOk()) {
        std::fprintf(stderr, "ingest_bench: %s\n", opened.status().toString().c_str());
        return 1;
      }
      stores.push_back(std::move(opened).value());
    }
  } else {
    auto opened = collector::openSqlCipherStore(dir.file("store.db"), testing::fixedKey(3));
    if (!opened.isOk()) {
      std::fprintf(stderr, "ingest_bench: %s\n", opened.status().toString().c_str());
      return 1;
    }
    stores.push_back(std::move(opened).value());
  }
  collector::EventStorePtr* store = &stores.front();
  std::vector<collector::DeviceRecord> records;
  std::vector<std::vector<std::string>> bodies;
  for (int d = 0; d < devices; ++d) {
    collector::DeviceRecord record;
    record.device_id = "dev-bench-" + std::to_string(d);
    record.chain_key = testing::fixedKey(static_cast<uint8_t>(0x40 + d));
    (void)(*store)->putDevice(record);
    bodies.push_back(deviceBatches(record.device_id, record.chain_key, events, per_batch));
    records.push_back(std::move(record));
  }
  platform::Clock& clock = platform::systemClock();
  std::unique_ptr<collector::AuditService> audit;
  std::unique_ptr<collector::RealtimeDetection> detection;
  if (rules) {
    auto opened = collector::openAuditService(dir.file("store.db"), testing::fixedKey(3), clock);
    if (!opened.isOk()) {
      std::fprintf(stderr, "ingest_bench: %s\n", opened.status().toString().c_str());
      return 1;
    }
    audit = std::move(opened).value();
    const std::string user = testing::typicalCrmView(0).user;
    auto shifts = collector::parseShiftLines(
        R"({"who":")" + user + R"(","days":"mon-sun","start":"00:00","end":"24:00"})");
    auto calls = collector::parseCallLines(
        R"({"id":"K-1","agent":")" + user +
        R"(","start":"2026-01-01T00:00:00.000Z","end":"2026-01-01T00:05:00.000Z"})");
    if (!shifts.isOk() || !calls.isOk() || !audit->shifts.replace(*shifts).isOk() ||
        !audit->calls.store("", *calls).isOk()) {
      std::fprintf(stderr, "ingest_bench: cannot set up the rules' inputs\n");
      return 1;
    }
    const collector::DetectionInputs inputs{audit->calls, audit->shifts, audit->watchlist,
                                            audit->directory, audit->alerts};
    auto started = collector::RealtimeDetection::start(
        collector::DetectionPolicy{}, inputs, **store, clock, nullptr, std::chrono::seconds(1));
    if (!started.isOk()) {
      std::fprintf(stderr, "ingest_bench: %s\n", started.status().toString().c_str());
      return 1;
    }
    detection = std::move(started).value();
  }
  std::vector<std::unique_ptr<collector::BatchIngestor>> ingestors;
  for (auto& each : stores) {
    ingestors.push_back(std::make_unique<collector::BatchIngestor>(*each, clock, detection.get()));
  }
  std::vector<uint64_t> stored(static_cast<size_t>(devices));
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int d = 0; d < devices; ++d) {
    threads.emplace_back([&, d] {
      for (const std::string& body : bodies[static_cast<size_t>(d)]) {
        auto decoded = protocol::decodeBatch(body, {});
        if (!decoded.isOk()) return;
        std::vector<std::string_view> lines(decoded->events.size());
        for (size_t i = 0; i < lines.size(); ++i) lines[i] = decoded->line(i);
        collector::BatchIngestor& ingestor = *ingestors[static_cast<size_t>(d) % ingestors.size()];
        auto result = ingestor.ingest(records[static_cast<size_t>(d)], decoded->events, lines);
        if (!result.isOk() || !result->incidents.empty()) return;
        stored[static_cast<size_t>(d)] += result->stored;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  uint64_t total = 0;
  for (uint64_t n : stored) total += n;
  std::printf(
      "ingest: store=%s collectors=%d devices=%d rules=%s stored=%llu in %.2f s -> %.0f events/s "
      "(decode + verify + store%s)\n",
      backend.c_str(), collectors, devices, rules ? "on" : "off",
      static_cast<unsigned long long>(total), seconds, static_cast<double>(total) / seconds,
      rules ? " + rules" : "");
  if (detection) {
    const collector::EngineStats stats = detection->stats();
    std::printf("rules: %llu events seen, %llu alerts raised, %llu errors\n",
                static_cast<unsigned long long>(stats.events),
                static_cast<unsigned long long>(stats.alerts_raised),
                static_cast<unsigned long long>(stats.errors));
  }
  return total == static_cast<uint64_t>(devices) * events ? 0 : 1;
}

}  // namespace
}  // namespace vigie::bench

int main(int argc, char** argv) { return vigie::bench::run(argc, argv); }
