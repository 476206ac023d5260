#include "pg_schema.h"

#include <cstdio>
#include <cstdlib>

#include "vigie/protocol/utc_time.h"

namespace vigie::collector::pg {
namespace {

// Advisory lock keys: arbitrary constants, the same in every collector.
constexpr char kMigrationLock[] = "7305196451000001";
constexpr char kPartitionLock[] = "7305196451000002";

// Migration N is kMigrations[N - 1]. Never edit one that has shipped: add the next.
// Events are partitioned by the month the collector received them (its clock, not the
// device's: a device cannot make partitions, and retention drops whole months). (device_id, seq)
// is not a unique key here (a unique index on a partitioned table must contain the partition
// key): batches of a device are written under the lock on its devices row, which checks that.
constexpr const char* kMigrations[] = {
    R"sql(
CREATE TABLE devices(
  device_id text PRIMARY KEY, hostname text NOT NULL, os text NOT NULL, chain_key bytea NOT NULL,
  certificate_fingerprint text NOT NULL, enrolled_ms bigint NOT NULL,
  revoked boolean NOT NULL DEFAULT false, brand text NOT NULL DEFAULT '',
  last_seq bigint NOT NULL DEFAULT 0, last_mac bytea NOT NULL DEFAULT '\x');
CREATE TABLE events(
  device_id text NOT NULL, seq bigint NOT NULL, time_ms bigint NOT NULL, user_name text NOT NULL,
  type text NOT NULL, record_id text, integrity smallint NOT NULL, received_ms bigint NOT NULL,
  brand text NOT NULL, mac bytea NOT NULL, body text NOT NULL
) PARTITION BY RANGE (received_ms);
CREATE INDEX events_by_device_seq ON events(device_id, seq);
CREATE INDEX events_by_record ON events(record_id, time_ms) WHERE record_id IS NOT NULL;
CREATE INDEX events_by_user ON events(user_name, time_ms);
CREATE INDEX events_by_type ON events(type, time_ms);
CREATE TABLE incidents(
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, device_id text NOT NULL,
  seq bigint NOT NULL, kind text NOT NULL, detail text NOT NULL, detected_ms bigint NOT NULL,
  explained boolean NOT NULL DEFAULT false, first_missing bigint NOT NULL DEFAULT 0,
  last_missing bigint NOT NULL DEFAULT 0);
CREATE INDEX incidents_by_device ON incidents(device_id, seq);
)sql",
};

constexpr int kLatest = static_cast<int>(sizeof kMigrations / sizeof kMigrations[0]);

// The first instant of a UTC month; the first month after 9999 is 10000-01-01.
int64_t monthStartMs(int year, int month) {
  if (month > 12) {
    ++year;
    month = 1;
  }
  char text[48];
  std::snprintf(text, sizeof text, "%04d-%02d-01T00:00:00.000Z", year, month);
  return protocol::parseUtcMillis(text).value_or(253402300800000);
}

MonthPartition partitionFor(int year, int month) {
  MonthPartition partition;
  char name[48];
  std::snprintf(name, sizeof name, "events_%04d%02d", year, month);
  partition.name = name;
  partition.from_ms = monthStartMs(year, month);
  partition.to_ms = monthStartMs(year, month + 1);
  return partition;
}

StatusOr<int> currentVersion(Connection& conn) {
  auto result = conn.exec("SELECT coalesce(max(version), 0) FROM schema_migrations");
  if (!result.isOk()) return result.status();
  return std::atoi(PQgetvalue(result->get(), 0, 0));
}

Status applyMissing(Connection& conn, int from, int64_t now_ms) {
  for (int version = from + 1; version <= kLatest; ++version) {
    auto transaction = Transaction::begin(conn);
    if (!transaction.isOk()) return transaction.status();
    VIGIE_RETURN_IF_ERROR(conn.run(kMigrations[version - 1]));
    auto recorded = conn.exec("INSERT INTO schema_migrations(version, applied_ms) VALUES ($1, $2)",
                              {std::to_string(version), std::to_string(now_ms)});
    if (!recorded.isOk()) return recorded.status();
    VIGIE_RETURN_IF_ERROR(transaction->commit());
  }
  return Status::ok();
}

}  // namespace

int latestSchemaVersion() { return kLatest; }

StatusOr<int> migrate(Connection& conn, int64_t now_ms) {
  auto locked = conn.exec(std::string("SELECT pg_advisory_lock(") + kMigrationLock + ")");
  if (!locked.isOk()) return locked.status();
  auto migrated = [&]() -> StatusOr<int> {
    VIGIE_RETURN_IF_ERROR(
        conn.run("CREATE TABLE IF NOT EXISTS schema_migrations("
                 " version integer PRIMARY KEY, applied_ms bigint NOT NULL)"));
    auto version = currentVersion(conn);
    if (!version.isOk()) return version.status();
    if (*version > kLatest) {
      return Status::failedPrecondition("postgresql: the database schema is at version " +
                                        std::to_string(*version) +
                                        ", newer than this collector knows (" +
                                        std::to_string(kLatest) + "): upgrade the collector");
    }
    VIGIE_RETURN_IF_ERROR(applyMissing(conn, *version, now_ms));
    return kLatest;
  }();
  (void)conn.exec(std::string("SELECT pg_advisory_unlock(") + kMigrationLock + ")");
  return migrated;
}

MonthPartition monthPartitionOf(int64_t time_ms) {
  // "YYYY-MM-...": the calendar is the protocol's own.
  const std::string text = protocol::formatUtcMillis(time_ms);
  return partitionFor(std::atoi(text.substr(0, 4).c_str()), std::atoi(text.substr(5, 2).c_str()));
}

std::optional<MonthPartition> monthPartitionNamed(std::string_view name) {
  constexpr std::string_view kPrefix = "events_";
  if (name.size() != kPrefix.size() + 6 || name.substr(0, kPrefix.size()) != kPrefix) {
    return std::nullopt;
  }
  int digits = 0;
  for (const char c : name.substr(kPrefix.size())) {
    if (c < '0' || c > '9') return std::nullopt;
    digits = digits * 10 + (c - '0');
  }
  const int month = digits % 100;
  if (month < 1 || month > 12) return std::nullopt;
  return partitionFor(digits / 100, month);
}

Status ensurePartition(Connection& conn, const MonthPartition& month) {
  auto transaction = Transaction::begin(conn);
  if (!transaction.isOk()) return transaction.status();
  auto locked = conn.exec(std::string("SELECT pg_advisory_xact_lock(") + kPartitionLock + ")");
  if (!locked.isOk()) return locked.status();
  auto attached = conn.exec(
      "SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
      " WHERE i.inhparent = 'events'::regclass AND c.relname = $1",
      {month.name});
  if (!attached.isOk()) return attached.status();
  if (PQntuples(attached->get()) > 0) return transaction->commit();
  // Made apart, then attached: ATTACH locks events against other DDL only, while
  // CREATE TABLE ... PARTITION OF would wait for (and stop) every insert and query. The name and
  // bounds are computed here from a time, not taken from input.
  VIGIE_RETURN_IF_ERROR(conn.run("CREATE TABLE IF NOT EXISTS " + month.name +
                                 " (LIKE events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"));
  VIGIE_RETURN_IF_ERROR(conn.run("ALTER TABLE events ATTACH PARTITION " + month.name +
                                 " FOR VALUES FROM (" + std::to_string(month.from_ms) + ") TO (" +
                                 std::to_string(month.to_ms) + ")"));
  return transaction->commit();
}

}  // namespace vigie::collector::pg
