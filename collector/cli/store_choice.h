#pragma once

// Which store a collector runs on (--store): the embedded encrypted file in its data directory,
// or a PostgreSQL database that several collectors share behind a load balancer.

#include <memory>
#include <string>

#include "audit/audit_db.h"
#include "vigie/collector/collector_home.h"
#include "vigie/collector/event_store.h"
#include "vigie/collector/postgres_store.h"

namespace vigie::collector {

struct CollectorStores {
  EventStorePtr events;
  std::unique_ptr<AuditDb> audit;
  PostgresStore* postgres = nullptr;  // `events`, when it is PostgreSQL
};

// `store`: "embedded" (or empty), or a postgresql:// (postgres://) URI. A URI holding a password
// is refused (a command line is readable by every local user): libpq takes it from PGPASSFILE or
// ~/.pgpass. Errors never quote the URI.
StatusOr<CollectorStores> openCollectorStores(const std::string& store, const CollectorHome& home,
                                              int64_t now_ms);

}  // namespace vigie::collector
