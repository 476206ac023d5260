#pragma once

// The collector's audit-side tables (accounts, tokens, audit trail, reveals, people, CRM records,
// retention, holds), in the same SQLCipher file as the events so that questions can join both.
// One connection, one caller at a time; writers use BEGIN IMMEDIATE so that a second collector
// process on the same file waits instead of failing.

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "sql/sqlite_sql.h"
#include "vigie/crypto/secret_key.h"
#include "vigie/protocol/status.h"
#include "vigie/sqlcipher/sqlite.h"

namespace vigie::collector {

class AuditDb {
 public:
  // REQUIRES: the event store (openSqlCipherStore) has created the file and its tables.
  static StatusOr<std::unique_ptr<AuditDb>> open(const std::string& path,
                                                 const crypto::SecretKey& key);

  // Runs `fn(sql)` with the connection to itself.
  template <typename F>
  auto with(F&& fn) {
    std::lock_guard lock(mutex_);
    return fn(static_cast<Sql&>(sql_));
  }

  // Runs `fn` inside one transaction: committed when it returns ok, rolled back otherwise.
  Status transaction(const std::function<Status(Sql&)>& fn) {
    return with([&fn](Sql& sql) { return sql.transaction(fn); });
  }

 private:
  explicit AuditDb(sqlcipher::Db db) : db_(std::move(db)), sql_(db_.get()) {}
  std::mutex mutex_;
  sqlcipher::Db db_;
  SqliteSql sql_;
};

}  // namespace vigie::collector
