#pragma once

// libpq wrapped in RAII: one connection, its results as Status, and a pool of connections
// shared by the collector's threads. Parameters are always sent apart from the SQL text.

#include <libpq-fe.h>

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vigie/protocol/status.h"

namespace vigie::collector::pg {

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

// A parameter in PostgreSQL's text form; nullopt is SQL NULL.
using Param = std::optional<std::string>;

// bytea's text form ("\x" and hex digits) and back.
std::string byteaParam(std::string_view bytes);
std::string byteaValue(const PGresult* result, int row, int column);

class Connection {
 public:
  // `conninfo`: a libpq connection string or URI. Never logged: it may hold a password.
  static StatusOr<std::unique_ptr<Connection>> open(const std::string& conninfo);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one statement. kIoError names the server's SQLSTATE; a lost connection says so.
  // `types` (type OIDs, one per parameter, 0 to let the server infer) may be left empty.
  StatusOr<Result> exec(std::string_view sql, const std::vector<Param>& params = {},
                        const std::vector<Oid>& types = {});
  // Runs one statement and hands its rows to `row` one at a time (libpq's single-row mode), so
  // that a large result is never held whole; once `row` returns false the rest is read and
  // dropped. Returns the command's tag count (rows changed, or rows returned) and how many rows
  // reached `row`.
  struct Streamed {
    int64_t count = 0;
    int64_t delivered = 0;
  };
  StatusOr<Streamed> stream(std::string_view sql, const std::vector<Param>& params,
                            const std::vector<Oid>& types,
                            const std::function<bool(const PGresult* row)>& row);
  // Runs statements without parameters (several allowed, separated by ';').
  Status run(std::string_view sql);
  // Whether the connection still works; a broken one is dropped from the pool.
  bool healthy() const { return PQstatus(conn_) == CONNECTION_OK; }

 private:
  explicit Connection(PGconn* conn) : conn_(conn) {}
  Status check(const PGresult* result, std::string_view sql) const;
  PGconn* conn_;
};

// Up to `capacity` connections, opened when first needed; a thread waits for one when all are in
// use. A connection that broke is closed on its return; the next acquire opens a new one.
class ConnectionPool {
 public:
  ConnectionPool(std::string conninfo, size_t capacity);

  class Lease {
   public:
    Lease(ConnectionPool& pool, std::unique_ptr<Connection> conn)
        : pool_(&pool), conn_(std::move(conn)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Connection& operator*() const { return *conn_; }
    Connection* operator->() const { return conn_.get(); }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<Connection> conn_;
  };

  StatusOr<Lease> acquire();

 private:
  void release(std::unique_ptr<Connection> conn);

  const std::string conninfo_;
  const size_t capacity_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<Connection>> idle_;
  size_t open_ = 0;
};

// Runs the statements of a transaction on one connection: BEGIN at construction, ROLLBACK at
// destruction unless commit() succeeded.
class Transaction {
 public:
  static StatusOr<Transaction> begin(Connection& conn);
  Transaction(Transaction&& other) noexcept : conn_(other.conn_) { other.conn_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();
  Status commit();

 private:
  explicit Transaction(Connection& conn) : conn_(&conn) {}
  Connection* conn_;
};

}  // namespace vigie::collector::pg
