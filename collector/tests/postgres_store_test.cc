// What only the PostgreSQL store does: schema migrations, retention by partition, several
// collectors ingesting the same devices at once, a server that goes away and comes back.
#include "vigie/collector/postgres_store.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include "audit/audit_db.h"
#include "chained_events.h"
#include "manual_clock.h"
#include "postgres_server.h"
#include "subprocess.h"
#include "test_keys.h"
#include "vigie/collector/batch_ingestor.h"
#include "vigie/protocol/utc_time.h"

namespace vigie::collector {
namespace {

using protocol::Event;

int64_t utcMs(int year, int month) {
  char text[48];
  std::snprintf(text, sizeof text, "%04d-%02d-01T00:00:00.000Z", year, month);
  return protocol::parseUtcMillis(text).value();
}

DeviceRecord deviceNamed(const std::string& id, uint8_t key) {
  DeviceRecord device;
  device.device_id = id;
  device.hostname = "ws-" + id;
  device.os = "Debian 12";
  device.chain_key = testing::fixedKey(key);
  device.certificate_fingerprint = std::string(64, 'b');
  device.enrolled_ms = utcMs(2026, 11);
  return device;
}

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.running()) << server_.error();
    conninfo_ = server_.createDatabase();
  }

  std::unique_ptr<PostgresStore> open(int64_t now_ms = utcMs(2026, 12)) {
    auto opened = openPostgresStore({conninfo_, 4}, now_ms);
    EXPECT_TRUE(opened.isOk()) << opened.status().toString();
    return opened.isOk() ? std::move(opened).value() : nullptr;
  }

  // Runs one statement with its own connection (what an administrator would do).
  void sql(const std::string& statement) {
    PGconn* conn = PQconnectdb(conninfo_.c_str());
    PGresult* result = PQexec(conn, statement.c_str());
    EXPECT_TRUE(PQresultStatus(result) == PGRES_COMMAND_OK ||
                PQresultStatus(result) == PGRES_TUPLES_OK)
        << PQresultErrorMessage(result);
    PQclear(result);
    PQfinish(conn);
  }

  // How many server sessions are open under `application_name`.
  int sessionsNamed(const std::string& name) {
    PGconn* conn = PQconnectdb(conninfo_.c_str());
    const char* values[] = {name.c_str()};
    PGresult* result =
        PQexecParams(conn, "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1", 1,
                     nullptr, values, nullptr, nullptr, 0);
    const int count =
        PQresultStatus(result) == PGRES_TUPLES_OK ? std::atoi(PQgetvalue(result, 0, 0)) : -1;
    PQclear(result);
    PQfinish(conn);
    return count;
  }

  std::vector<uint64_t> storedSeqs(EventStore& store, const std::string& device) {
    std::vector<uint64_t> seqs;
    EventQuery query;
    query.device_id = device;
    EXPECT_TRUE(store
                    .forEachEvent(query,
                                  [&](const StoredEvent& stored) {
                                    EXPECT_EQ(stored.integrity, Integrity::kOk);
                                    seqs.push_back(stored.event.seq);
                                    return true;
                                  })
                    .isOk());
    std::sort(seqs.begin(), seqs.end());
    return seqs;
  }

  testing::PostgresServer& server_ = testing::PostgresServer::shared();
  std::string conninfo_;
};

std::vector<uint64_t> oneTo(uint64_t n) {
  std::vector<uint64_t> seqs(n);
  for (uint64_t i = 0; i < n; ++i) seqs[i] = i + 1;
  return seqs;
}

TEST_F(PostgresStoreTest, MigratesOnceAndRefusesASchemaNewerThanItKnows) {
  auto first = open();
  ASSERT_TRUE(first);
  const int version = first->schemaVersion().value();
  EXPECT_GE(version, 1);
  ASSERT_TRUE(first->putDevice(deviceNamed("dev-a", 1)).isOk());
  // A second collector starting on the same database: nothing migrated again, nothing lost.
  auto second = open();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->schemaVersion().value(), version);
  EXPECT_TRUE(second->findDevice("dev-a")->has_value());

  sql("INSERT INTO schema_migrations(version, applied_ms) VALUES (" + std::to_string(version + 1) +
      ", 0)");
  auto newer = openPostgresStore({conninfo_, 1}, utcMs(2026, 12));
  ASSERT_FALSE(newer.isOk());
  EXPECT_EQ(newer.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(newer.status().message().find("upgrade the collector"), std::string::npos)
      << newer.status().toString();
}

TEST_F(PostgresStoreTest, ABadConnectionStringIsAClearErrorWithoutThePassword) {
  auto refused = openPostgresStore(
      {"host=127.0.0.1 port=" + std::to_string(server_.port()) +
           " user=vigie password=not-the-password-42 dbname=postgres connect_timeout=5",
       1},
      utcMs(2026, 12));
  ASSERT_FALSE(refused.isOk());
  EXPECT_NE(refused.status().message().find("cannot connect"), std::string::npos)
      << refused.status().toString();
  EXPECT_EQ(refused.status().message().find("not-the-password-42"), std::string::npos);
}

TEST_F(PostgresStoreTest, AMalformedConnectionStringIsRefusedWithoutQuotingIt) {
  for (const char* conninfo : {"postgresql://vigie:pa%zzword-77@127.0.0.1/x",
                               "host=127.0.0.1 password=secret words-77 dbname"}) {
    auto refused = openPostgresStore({conninfo, 1}, utcMs(2026, 12));
    ASSERT_FALSE(refused.isOk()) << conninfo;
    EXPECT_EQ(refused.status().code(), Status::Code::kInvalidArgument);
    EXPECT_EQ(refused.status().message().find("-77"), std::string::npos)
        << refused.status().toString();
  }
}

TEST_F(PostgresStoreTest, TextWithANulCharacterIsRefusedNotCutShort) {
  auto store = open();
  ASSERT_TRUE(store);
  DeviceRecord device = deviceNamed("dev-n", 5);
  device.hostname = std::string("ws-1\0hidden", 11);
  const Status refused = store->putDevice(device);
  EXPECT_EQ(refused.code(), Status::Code::kInvalidArgument) << refused.toString();
  EXPECT_FALSE(store->findDevice("dev-n")->has_value());
}

TEST_F(PostgresStoreTest, RetentionDropsWholeMonthsOfReception) {
  auto store = open(utcMs(2026, 9));
  ASSERT_TRUE(store);
  const DeviceRecord device = deviceNamed("dev-r", 2);
  ASSERT_TRUE(store->putDevice(device).isOk());
  const auto events = testing::chainedCrmViews(device.chain_key, 30, device.device_id);
  // Received in September, October and November: 10 events each.
  for (int month = 0; month < 3; ++month) {
    BatchWrite batch;
    batch.device_id = device.device_id;
    for (size_t i = 0; i < 10; ++i) {
      batch.events.push_back({&events[static_cast<size_t>(month) * 10 + i], {}, Integrity::kOk});
    }
    batch.head = {batch.events.back().event->seq, batch.events.back().event->mac};
    batch.received_ms = utcMs(2026, 9 + month) + 3600000;
    ASSERT_TRUE(store->write(batch).isOk());
  }
  EXPECT_EQ(store->eventCount().value(), 30u);
  // A cutoff inside October drops September only: a month goes when all of it is past.
  auto dropped = store->dropMonthsReceivedBefore(utcMs(2026, 10) + 86400000);
  ASSERT_TRUE(dropped.isOk()) << dropped.status().toString();
  EXPECT_EQ(*dropped, std::vector<std::string>{"events_202609"});
  EXPECT_EQ(store->eventCount().value(), 20u);
  EXPECT_EQ(store->storedMac(device.device_id, 10).value(), std::nullopt);
  EXPECT_EQ(store->storedMac(device.device_id, 11).value(), events[10].mac);
  // The chain head stays: the device goes on from 30.
  EXPECT_EQ(store->chainHead(device.device_id)->last_seq, 30u);
}

// Two collectors (two stores, two ingestors) receive the same devices' batches at the same
// time, overlapping: each event is stored once, in one unbroken chain per device.
TEST_F(PostgresStoreTest, TwoCollectorsIngestingOverlappingBatchesStoreEachEventOnce) {
  auto collector_a = open();
  auto collector_b = open();
  ASSERT_TRUE(collector_a && collector_b);
  testing::ManualClock clock;
  BatchIngestor ingestor_a(*collector_a, clock);
  BatchIngestor ingestor_b(*collector_b, clock);
  constexpr int kDevices = 4;
  constexpr size_t kEvents = 200;
  std::vector<DeviceRecord> devices;
  std::vector<std::vector<Event>> chains;
  for (int d = 0; d < kDevices; ++d) {
    devices.push_back(deviceNamed("dev-" + std::to_string(d), static_cast<uint8_t>(10 + d)));
    ASSERT_TRUE(collector_a->putDevice(devices.back()).isOk());
    chains.push_back(
        testing::chainedCrmViews(devices.back().chain_key, kEvents, devices.back().device_id));
  }
  // Each device's agent sends windows of 20 events advancing by 10 (every event twice), to
  // both collectors, from four threads per collector.
  std::atomic<int> failures{0};
  std::atomic<uint64_t> duplicates{0};
  std::vector<std::thread> threads;
  for (BatchIngestor* ingestor : {&ingestor_a, &ingestor_b}) {
    for (int d = 0; d < kDevices; ++d) {
      threads.emplace_back([&, ingestor, d] {
        const std::vector<Event>& chain = chains[static_cast<size_t>(d)];
        for (size_t from = 0; from < kEvents; from += 10) {
          const size_t to = std::min(kEvents, from + 20);
          auto result = ingestor->ingest(devices[static_cast<size_t>(d)],
                                         std::span(chain).subspan(from, to - from));
          if (!result.isOk() || !result->incidents.empty()) {
            ADD_FAILURE() << (result.isOk() ? "incidents" : result.status().toString());
            ++failures;
          } else {
            duplicates += result->duplicates;
          }
        }
      });
    }
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(collector_b->eventCount().value(), kDevices * kEvents);
  // Per device and collector, 19 windows of 20 and one of 10: 390 events sent, 780 in all for
  // 200 stored; the rest acknowledged as duplicates.
  EXPECT_EQ(duplicates.load(), kDevices * (2 * 390 - kEvents));
  for (int d = 0; d < kDevices; ++d) {
    const DeviceRecord& device = devices[static_cast<size_t>(d)];
    EXPECT_EQ(storedSeqs(*collector_a, device.device_id), oneTo(kEvents));
    EXPECT_EQ(collector_a->chainHead(device.device_id).value(),
              (ChainHead{kEvents, chains[static_cast<size_t>(d)].back().mac}));
  }
  EXPECT_TRUE(collector_a->incidents(std::nullopt)->empty());
}

TEST_F(PostgresStoreTest, AServerRestartFailsTheBatchesMeanwhileAndLosesNothing) {
  auto store = open();
  ASSERT_TRUE(store);
  testing::ManualClock clock;
  BatchIngestor ingestor(*store, clock);
  const DeviceRecord device = deviceNamed("dev-s", 3);
  ASSERT_TRUE(store->putDevice(device).isOk());
  const auto events = testing::chainedCrmViews(device.chain_key, 30, device.device_id);
  auto first = ingestor.ingest(device, std::span(events).subspan(0, 10));
  ASSERT_TRUE(first.isOk()) << first.status().toString();

  ASSERT_TRUE(server_.stop("immediate")) << server_.error();
  auto while_down = ingestor.ingest(device, std::span(events).subspan(10, 10));
  ASSERT_FALSE(while_down.isOk());  // the agent keeps the batch and sends it again later
  EXPECT_EQ(while_down.status().code(), Status::Code::kIoError);
  ASSERT_TRUE(server_.start()) << server_.error();

  // The pool drops its broken connections and opens new ones: the same batch, then the rest.
  auto again = ingestor.ingest(device, std::span(events).subspan(10, 10));
  ASSERT_TRUE(again.isOk()) << again.status().toString();
  EXPECT_EQ(again->stored, 10u);
  ASSERT_TRUE(ingestor.ingest(device, std::span(events).subspan(5, 25)).isOk());
  EXPECT_EQ(storedSeqs(*store, device.device_id), oneTo(30));
  EXPECT_TRUE(store->incidents(device.device_id)->empty());
}

TEST_F(PostgresStoreTest, AuditRowsComeOneAtATimeAndAnEarlyStopLeavesTheConnectionReady) {
  auto db = AuditDb::open(PostgresOptions{conninfo_});
  ASSERT_TRUE(db.isOk()) << db.status().toString();
  const Status done = (*db)->with([](Sql& sql) -> Status {
    int64_t seen = 0;
    VIGIE_RETURN_IF_ERROR(
        sql.query("SELECT g FROM generate_series(1, 200000) g", {}, [&](const SqlRow& row) {
          EXPECT_EQ(row.integer(0), ++seen);
          return seen < 3;
        }));
    EXPECT_EQ(seen, 3);
    // A failed statement, then another: each answers for itself.
    EXPECT_FALSE(sql.run("SELECT no_such_column FROM people").isOk());
    int64_t answer = 0;
    VIGIE_RETURN_IF_ERROR(sql.run("SELECT ? + 1", {int64_t{41}},
                                  [&](const SqlRow& row) { answer = row.integer(0); }));
    EXPECT_EQ(answer, 42);
    return Status::ok();
  });
  EXPECT_TRUE(done.isOk()) << done.toString();
}

TEST_F(PostgresStoreTest, TheAuditTablesComeBackAfterAServerRestart) {
  auto store = open();
  ASSERT_TRUE(store);
  auto db = AuditDb::open(PostgresOptions{conninfo_});
  ASSERT_TRUE(db.isOk()) << db.status().toString();
  auto people = [&] {  // -1 when the read fails
    int64_t n = -1;
    Status read = (*db)->with([&](Sql& sql) {
      return sql.run("SELECT count(*) FROM people", {},
                     [&](const SqlRow& row) { n = row.integer(0); });
    });
    EXPECT_TRUE(read.isOk()) << read.toString();
    return n;
  };
  auto add = [&](std::string_view login) {
    return (*db)->transaction([&](Sql& sql) {
      return sql.upsert("people", {"login", "team"}, 1, {login, "t1"});
    });
  };
  ASSERT_TRUE(add("anne").isOk());

  ASSERT_TRUE(server_.stop("immediate")) << server_.error();
  const Status while_down = add("bruno");
  EXPECT_EQ(while_down.code(), Status::Code::kIoError) << while_down.toString();
  ASSERT_TRUE(server_.start()) << server_.error();

  // A read goes to a new connection at once; so does the next write.
  EXPECT_EQ(people(), 1);
  ASSERT_TRUE(add("bruno").isOk());
  EXPECT_EQ(people(), 2);
}

// A collector killed (SIGKILL) while it ingests: the server rolls back the batch it was writing;
// what it acknowledged stays; the agent sends everything again to another collector, which
// stores each event once in an unbroken chain.
TEST_F(PostgresStoreTest, ACollectorKilledMidIngestLosesNothingAndDoublesNothing) {
  auto store = open();
  ASSERT_TRUE(store);
  const DeviceRecord device = deviceNamed("dev-k", 4);
  ASSERT_TRUE(store->putDevice(device).isOk());
  constexpr size_t kBatches = 1000;
  constexpr size_t kSize = 50;
  testing::Subprocess writer({VIGIE_PG_INGEST_WRITER, conninfo_ + " application_name=killed",
                              device.device_id, "4", std::to_string(kBatches),
                              std::to_string(kSize)});
  // Killed after its 20th acknowledgement, somewhere in a later batch.
  size_t acknowledged = 0;
  for (std::string line = writer.readLine(); !line.empty() && acknowledged < 20;
       line = writer.readLine()) {
    acknowledged = std::stoul(line.substr(line.find(' ') + 1));
  }
  ASSERT_EQ(acknowledged, 20u) << "the writer stopped early";
  writer.signal(SIGKILL);
  writer.wait();
  // Its server session ends when the server sees the connection closed: a commit already sent
  // may still land until then.
  for (int i = 0; i < 200 && sessionsNamed("killed") > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(sessionsNamed("killed"), 0);

  // Whatever the killed collector committed is whole batches, a prefix of the chain.
  const uint64_t head = store->chainHead(device.device_id)->last_seq;
  EXPECT_GE(head, 20 * kSize);
  EXPECT_LT(head, kBatches * kSize) << "killed after its end";
  EXPECT_EQ(head % kSize, 0u);
  EXPECT_EQ(storedSeqs(*store, device.device_id), oneTo(head));

  testing::ManualClock clock;
  BatchIngestor ingestor(*store, clock);
  const auto events =
      testing::chainedCrmViews(device.chain_key, kBatches * kSize, device.device_id);
  uint64_t duplicates = 0;
  for (size_t b = 0; b < kBatches; ++b) {
    auto result = ingestor.ingest(device, std::span(events).subspan(b * kSize, kSize));
    ASSERT_TRUE(result.isOk()) << result.status().toString();
    EXPECT_TRUE(result->incidents.empty());
    duplicates += result->duplicates;
  }
  EXPECT_EQ(duplicates, head);
  EXPECT_EQ(storedSeqs(*store, device.device_id), oneTo(kBatches * kSize));
  EXPECT_TRUE(store->incidents(device.device_id)->empty());
}

}  // namespace
}  // namespace vigie::collector
