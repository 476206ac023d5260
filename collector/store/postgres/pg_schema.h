#pragma once

// The PostgreSQL schema as numbered migrations, applied in order when a collector starts.

#include "pg_connection.h"

namespace vigie::collector::pg {

// The highest migration this build knows.
int latestSchemaVersion();

// Applies the missing migrations, each in its own transaction, while holding a session advisory
// lock so that collectors starting together migrate once. Returns the version reached.
// kFailedPrecondition when the database is at a version newer than latestSchemaVersion().
StatusOr<int> migrate(Connection& conn, int64_t now_ms);

// "events_YYYYMM": the partition holding events received in the UTC month of `time_ms`, and
// its bounds [from_ms, to_ms).
struct MonthPartition {
  std::string name;
  int64_t from_ms = 0;
  int64_t to_ms = 0;
};
MonthPartition monthPartitionOf(int64_t time_ms);
// The partition named `name`, or nullopt when it is not one of ours.
std::optional<MonthPartition> monthPartitionNamed(std::string_view name);

// Creates the partition if missing (collectors may race: an advisory lock orders them).
Status ensurePartition(Connection& conn, const MonthPartition& month);

}  // namespace vigie::collector::pg
