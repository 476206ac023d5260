#include "sql/sqlite_sql.h"

namespace vigie::collector {
namespace {

class SqliteRow final : public SqlRow {
 public:
  explicit SqliteRow(sqlite3_stmt* stmt) : stmt_(stmt) {}
  bool isNull(int column) const override {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
  }
  int64_t integer(int column) const override { return sqlcipher::columnInt(stmt_, column); }
  std::string text(int column) const override { return sqlcipher::columnText(stmt_, column); }
  std::string_view view(int column) const override { return sqlcipher::columnBlob(stmt_, column); }

 private:
  sqlite3_stmt* stmt_;
};

void bind(sqlite3_stmt* stmt, const std::vector<SqlArg>& args) {
  for (size_t i = 0; i < args.size(); ++i) {
    const int index = static_cast<int>(i) + 1;
    if (const auto* number = std::get_if<int64_t>(&args[i])) {
      sqlcipher::bindInt(stmt, index, *number);
    } else if (const auto* text = std::get_if<std::string_view>(&args[i])) {
      sqlcipher::bindText(stmt, index, *text);
    } else if (const auto* blob = std::get_if<SqlBlob>(&args[i])) {
      sqlcipher::bindBlob(stmt, index, blob->bytes);
    } else {
      sqlite3_bind_null(stmt, index);
    }
  }
}

}  // namespace

Status SqliteSql::query(std::string_view statement, const std::vector<SqlArg>& args,
                        const std::function<bool(const SqlRow&)>& row) {
  auto prepared = sqlcipher::prepare(db_, statement);
  if (!prepared.isOk()) return prepared.status();
  sqlite3_stmt* stmt = prepared->get();
  bind(stmt, args);
  const SqliteRow current(stmt);
  for (int rc = sqlite3_step(stmt); rc != SQLITE_DONE; rc = sqlite3_step(stmt)) {
    if (rc != SQLITE_ROW) return sqlcipher::toStatus(rc, db_, statement.substr(0, 60));
    if (!row(current)) break;
  }
  return Status::ok();
}

int SqliteSql::changes() const { return sqlite3_changes(db_); }

StatusOr<int64_t> SqliteSql::lastInsertId() { return sqlite3_last_insert_rowid(db_); }

Status SqliteSql::upsert(std::string_view table, const std::vector<std::string_view>& columns,
                         size_t /*key_columns*/, const std::vector<SqlArg>& args) {
  std::string statement = "INSERT OR REPLACE INTO " + std::string(table) + "(";
  std::string values;
  for (size_t i = 0; i < columns.size(); ++i) {
    statement += (i == 0 ? "" : ", ") + std::string(columns[i]);
    values += i == 0 ? "?" : ", ?";
  }
  return run(statement + ") VALUES (" + values + ")", args);
}

Status SqliteSql::transaction(const std::function<Status(Sql&)>& work) {
  VIGIE_RETURN_IF_ERROR(sqlcipher::exec(db_, "BEGIN IMMEDIATE;"));
  Status done = work(*this);
  if (!done.isOk()) {
    sqlcipher::exec(db_, "ROLLBACK;");
    return done;
  }
  Status committed = sqlcipher::exec(db_, "COMMIT;");
  // A failed COMMIT (disk full, I/O error) leaves the transaction open: end it, or every later
  // write on this connection fails too.
  if (!committed.isOk()) sqlcipher::exec(db_, "ROLLBACK;");
  return committed;
}

}  // namespace vigie::collector
