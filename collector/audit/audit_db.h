#pragma once

// The collector's audit-side tables (accounts, tokens, audit trail, reveals, people, CRM records,
// retention, holds), in the same database as the events so that questions can join both: the
// embedded store's SQLCipher file or PostgreSQL. One connection, one caller at a time; writers
// take the database's write lock at once, so that a second collector waits instead of failing.

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "sql/sql.h"
#include "vigie/collector/postgres_store.h"
#include "vigie/crypto/secret_key.h"
#include "vigie/protocol/status.h"

namespace vigie::collector {

class AuditDb {
 public:
  // REQUIRES: the event store (openSqlCipherStore) has created the file and its tables.
  static StatusOr<std::unique_ptr<AuditDb>> open(const std::string& path,
                                                 const crypto::SecretKey& key);
  // REQUIRES: openPostgresStore has migrated the database.
  static StatusOr<std::unique_ptr<AuditDb>> open(const PostgresOptions& options);

  // Runs `fn(sql)` with the connection to itself.
  template <typename F>
  auto with(F&& fn) {
    std::lock_guard lock(mutex_);
    return fn(*sql_);
  }

  // Runs `fn` inside one transaction: committed when it returns ok, rolled back otherwise.
  Status transaction(const std::function<Status(Sql&)>& fn) {
    return with([&fn](Sql& sql) { return sql.transaction(fn); });
  }

 private:
  explicit AuditDb(std::unique_ptr<Sql> sql) : sql_(std::move(sql)) {}
  std::mutex mutex_;
  std::unique_ptr<Sql> sql_;
};

}  // namespace vigie::collector
