#pragma once

// The SQL seam (collector/sql/sql.h) over one PostgreSQL connection. The seam's statements are
// written for both databases; the few SQLite spellings they use are turned into PostgreSQL's here
// (toPostgres), and every transaction takes one advisory lock so that writers on several
// collectors follow each other as they do on the embedded store's file.

#include <string>
#include <string_view>

#include "pg_connection.h"
#include "sql/sql.h"

namespace vigie::collector::pg {

// `?` placeholders numbered $1..$n (?NNN as $NNN), the column name `user` (reserved in PostgreSQL)
// quoted, and INSERT OR IGNORE as ON CONFLICT DO NOTHING. Quoted literals and identifiers are left
// alone.
std::string toPostgres(std::string_view statement);

class PgSql final : public Sql {
 public:
  // `conn` was opened with `conninfo`, which opens the next one when the server is lost.
  PgSql(std::string conninfo, std::unique_ptr<Connection> conn)
      : conninfo_(std::move(conninfo)), conn_(std::move(conn)) {}

  Status query(std::string_view statement, const std::vector<SqlArg>& args,
               const std::function<bool(const SqlRow&)>& row) override;
  int changes() const override { return changes_; }
  StatusOr<int64_t> lastInsertId() override;
  Status upsert(std::string_view table, const std::vector<std::string_view>& columns,
                size_t key_columns, const std::vector<SqlArg>& args) override;
  Status transaction(const std::function<Status(Sql&)>& work) override;

 private:
  // `may_retry`: a read that found the connection lost is asked again on a new one.
  Status runTranslated(const std::string& statement, const std::vector<SqlArg>& args,
                       const std::function<bool(const SqlRow&)>& row, bool may_retry);
  // A connection that works, opening a new one when the last was lost (outside a transaction).
  Status ensureConnected();

  const std::string conninfo_;
  std::unique_ptr<Connection> conn_;
  bool in_transaction_ = false;
  int changes_ = 0;
};

}  // namespace vigie::collector::pg
