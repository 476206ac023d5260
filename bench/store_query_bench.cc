// The audit questions asked of the event store itself, embedded file and PostgreSQL in the same
// run, over the same events: "who accessed record R" and "what did person U do over 30 days".
// Both stores are filled through EventStore::write (batches of 1,000 events of one workstation,
// received 5 s after their last event, so PostgreSQL spreads them over monthly partitions), at
// the same time, then asked the same randomly drawn questions one store after the other.
// PostgreSQL is a server started for the run (Debian's, fsync on, loopback). Prints p50/p95/max
// per question and store, and each store's size per event.
//
//   store_query_bench [--events 10000000] [--devices 500] [--people 800] [--records 2000000]
//                     [--days 180] [--questions 200] [--seed 1]
#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "bench_support.h"
#include "postgres_server.h"
#include "sample_events.h"
#include "temp_dir.h"
#include "test_keys.h"
#include "vigie/collector/postgres_store.h"

namespace vigie::bench {
namespace {

using protocol::Event;

constexpr int64_t kDayMs = 86'400'000;

struct Options {
  uint64_t events = 10'000'000;
  int devices = 500;
  int people = 800;
  uint64_t records = 2'000'000;
  int days = 180;
  int questions = 200;
  uint64_t seed = 1;
};

std::string recordId(uint64_t n) { return "C-" + std::to_string(1'000'000 + n); }
std::string person(int n) { return "agent" + std::to_string(n); }

// Writes the events (the same for the same options) to `store`, one batch of a workstation at a
// time.
Status fill(const Options& options, int64_t end_ms, const char* name,
            collector::EventStore& store) {
  const auto started = std::chrono::steady_clock::now();
  uint64_t written = 0;
  std::mt19937_64 random(options.seed);
  for (int d = 0; d < options.devices; ++d) {
    collector::DeviceRecord device;
    device.device_id = "ws-" + std::to_string(d);
    device.chain_key = testing::fixedKey(static_cast<uint8_t>(d % 251));
    VIGIE_RETURN_IF_ERROR(store.putDevice(device));
  }
  const uint64_t per_device = options.events / static_cast<uint64_t>(options.devices);
  const int64_t start_ms = end_ms - options.days * kDayMs;
  const int64_t step_ms =
      std::max<int64_t>(1, options.days * kDayMs / static_cast<int64_t>(per_device));
  std::vector<Event> batch;
  for (uint64_t first = 0; first < per_device; first += 1000) {
    for (int d = 0; d < options.devices; ++d) {
      batch.clear();
      const uint64_t last = std::min(per_device, first + 1000);
      for (uint64_t i = first; i < last; ++i) {
        Event event = testing::typicalCrmView(i);
        event.device = "ws-" + std::to_string(d);
        event.seq = i + 1;
        event.user = person((d + static_cast<int>(i / 1000) * 37) % options.people);
        event.time_ms = start_ms + static_cast<int64_t>(i) * step_ms + d;
        std::get<protocol::CrmView>(event.data).record_id = recordId(random() % options.records);
        batch.push_back(std::move(event));
      }
      collector::BatchWrite write;
      write.device_id = batch.front().device;
      for (const Event& event : batch)
        write.events.push_back({&event, {}, collector::Integrity::kOk});
      write.head = {batch.back().seq, batch.back().mac};
      write.received_ms = batch.back().time_ms + 5000;
      VIGIE_RETURN_IF_ERROR(store.write(write));
      const uint64_t before = written;
      written += batch.size();
      if (written / 1'000'000 != before / 1'000'000) {
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        std::printf("  %-10s %9llu events  %6.0f s  %6.0f events/s\n", name,
                    static_cast<unsigned long long>(written), seconds,
                    static_cast<double>(written) / seconds);
        std::fflush(stdout);
      }
    }
  }
  return Status::ok();
}

struct Latencies {
  std::vector<double> ms;
  uint64_t rows = 0;
  double at(double q) {
    std::sort(ms.begin(), ms.end());
    return ms.empty() ? 0
                      : ms[std::min(ms.size() - 1,
                                    static_cast<size_t>(q * static_cast<double>(ms.size())))];
  }
};

Status ask(collector::EventStore& store, const std::vector<collector::EventQuery>& questions,
           Latencies& out) {
  for (const collector::EventQuery& query : questions) {
    const auto start = std::chrono::steady_clock::now();
    uint64_t rows = 0;
    VIGIE_RETURN_IF_ERROR(store.forEachEvent(query, [&rows](const collector::StoredEvent&) {
      ++rows;
      return true;
    }));
    out.ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
    out.rows += rows;
  }
  return Status::ok();
}

uint64_t postgresBytes(const std::string& conninfo) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  PGresult* result =
      PQexec(conn, "SELECT sum(pg_total_relation_size(relid)) FROM pg_partition_tree('events')");
  const uint64_t bytes = PQresultStatus(result) == PGRES_TUPLES_OK
                             ? std::strtoull(PQgetvalue(result, 0, 0), nullptr, 10)
                             : 0;
  PQclear(result);
  PQfinish(conn);
  return bytes;
}

int run(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string name = argv[i];
    const std::string value = argv[i + 1];
    if (name == "--events")
      options.events = std::stoull(value);
    else if (name == "--devices")
      options.devices = std::stoi(value);
    else if (name == "--people")
      options.people = std::stoi(value);
    else if (name == "--records")
      options.records = std::stoull(value);
    else if (name == "--days")
      options.days = std::stoi(value);
    else if (name == "--questions")
      options.questions = std::stoi(value);
    else if (name == "--seed")
      options.seed = std::stoull(value);
  }
  if (options.devices < 1 || options.people < 1 || options.records < 1 || options.days < 31 ||
      options.questions < 1 || options.events < static_cast<uint64_t>(options.devices)) {
    std::fprintf(stderr,
                 "store_query_bench: devices, people, records, questions > 0, days >= 31,"
                 " events >= devices\n");
    return 2;
  }
  const int64_t end_ms = 1764547200000;  // 2025-12-01T00:00:00Z: the months are fixed

  testing::TempDir dir(benchBaseDirectory());
  testing::PostgresServer server(testing::PostgresServer::Durability::kDurable);
  if (!server.running()) {
    std::fprintf(stderr, "store_query_bench: %s\n", server.error().c_str());
    return 1;
  }
  const std::string conninfo = server.createDatabase();
  auto embedded = collector::openSqlCipherStore(dir.file("store.db"), testing::fixedKey(3));
  auto postgres = collector::openPostgresStore({conninfo, 2}, end_ms);
  if (!embedded.isOk() || !postgres.isOk()) {
    std::fprintf(stderr, "store_query_bench: %s%s\n", embedded.status().toString().c_str(),
                 postgres.status().toString().c_str());
    return 1;
  }
  std::printf(
      "filling both stores with %llu events (%d workstations, %d people, %llu records, %d days)\n",
      static_cast<unsigned long long>(options.events), options.devices, options.people,
      static_cast<unsigned long long>(options.records), options.days);
  std::fflush(stdout);
  const auto fill_start = std::chrono::steady_clock::now();
  Status filled_embedded, filled_postgres;
  std::thread embedded_writer(
      [&] { filled_embedded = fill(options, end_ms, "embedded", **embedded); });
  filled_postgres = fill(options, end_ms, "postgresql", **postgres);
  embedded_writer.join();
  if (!filled_embedded.isOk() || !filled_postgres.isOk()) {
    std::fprintf(stderr, "store_query_bench: %s %s\n", filled_embedded.toString().c_str(),
                 filled_postgres.toString().c_str());
    return 1;
  }
  std::printf("filled in %.0f s (both at once)\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - fill_start).count());

  // The same questions for both: random records; random people over a random 30-day window.
  std::mt19937_64 random(options.seed + 1);
  std::vector<collector::EventQuery> by_record, by_person;
  for (int q = 0; q < options.questions; ++q) {
    collector::EventQuery record;
    record.record_id = recordId(random() % options.records);
    by_record.push_back(record);
    collector::EventQuery who;
    who.user = person(static_cast<int>(random() % static_cast<uint64_t>(options.people)));
    who.to_ms =
        end_ms - static_cast<int64_t>(random() % static_cast<uint64_t>(options.days - 30)) * kDayMs;
    who.from_ms = who.to_ms - 30 * kDayMs;
    by_person.push_back(who);
  }
  const double events = static_cast<double>(options.events);
  struct Named {
    const char* name;
    collector::EventStore* store;
    double bytes;
  };
  (*embedded).reset();  // closed: its WAL checkpointed, the file's size final
  auto reopened = collector::openSqlCipherStore(dir.file("store.db"), testing::fixedKey(3));
  if (!reopened.isOk()) return 1;
  std::error_code ec;
  const double embedded_bytes =
      static_cast<double>(std::filesystem::file_size(dir.file("store.db"), ec));
  for (const Named& each :
       {Named{"embedded", reopened->get(), embedded_bytes},
        Named{"postgresql", postgres->get(), static_cast<double>(postgresBytes(conninfo))}}) {
    Latencies record, who;
    if (!ask(*each.store, by_record, record).isOk() || !ask(*each.store, by_person, who).isOk()) {
      std::fprintf(stderr, "store_query_bench: %s: a question failed\n", each.name);
      return 1;
    }
    std::printf("%-10s record R:   p50 %7.2f ms  p95 %7.2f ms  max %7.2f ms  (%.1f rows each)\n",
                each.name, record.at(0.5), record.at(0.95), record.at(1.0),
                static_cast<double>(record.rows) / options.questions);
    std::printf("%-10s person 30d: p50 %7.2f ms  p95 %7.2f ms  max %7.2f ms  (%.1f rows each)\n",
                each.name, who.at(0.5), who.at(0.95), who.at(1.0),
                static_cast<double>(who.rows) / options.questions);
    std::printf("%-10s size: %.2f GB, %.0f bytes per event\n", each.name, each.bytes / 1e9,
                each.bytes / events);
  }
  return 0;
}

}  // namespace
}  // namespace vigie::bench

int main(int argc, char** argv) { return vigie::bench::run(argc, argv); }
