#pragma once

// The event store on PostgreSQL, for sites where several collectors share one database
// (docs/postgresql.md). Every collector on the database may ingest any device's batches: a
// batch is verified and written under a row lock on its device (SELECT ... FOR UPDATE), so the
// chain stays linear and each (device, seq) is stored once whichever collector gets it.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "vigie/collector/event_store.h"

namespace vigie::collector {

struct PostgresOptions {
  std::string conninfo;    // libpq connection string or URI; it may hold a password
  size_t connections = 4;  // at most this many connections from this collector
};

class PostgresStore : public EventStore {
 public:
  // The schema version the database is at (migrations are applied when the store is opened).
  virtual StatusOr<int> schemaVersion() = 0;
  // Drops the monthly partitions of events received entirely before `cutoff_ms`: retention as a
  // partition drop. Returns the partitions dropped.
  virtual StatusOr<std::vector<std::string>> dropMonthsReceivedBefore(int64_t cutoff_ms) = 0;
};

// Connects, applies the schema migrations this build knows (one collector at a time, under an
// advisory lock) and creates this month's and next month's partitions. A database whose schema
// is newer than this build knows is refused (kFailedPrecondition).
StatusOr<std::unique_ptr<PostgresStore>> openPostgresStore(const PostgresOptions& options,
                                                           int64_t now_ms);

}  // namespace vigie::collector
