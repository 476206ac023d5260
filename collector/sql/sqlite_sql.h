#pragma once

// The SQL seam over one SQLCipher connection (the embedded store's file).

#include "sql/sql.h"
#include "vigie/sqlcipher/sqlite.h"

namespace vigie::collector {

class SqliteSql final : public Sql {
 public:
  // Does not own `db`, which must outlive this.
  explicit SqliteSql(sqlite3* db) : db_(db) {}

  Status query(std::string_view statement, const std::vector<SqlArg>& args,
               const std::function<bool(const SqlRow&)>& row) override;
  int changes() const override;
  int64_t lastInsertId() const override;
  Status transaction(const std::function<Status(Sql&)>& work) override;

 private:
  sqlite3* db_;
};

}  // namespace vigie::collector
