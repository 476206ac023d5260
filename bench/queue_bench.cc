// Benchmarks of the agent's durable encrypted queue against raw SQLCipher doing the same inserts
// (docs: DESIGN.md, "Numbers we aim at"). Durable figures: run on a real disk (VIGIE_BENCH_DIR).
//
// Each benchmark of the queue is registered right after its raw baseline at the same batch size,
// so that the pair runs close in time and shares the machine's noise.

#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bench_support.h"
#include "sample_events.h"
#include "temp_dir.h"
#include "test_keys.h"
#include "vigie/agent/event_queue.h"
#include "vigie/protocol/event.h"
#include "vigie/sqlcipher/sqlite.h"

namespace vigie::bench {
namespace {

using protocol::Event;

constexpr size_t kLeaseEvents = 1000;
constexpr size_t kLeaseBytes = 1 << 20;

agent::EventQueuePtr openQueue(const std::string& path, benchmark::State& state) {
  auto queue = agent::EventQueue::open(benchQueueOptions(path));
  if (!queue.isOk()) {
    state.SkipWithError(("open queue: " + queue.status().toString()).c_str());
    return nullptr;
  }
  return std::move(queue).value();
}

// A benchmark whose queue dropped events measured something else.
void checkNothingDropped(agent::EventQueue& queue, uint64_t appended, benchmark::State& state) {
  const agent::QueueStats stats = queue.stats();
  if (stats.dropped_total != 0 || stats.unstored_total != 0 || stats.events < appended) {
    state.SkipWithError("the queue dropped or failed to store events");
  }
}

// Durable enqueue through the queue: validation, chaining (HMAC), JSON, insert, commit + fsync.
void BM_QueueAppend(benchmark::State& state) {
  const auto batch = static_cast<size_t>(state.range(0));
  testing::TempDir dir(benchBaseDirectory());
  agent::EventQueuePtr queue = openQueue(dir.file("queue.db"), state);
  if (queue == nullptr) return;
  uint64_t appended = 0;
  std::vector<Event> events;
  for (auto _ : state) {
    // Building the events is the sensor's work, not the queue's.
    state.PauseTiming();
    events = testing::typicalCrmViews(batch, appended);
    state.ResumeTiming();
    const Status status = queue->append(events);
    if (!status.isOk()) {
      state.SkipWithError(("append: " + status.toString()).c_str());
      return;
    }
    appended += batch;
  }
  checkNothingDropped(*queue, appended, state);
  const agent::QueueStats stats = queue->stats();
  state.SetItemsProcessed(static_cast<int64_t>(appended));
  state.SetBytesProcessed(static_cast<int64_t>(stats.bytes));
  state.counters["bytes_per_event"] =
      stats.events == 0 ? 0.0
                        : static_cast<double>(stats.bytes) / static_cast<double>(stats.events);
}

using sqlcipher::Db;
using sqlcipher::Stmt;

bool exec(sqlite3* db, const std::string& sql, benchmark::State& state) {
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK) return true;
  state.SkipWithError((sql.substr(0, 40) + ": " + sqlite3_errmsg(db)).c_str());
  return false;
}

// A SQLCipher file set up as the queue sets up its own: raw key, 4 KiB pages, WAL, fsync on
// every commit, no temporary files, and a table of the same shape as the queue's.
Db openRawDatabase(const std::string& path, benchmark::State& state) {
  sqlite3* raw = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK) {
    state.SkipWithError(("open raw database: " + std::string(sqlite3_errstr(rc))).c_str());
    return nullptr;
  }
  std::string key_hex;
  for (uint8_t byte : testing::fixedKey(0x11).bytes()) {
    static constexpr char kDigits[] = "0123456789abcdef";
    key_hex += kDigits[byte >> 4];
    key_hex += kDigits[byte & 0xF];
  }
  const bool ok = exec(db.get(), "PRAGMA key = \"x'" + key_hex + "'\";", state) &&
                  exec(db.get(), "PRAGMA cipher_page_size = 4096;", state) &&
                  exec(db.get(), "PRAGMA journal_mode = WAL;", state) &&
                  exec(db.get(), "PRAGMA synchronous = FULL;", state) &&
                  exec(db.get(), "PRAGMA temp_store = MEMORY;", state) &&
                  exec(db.get(),
                       "CREATE TABLE events(seq INTEGER PRIMARY KEY, type INTEGER NOT NULL,"
                       " priority INTEGER NOT NULL, time_ms INTEGER NOT NULL,"
                       " body BLOB NOT NULL);",
                       state);
  return ok ? std::move(db) : nullptr;
}

// Rows exactly as the queue stores them (sealed events: seq, prev, mac, device included), so the
// baseline writes blobs of the same size.
const std::vector<std::string>& storedRows() {
  static const std::vector<std::string> rows = [] {
    std::vector<std::string> out;
    testing::TempDir dir(benchBaseDirectory());
    auto queue = agent::EventQueue::open(benchQueueOptions(dir.file("rows.db")));
    if (!queue.isOk()) return out;
    std::vector<Event> events = testing::typicalCrmViews(kLeaseEvents, 0);
    if (!(*queue)->append(events).isOk()) return out;
    (void)(*queue)->forEach([&](const agent::LeasedEvent& row) {
      out.push_back(row.json);
      return true;
    });
    return out;
  }();
  return rows;
}

// The baseline: the same rows inserted with the sqlite3 C API, one transaction per batch.
void BM_RawSqlcipherInsert(benchmark::State& state) {
  const auto batch = static_cast<size_t>(state.range(0));
  const std::vector<std::string>& rows = storedRows();
  if (rows.empty()) {
    state.SkipWithError("cannot build sample rows");
    return;
  }
  testing::TempDir dir(benchBaseDirectory());
  Db db = openRawDatabase(dir.file("raw.db"), state);
  if (db == nullptr) return;
  sqlite3_stmt* prepared = nullptr;
  sqlite3_prepare_v2(db.get(),
                     "INSERT INTO events(seq, type, priority, time_ms, body) VALUES (?,?,?,?,?)",
                     -1, &prepared, nullptr);
  Stmt insert(prepared);
  if (insert == nullptr) {
    state.SkipWithError(sqlite3_errmsg(db.get()));
    return;
  }
  const Event sample = testing::typicalCrmViews(1, 0).front();
  const auto type = static_cast<int64_t>(sample.type);
  const auto priority = static_cast<int64_t>(protocol::priorityOf(sample.type));
  int64_t seq = 0;
  uint64_t bytes = 0;
  for (auto _ : state) {
    if (!exec(db.get(), "BEGIN;", state)) return;
    for (size_t i = 0; i < batch; ++i) {
      ++seq;
      const std::string& body = rows[static_cast<size_t>(seq) % rows.size()];
      sqlite3_stmt* stmt = insert.get();
      sqlite3_reset(stmt);
      sqlite3_bind_int64(stmt, 1, seq);
      sqlite3_bind_int64(stmt, 2, type);
      sqlite3_bind_int64(stmt, 3, priority);
      sqlite3_bind_int64(stmt, 4, sample.time_ms + seq);
      sqlite3_bind_blob(stmt, 5, body.data(), static_cast<int>(body.size()), SQLITE_STATIC);
      if (sqlite3_step(stmt) != SQLITE_DONE) {
        state.SkipWithError(("insert: " + std::string(sqlite3_errmsg(db.get()))).c_str());
        return;
      }
      bytes += body.size();
    }
    if (!exec(db.get(), "COMMIT;", state)) return;
  }
  state.SetItemsProcessed(seq);
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["bytes_per_event"] =
      seq == 0 ? 0.0 : static_cast<double>(bytes) / static_cast<double>(seq);
}

// One queue shared by every run of BM_LeaseAck: filling it is slow and not what is measured.
struct PrefilledQueue {
  static constexpr uint64_t kFill = 100'000;

  PrefilledQueue() {
    auto opened = agent::EventQueue::open(benchQueueOptions(dir.file("queue.db")));
    if (opened.isOk()) queue = std::move(opened).value();
  }

  testing::TempDir dir{benchBaseDirectory()};
  agent::EventQueuePtr queue;  // declared after `dir`: closed before its files are removed
  uint64_t appended = 0;
  uint64_t queued = 0;

  // Appends kFill events in batches of a lease's size.
  Status refill() {
    for (uint64_t done = 0; done < kFill; done += kLeaseEvents) {
      std::vector<Event> events = testing::typicalCrmViews(kLeaseEvents, appended);
      VIGIE_RETURN_IF_ERROR(queue->append(events));
      appended += kLeaseEvents;
      queued += kLeaseEvents;
    }
    return Status::ok();
  }
};

// The uploader's side: lease the oldest 1000 events (at most 1 MiB) and ack them, which deletes
// them durably.
void BM_LeaseAck(benchmark::State& state) {
  static PrefilledQueue shared;
  if (shared.queue == nullptr) {
    state.SkipWithError("cannot open the prefilled queue");
    return;
  }
  agent::EventQueue& queue = *shared.queue;
  uint64_t leased = 0;
  for (auto _ : state) {
    if (shared.queued < kLeaseEvents) {
      state.PauseTiming();
      const Status filled = shared.refill();
      state.ResumeTiming();
      if (!filled.isOk()) {
        state.SkipWithError(("refill: " + filled.toString()).c_str());
        return;
      }
    }
    auto lease = queue.lease(kLeaseEvents, kLeaseBytes);
    if (!lease.isOk()) {
      state.SkipWithError(("lease: " + lease.status().toString()).c_str());
      return;
    }
    const Status acked = queue.ack(lease->id);
    if (!acked.isOk()) {
      state.SkipWithError(("ack: " + acked.toString()).c_str());
      return;
    }
    leased += lease->events.size();
    shared.queued -= lease->events.size();
  }
  state.SetItemsProcessed(static_cast<int64_t>(leased));
}

// Fsync-bound: time on the wall clock, not the CPU's.
#define VIGIE_BATCH_BENCHMARK(function, batch) \
  BENCHMARK(function)->ArgName("batch")->Arg(batch)->UseRealTime()->Unit(benchmark::kMicrosecond)

VIGIE_BATCH_BENCHMARK(BM_RawSqlcipherInsert, 1);
VIGIE_BATCH_BENCHMARK(BM_QueueAppend, 1);
VIGIE_BATCH_BENCHMARK(BM_RawSqlcipherInsert, 100);
VIGIE_BATCH_BENCHMARK(BM_QueueAppend, 100);
VIGIE_BATCH_BENCHMARK(BM_RawSqlcipherInsert, 1000);
VIGIE_BATCH_BENCHMARK(BM_QueueAppend, 1000);
BENCHMARK(BM_LeaseAck)->UseRealTime()->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace vigie::bench

BENCHMARK_MAIN();
