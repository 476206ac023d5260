#pragma once

// A PostgreSQL server of the test's own (Debian's postgresql): initdb into a temporary
// directory, listening on 127.0.0.1 and a free port only, password (SCRAM) authentication; stopped
// and removed when destroyed. Run as the `postgres` account when the test runs as root (the server
// refuses root).

#include <memory>
#include <string>
#include <vector>

#include "temp_dir.h"

namespace vigie::testing {

class PostgresServer {
 public:
  // kDurable: fsync on, as in production (benchmarks); tests run without it.
  enum class Durability { kTest, kDurable };
  explicit PostgresServer(Durability durability = Durability::kTest);
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // One server for the whole test program, started on first use.
  static PostgresServer& shared();

  bool running() const { return running_; }
  // What went wrong when it is not running (initdb's or pg_ctl's own words).
  const std::string& error() const { return error_; }
  int port() const { return port_; }

  // A new empty database, and the libpq connection string that reaches it.
  std::string createDatabase();
  std::string conninfo(const std::string& database) const;
  // The name of the database createDatabase() made last.
  const std::string& lastDatabase() const { return last_database_; }
  // The same as a URI without the password, and the password file line (PGPASSFILE) that
  // supplies it, as a collector's command line and its host would hold them.
  std::string uriWithoutPassword(const std::string& database) const;
  std::string passwordFileLine() const;

  // Stops the server: "fast" (clients disconnected, clean) or "immediate" (as if it crashed).
  bool stop(const std::string& mode = "fast");
  // Starts it again on the same port and data.
  bool start();

 private:
  bool pgCtl(const std::vector<std::string>& args);

  Durability durability_;
  TempDir dir_;
  std::string bin_;
  std::string password_;
  int uid_ = -1;
  int port_ = 0;
  int databases_ = 0;
  std::string last_database_;
  bool running_ = false;
  std::string error_;
};

}  // namespace vigie::testing
