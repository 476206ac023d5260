#include "pg_connection.h"

#include <cstdint>

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

StatusOr<std::unique_ptr<Connection>> Connection::open(const std::string& conninfo) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (conn == nullptr) return Status::resourceExhausted("postgresql: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    // libpq's message names the host and the reason, never the password.
    std::string message = "postgresql: cannot connect: ";
    message += PQerrorMessage(conn);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
      message.pop_back();
    }
    PQfinish(conn);
    return Status::ioError(std::move(message));
  }
  // The server's notices ("already exists, skipping") are expected, not for the log.
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  return std::unique_ptr<Connection>(new Connection(conn));
}

Connection::~Connection() { PQfinish(conn_); }

Status Connection::check(const PGresult* result, std::string_view sql) const {
  const ExecStatusType status = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return Status::ok();
  // The statement's first words say which step failed without repeating its parameters.
  std::string message = "postgresql: " + std::string(sql.substr(0, sql.find_first_of("(\n")));
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  if (state != nullptr) message += std::string(" [") + state + "]";
  message += ": ";
  message += result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(conn_);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
    message.pop_back();
  }
  if (!healthy()) message += " (connection lost)";
  if (state != nullptr && std::string_view(state) == "23505") {
    return Status::failedPrecondition(std::move(message));
  }
  return Status::ioError(std::move(message));
}

StatusOr<Result> Connection::exec(std::string_view sql, const std::vector<Param>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const Param& param : params) values.push_back(param ? param->c_str() : nullptr);
  const std::string text(sql);
  Result result(PQexecParams(conn_, text.c_str(), static_cast<int>(params.size()), nullptr,
                             values.data(), nullptr, nullptr, 0));
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
  VIGIE_RETURN_IF_ERROR(conn.run("BEGIN"));
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
