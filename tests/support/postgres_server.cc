#include "postgres_server.h"

#include <arpa/inet.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "subprocess.h"

namespace vigie::testing {
namespace {

// The newest server Debian installed: /usr/lib/postgresql/<major>/bin.
std::string serverBinDir() {
  std::string best;
  int best_major = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", ec)) {
    const int major = std::atoi(entry.path().filename().c_str());
    if (major > best_major && std::filesystem::exists(entry.path() / "bin" / "initdb")) {
      best_major = major;
      best = (entry.path() / "bin").string();
    }
  }
  return best;
}

int freeLoopbackPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  ::close(fd);
  return port;
}

std::string randomHex(size_t bytes) {
  std::random_device random;
  std::string out;
  for (size_t i = 0; i < bytes; ++i) {
    out += "0123456789abcdef"[random() % 16];
    out += "0123456789abcdef"[random() % 16];
  }
  return out;
}

}  // namespace

PostgresServer::PostgresServer(Durability durability) : durability_(durability) {
  bin_ = serverBinDir();
  if (bin_.empty()) {
    error_ = "no PostgreSQL server under /usr/lib/postgresql (scripts/install-deps.sh installs it)";
    return;
  }
  if (::geteuid() == 0) {
    const passwd* account = ::getpwnam("postgres");
    uid_ = account != nullptr ? static_cast<int>(account->pw_uid) : 65534;
    ::chmod(dir_.path().c_str(), 0755);
  }
  password_ = randomHex(16);
  const std::string data = dir_.file("data");
  const std::string run = dir_.file("run");  // its socket and log
  const std::string password_file = dir_.file("password");
  std::filesystem::create_directories(data);
  std::filesystem::create_directories(run);
  std::ofstream(password_file) << password_ << "\n";
  ::chmod(password_file.c_str(), 0600);
  if (uid_ >= 0) {
    for (const std::string& path : {data, run, password_file}) {
      if (::chown(path.c_str(), static_cast<uid_t>(uid_), static_cast<gid_t>(-1)) != 0) {
        error_ = "cannot give " + path + " to the server's account";
        return;
      }
    }
  }
  auto [status, output] =
      runToEnd({bin_ + "/initdb", "-D", data, "-U", "vigie", "--auth=scram-sha-256",
                "--pwfile=" + password_file, "-E", "UTF8", "--locale=C", "--no-sync"},
               uid_);
  std::filesystem::remove(password_file);
  if (status != 0) {
    error_ = "initdb failed: " + output;
    return;
  }
  // The port is free when picked, but another program may take it before the server binds it:
  // a few tries.
  for (int attempt = 0; attempt < 3 && !running_; ++attempt) {
    port_ = freeLoopbackPort();
    start();
  }
}

PostgresServer::~PostgresServer() {
  if (running_) stop("immediate");
}

PostgresServer& PostgresServer::shared() {
  static PostgresServer server;
  return server;
}

bool PostgresServer::pgCtl(const std::vector<std::string>& args) {
  std::vector<std::string> argv{bin_ + "/pg_ctl", "-D", dir_.file("data"), "-w", "-t", "120"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto [status, output] = runToEnd(argv, uid_);
  if (status != 0) error_ = "pg_ctl " + args.back() + " failed: " + output;
  return status == 0;
}

bool PostgresServer::start() {
  // Loopback TCP only, its Unix socket in its own directory, not the system's.
  std::string settings = "-c listen_addresses=127.0.0.1 -p " + std::to_string(port_) + " -k " +
                         dir_.file("run") + " -c max_connections=200";
  // Without fsync a crash of the machine may lose data, not a crash of the server: commits stay
  // synchronous, so a server stopped "immediate" keeps every acknowledged batch.
  if (durability_ == Durability::kTest) settings += " -c fsync=off";
  running_ = pgCtl({"-l", dir_.file("run/server.log"), "-o", settings, "start"});
  return running_;
}

bool PostgresServer::stop(const std::string& mode) {
  if (!running_) return true;
  running_ = !pgCtl({"-m", mode, "stop"});
  return !running_;
}

std::string PostgresServer::conninfo(const std::string& database) const {
  return "host=127.0.0.1 port=" + std::to_string(port_) + " user=vigie password=" + password_ +
         " dbname=" + database + " connect_timeout=10";
}

std::string PostgresServer::uriWithoutPassword(const std::string& database) const {
  return "postgresql://vigie@127.0.0.1:" + std::to_string(port_) + "/" + database +
         "?connect_timeout=10";
}

std::string PostgresServer::passwordFileLine() const {
  return "127.0.0.1:" + std::to_string(port_) + ":*:vigie:" + password_ + "\n";
}

std::string PostgresServer::createDatabase() {
  const std::string name = "vigie_test_" + std::to_string(++databases_);
  last_database_ = name;
  PGconn* conn = PQconnectdb(conninfo("postgres").c_str());
  bool created = false;
  if (PQstatus(conn) == CONNECTION_OK) {
    PGresult* result = PQexec(conn, ("CREATE DATABASE " + name).c_str());
    created = PQresultStatus(result) == PGRES_COMMAND_OK;
    if (!created) error_ = "CREATE DATABASE failed: " + std::string(PQresultErrorMessage(result));
    PQclear(result);
  } else {
    error_ = "cannot connect to the test server: " + std::string(PQerrorMessage(conn));
  }
  PQfinish(conn);
  // A connection string that cannot connect makes the test fail with the reason above.
  return created ? conninfo(name) : conninfo("no_database_made");
}

}  // namespace vigie::testing
