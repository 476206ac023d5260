#include "pg_connection.h"

#include <charconv>
#include <cstdint>
#include <cstring>

namespace vigie::collector::pg {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string byteaParam(std::string_view bytes) {
  std::string text = "\\x";
  text.reserve(2 + bytes.size() * 2);
  for (const char c : bytes) {
    const auto byte = static_cast<uint8_t>(c);
    text += kHexDigits[byte >> 4];
    text += kHexDigits[byte & 0xF];
  }
  return text;
}

std::string byteaValue(const PGresult* result, int row, int column) {
  const std::string_view text(PQgetvalue(result, row, column),
                              static_cast<size_t>(PQgetlength(result, row, column)));
  std::string bytes;
  if (text.size() < 2 || text.substr(0, 2) != "\\x") return bytes;
  for (size_t i = 2; i + 1 < text.size(); i += 2) {
    const int high = hexValue(text[i]);
    const int low = hexValue(text[i + 1]);
    if (high < 0 || low < 0) return {};
    bytes += static_cast<char>(high * 16 + low);
  }
  return bytes;
}

namespace {

// Removes every occurrence of `secret` from `text`.
void redact(std::string& text, const std::string& secret) {
  if (secret.empty()) return;
  for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at)) {
    text.replace(at, secret.size(), "***");
  }
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

StatusOr<std::unique_ptr<Connection>> Connection::open(const std::string& conninfo) {
  // Parsed first: libpq's message about a malformed string quotes the string, password included.
  char* parse_error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(conninfo.c_str(), &parse_error);
  if (parsed == nullptr) {
    PQfreemem(parse_error);
    return Status::invalidArgument(
        "postgresql: the connection string is malformed (key=value pairs or a postgresql:// URI)");
  }
  std::string password;
  for (const PQconninfoOption* option = parsed; option->keyword != nullptr; ++option) {
    if (std::string_view(option->keyword) == "password" && option->val != nullptr) {
      password = option->val;
    }
  }
  PQconninfoFree(parsed);

  // Defaults first, the given string after them (it overrides): a collector whose peer vanished
  // without closing the connection (host down, network cut) is noticed within a minute, not
  // after the system's two hours of TCP keepalive, so that its device locks are let go.
  const char* const keywords[] = {"keepalives",
                                  "keepalives_idle",
                                  "keepalives_interval",
                                  "keepalives_count",
                                  "tcp_user_timeout",
                                  "dbname",
                                  nullptr};
  const char* const values[] = {"1", "20", "10", "3", "60000", conninfo.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn == nullptr) return Status::resourceExhausted("postgresql: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = "postgresql: cannot connect: " + trimmed(PQerrorMessage(conn));
    redact(message, password);
    PQfinish(conn);
    return Status::ioError(std::move(message));
  }
  // The server's notices ("already exists, skipping") are expected, not for the log; its error
  // details ("Failing row contains ...") may hold keys or personal data: left out.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  PQsetErrorVerbosity(conn, PQERRORS_TERSE);
  auto connection = std::unique_ptr<Connection>(new Connection(conn));
  // A batch waits for its device's lock at most 30 s (then fails and is sent again); a
  // transaction left idle by a stuck collector is ended by the server.
  VIGIE_RETURN_IF_ERROR(
      connection->run("SET lock_timeout = '30s'; SET idle_in_transaction_session_timeout = '60s'"));
  return connection;
}

Connection::~Connection() { PQfinish(conn_); }

Status Connection::check(const PGresult* result, std::string_view sql) const {
  const ExecStatusType status = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return Status::ok();
  // The statement's first words say which step failed without repeating its parameters.
  std::string message = "postgresql: " + std::string(sql.substr(0, sql.find_first_of("($\n")));
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  if (state != nullptr) message += std::string(" [") + state + "]";
  message += ": ";
  message =
      trimmed(message + (result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(conn_)));
  if (!healthy()) message += " (connection lost)";
  if (state != nullptr && std::string_view(state) == "23505") {
    return Status::failedPrecondition(std::move(message));
  }
  return Status::ioError(std::move(message));
}

namespace {

// The parameters as libpq takes them: C strings, NULL for SQL NULL.
StatusOr<std::vector<const char*>> valuesOf(const std::vector<Param>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const Param& param : params) {
    // A NUL inside would cut the value short without a word.
    if (param && param->find('\0') != std::string::npos) {
      return Status::invalidArgument("postgresql: a text value holds a NUL character");
    }
    values.push_back(param ? param->c_str() : nullptr);
  }
  return values;
}

}  // namespace

StatusOr<Connection::Streamed> Connection::stream(
    std::string_view sql, const std::vector<Param>& params, const std::vector<Oid>& types,
    const std::function<bool(const PGresult* row)>& row) {
  auto values = valuesOf(params);
  if (!values.isOk()) return values.status();
  const std::string text(sql);
  if (PQsendQueryParams(conn_, text.c_str(), static_cast<int>(params.size()),
                        types.size() == params.size() ? types.data() : nullptr, values->data(),
                        nullptr, nullptr, 0) == 0) {
    return check(nullptr, sql);
  }
  PQsetSingleRowMode(conn_);
  Streamed streamed;
  Status status = Status::ok();
  bool wanted = true;
  // Every result is read, whatever happens, so that the connection is ready for the next one.
  while (Result result{PQgetResult(conn_)}) {
    const ExecStatusType kind = PQresultStatus(result.get());
    if (kind == PGRES_SINGLE_TUPLE) {
      if (wanted && status.isOk()) {
        ++streamed.delivered;
        wanted = row(result.get());
      }
    } else if (kind == PGRES_TUPLES_OK || kind == PGRES_COMMAND_OK) {
      const char* count = PQcmdTuples(result.get());
      std::from_chars(count, count + std::strlen(count), streamed.count);
    } else if (status.isOk()) {
      status = check(result.get(), sql);
    }
  }
  if (!status.isOk()) return status;
  if (!healthy()) return check(nullptr, sql);
  return streamed;
}

StatusOr<Result> Connection::exec(std::string_view sql, const std::vector<Param>& params,
                                  const std::vector<Oid>& types) {
  auto values = valuesOf(params);
  if (!values.isOk()) return values.status();
  const std::string text(sql);
  Result result(PQexecParams(conn_, text.c_str(), static_cast<int>(params.size()),
                             types.size() == params.size() ? types.data() : nullptr, values->data(),
                             nullptr, nullptr, 0));
  VIGIE_RETURN_IF_ERROR(check(result.get(), sql));
  return result;
}

Status Connection::run(std::string_view sql) {
  const std::string text(sql);
  Result result(PQexec(conn_, text.c_str()));
  return check(result.get(), sql);
}

ConnectionPool::ConnectionPool(std::string conninfo, size_t capacity)
    : conninfo_(std::move(conninfo)), capacity_(capacity == 0 ? 1 : capacity) {}

ConnectionPool::Lease::~Lease() {
  if (conn_) pool_->release(std::move(conn_));
}

StatusOr<ConnectionPool::Lease> ConnectionPool::acquire() {
  {
    std::unique_lock lock(mutex_);
    returned_.wait(lock, [this] { return !idle_.empty() || open_ < capacity_; });
    if (!idle_.empty()) {
      std::unique_ptr<Connection> conn = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(conn));
    }
    ++open_;
  }
  auto opened = Connection::open(conninfo_);
  if (!opened.isOk()) {
    std::lock_guard lock(mutex_);
    --open_;
    returned_.notify_one();
    return opened.status();
  }
  return Lease(*this, std::move(opened).value());
}

void ConnectionPool::release(std::unique_ptr<Connection> conn) {
  std::lock_guard lock(mutex_);
  if (conn->healthy()) {
    idle_.push_back(std::move(conn));
  } else {
    conn.reset();
    --open_;
  }
  returned_.notify_one();
}

StatusOr<Transaction> Transaction::begin(Connection& conn) {
  // Read committed, whatever the server's default: a device's batches queue on its row lock
  // instead of failing with serialization errors.
  VIGIE_RETURN_IF_ERROR(conn.run("BEGIN ISOLATION LEVEL READ COMMITTED"));
  return Transaction(conn);
}

Transaction::~Transaction() {
  if (conn_ != nullptr && conn_->healthy()) (void)conn_->run("ROLLBACK");
}

Status Transaction::commit() {
  Connection* conn = conn_;
  conn_ = nullptr;
  return conn->run("COMMIT");
}

}  // namespace vigie::collector::pg
