#pragma once

// The SQL seam over one SQLCipher connection (the embedded store's file).

#include "sql/sql.h"
#include "vigie/sqlcipher/sqlite.h"

namespace vigie::collector {

class SqliteSql final : public Sql {
 public:
  explicit SqliteSql(sqlcipher::Db db) : owned_(std::move(db)), db_(owned_.get()) {}

  Status query(std::string_view statement, const std::vector<SqlArg>& args,
               const std::function<bool(const SqlRow&)>& row) override;
  int changes() const override;
  StatusOr<int64_t> lastInsertId() override;
  Status upsert(std::string_view table, const std::vector<std::string_view>& columns,
                size_t key_columns, const std::vector<SqlArg>& args) override;
  Status transaction(const std::function<Status(Sql&)>& work) override;

 private:
  sqlcipher::Db owned_;
  sqlite3* db_;
};

}  // namespace vigie::collector
