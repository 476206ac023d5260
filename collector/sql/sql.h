#pragma once

// The SQL the collector's audit side speaks, whichever database holds its tables: statements with
// ? placeholders bound in order, rows read by column, the rows a statement changed, the id of a
// row just inserted, and transactions. Modules written against this seam do not name the
// database: the embedded store implements it over SQLCipher (sqlite_sql.h).

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "vigie/protocol/status.h"

namespace vigie::collector {

// A statement parameter: an integer, a text, bytes (SqlBlob) or NULL (std::monostate).
struct SqlBlob {
  std::string_view bytes;
};
using SqlArg = std::variant<std::monostate, int64_t, std::string_view, SqlBlob>;

// One row of a result, read by column index (0-based); valid during the callback only.
class SqlRow {
 public:
  virtual bool isNull(int column) const = 0;
  virtual int64_t integer(int column) const = 0;
  virtual std::string text(int column) const = 0;
  // The column's bytes without a copy; valid until the callback returns.
  virtual std::string_view view(int column) const = 0;

 protected:
  ~SqlRow() = default;
};

class Sql {
 public:
  virtual ~Sql() = default;

  // Runs `statement`, calling `row` for each row of its result while it returns true.
  virtual Status query(std::string_view statement, const std::vector<SqlArg>& args,
                       const std::function<bool(const SqlRow&)>& row) = 0;

  // Runs `statement` to its end (calling `row`, when given, for each row).
  Status run(std::string_view statement, const std::vector<SqlArg>& args = {},
             const std::function<void(const SqlRow&)>& row = {}) {
    return query(statement, args, [&row](const SqlRow& r) {
      if (row) row(r);
      return true;
    });
  }

  // Rows inserted, updated or deleted by the last INSERT, UPDATE or DELETE run (as SQLite counts
  // them: a SELECT since leaves the count as it was).
  virtual int changes() const = 0;

  // The key of the row the last INSERT added to a table keyed by an integer `id`.
  virtual StatusOr<int64_t> lastInsertId() = 0;

  // Inserts a row of `columns` (the first `key_columns` of them the table's key) bound to
  // `args`, replacing the row with the same key if there is one.
  virtual Status upsert(std::string_view table, const std::vector<std::string_view>& columns,
                        size_t key_columns, const std::vector<SqlArg>& args) = 0;

  // Runs `work` inside one transaction that takes the write lock at once (a second collector on
  // the same database waits): committed when it returns ok, rolled back otherwise.
  virtual Status transaction(const std::function<Status(Sql&)>& work) = 0;
};

}  // namespace vigie::collector
