#include "store/postgres/pg_sql.h"

#include <charconv>
#include <cstring>
#include <deque>

namespace vigie::collector::pg {
namespace {

// Serialises the audit side's transactions across collectors (pg_advisory_xact_lock's key; the
// schema migrations use another).
constexpr char kAuditWriteLock[] = "SELECT pg_advisory_xact_lock(7358201)";
// Parameter and column types (pg_type.h's BYTEAOID, INT8OID, TEXTOID): typed parameters, since
// the server cannot infer one from `? IS NULL` or max(?, ...).
constexpr Oid kByteaOid = 17;
constexpr Oid kBigintOid = 20;
constexpr Oid kTextOid = 25;

bool isWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

class PgRow final : public SqlRow {
 public:
  PgRow(const PGresult* result, int row) : result_(result), row_(row) {}
  bool isNull(int column) const override { return PQgetisnull(result_, row_, column) != 0; }
  int64_t integer(int column) const override {
    const std::string_view text = raw(column);
    if (text == "t") return 1;
    int64_t value = 0;
    std::from_chars(text.data(), text.data() + text.size(), value);
    return value;
  }
  std::string text(int column) const override { return std::string(view(column)); }
  std::string_view view(int column) const override {
    if (PQftype(result_, column) != kByteaOid) return raw(column);
    decoded_.push_back(byteaValue(result_, row_, column));
    return decoded_.back();
  }

 private:
  std::string_view raw(int column) const {
    return {PQgetvalue(result_, row_, column),
            static_cast<size_t>(PQgetlength(result_, row_, column))};
  }
  const PGresult* result_;
  const int row_;
  // Decoded bytea values, kept until the row is done with (view() promises that long).
  mutable std::deque<std::string> decoded_;
};

struct Params {
  std::vector<Param> values;
  std::vector<Oid> types;
};

Params paramsOf(const std::vector<SqlArg>& args) {
  Params params;
  params.values.reserve(args.size());
  for (const SqlArg& arg : args) {
    if (const auto* number = std::get_if<int64_t>(&arg)) {
      params.values.emplace_back(std::to_string(*number));
      params.types.push_back(kBigintOid);
    } else if (const auto* text = std::get_if<std::string_view>(&arg)) {
      params.values.emplace_back(std::string(*text));
      params.types.push_back(kTextOid);
    } else if (const auto* blob = std::get_if<SqlBlob>(&arg)) {
      params.values.emplace_back(byteaParam(blob->bytes));
      params.types.push_back(kByteaOid);
    } else {
      // NULL stands for a missing text everywhere the modules pass one (`?1 IS NULL OR ...`).
      params.values.emplace_back(std::nullopt);
      params.types.push_back(kTextOid);
    }
  }
  return params;
}

std::string quoted(std::string_view identifier) { return "\"" + std::string(identifier) + "\""; }

}  // namespace

std::string toPostgres(std::string_view statement) {
  constexpr std::string_view kOrIgnore = "INSERT OR IGNORE INTO ";
  bool ignore_conflicts = false;
  if (statement.starts_with(kOrIgnore)) {
    ignore_conflicts = true;
    statement.remove_prefix(kOrIgnore.size());
  }
  std::string out = ignore_conflicts ? "INSERT INTO " : "";
  int placeholder = 0;
  for (size_t i = 0; i < statement.size(); ++i) {
    const char c = statement[i];
    if (c == '\'' || c == '"') {  // a literal or a quoted identifier, copied whole
      const size_t end = statement.find(c, i + 1);
      const size_t stop = end == std::string_view::npos ? statement.size() : end + 1;
      out.append(statement.substr(i, stop - i));
      i = stop - 1;
    } else if (c == '?' && i + 1 < statement.size() && statement[i + 1] >= '0' &&
               statement[i + 1] <= '9') {
      out += '$';  // ?NNN is $NNN
    } else if (c == '?') {
      out += "$" + std::to_string(++placeholder);
    } else if (statement.substr(i, 4) == "user" && (i == 0 || !isWordChar(statement[i - 1])) &&
               (i + 4 == statement.size() || !isWordChar(statement[i + 4]))) {
      out += "\"user\"";
      i += 3;
    } else {
      out += c;
    }
  }
  if (ignore_conflicts) out += " ON CONFLICT DO NOTHING";
  return out;
}

Status PgSql::ensureConnected() {
  if (conn_ && conn_->healthy()) return Status::ok();
  if (in_transaction_) return Status::ioError("postgresql: connection lost in a transaction");
  conn_.reset();
  auto opened = Connection::open(conninfo_);
  if (!opened.isOk()) return opened.status();
  conn_ = std::move(opened).value();
  return Status::ok();
}

Status PgSql::runTranslated(const std::string& statement, const std::vector<SqlArg>& args,
                            const std::function<bool(const SqlRow&)>& row, bool may_retry) {
  const Params params = paramsOf(args);
  const bool writes = statement.starts_with("INSERT") || statement.starts_with("UPDATE") ||
                      statement.starts_with("DELETE");
  if (writes) changes_ = 0;
  auto run = [&]() -> StatusOr<Connection::Streamed> {
    VIGIE_RETURN_IF_ERROR(ensureConnected());
    return conn_->stream(statement, params.values, params.types, [&row](const PGresult* result) {
      const PgRow current(result, 0);
      return row(current);
    });
  };
  auto streamed = run();
  // A server restarted since the last statement: a read that has handed over no row yet is asked
  // again on a new connection (a write is not: it may have been applied before the connection
  // went).
  if (!streamed.isOk() && may_retry && !writes && !in_transaction_ && !conn_->healthy()) {
    streamed = run();
  }
  if (!streamed.isOk()) return streamed.status();
  if (writes) changes_ = static_cast<int>(streamed->count);
  return Status::ok();
}

Status PgSql::query(std::string_view statement, const std::vector<SqlArg>& args,
                    const std::function<bool(const SqlRow&)>& row) {
  return runTranslated(toPostgres(statement), args, row, /*may_retry=*/true);
}

StatusOr<int64_t> PgSql::lastInsertId() {
  int64_t id = 0;
  // Never on a new connection: lastval() belongs to the session that inserted.
  VIGIE_RETURN_IF_ERROR(runTranslated(
      "SELECT lastval()", {},
      [&id](const SqlRow& r) {
        id = r.integer(0);
        return false;
      },
      /*may_retry=*/false));
  return id;
}

Status PgSql::upsert(std::string_view table, const std::vector<std::string_view>& columns,
                     size_t key_columns, const std::vector<SqlArg>& args) {
  std::string names, values, keys, updates;
  for (size_t i = 0; i < columns.size(); ++i) {
    const std::string separator = i == 0 ? "" : ", ";
    names += separator + quoted(columns[i]);
    values += separator + "$" + std::to_string(i + 1);
    if (i < key_columns) {
      keys += separator + quoted(columns[i]);
    } else {
      updates +=
          (updates.empty() ? "" : ", ") + quoted(columns[i]) + " = EXCLUDED." + quoted(columns[i]);
    }
  }
  const std::string statement =
      "INSERT INTO " + std::string(table) + "(" + names + ") VALUES (" + values +
      ") ON CONFLICT (" + keys + ") DO " +
      (updates.empty() ? std::string("NOTHING") : "UPDATE SET " + updates);
  return runTranslated(
      statement, args, [](const SqlRow&) { return true; }, /*may_retry=*/false);
}

Status PgSql::transaction(const std::function<Status(Sql&)>& work) {
  VIGIE_RETURN_IF_ERROR(ensureConnected());
  auto transaction = Transaction::begin(*conn_);
  if (!transaction.isOk()) return transaction.status();
  in_transaction_ = true;
  struct Ended {  // even when `work` throws
    bool& flag;
    ~Ended() { flag = false; }
  } ended{in_transaction_};
  VIGIE_RETURN_IF_ERROR(conn_->run(kAuditWriteLock));
  VIGIE_RETURN_IF_ERROR(work(*this));
  return transaction->commit();
}

}  // namespace vigie::collector::pg
