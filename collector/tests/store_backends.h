#pragma once

// The store tests run on both backends: the embedded SQLCipher file and PostgreSQL (a real
// server of the test program's own, a fresh database per test).

#include <gtest/gtest.h>

#include <ostream>
#include <string>

#include "postgres_server.h"
#include "temp_dir.h"
#include "test_keys.h"
#include "vigie/collector/event_store.h"
#include "vigie/collector/postgres_store.h"

namespace vigie::collector {

enum class Backend { kSqlCipher, kPostgres };

inline std::string backendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlCipher ? "SqlCipher" : "Postgres";
}

// How GoogleTest (and ctest's test names) show the parameter.
inline void PrintTo(Backend backend, std::ostream* out) {
  *out << (backend == Backend::kSqlCipher ? "SqlCipher" : "Postgres");
}

inline const auto kBothBackends = ::testing::Values(Backend::kSqlCipher, Backend::kPostgres);

// A new, empty store of `backend`; a SQLCipher file goes into `dir`, and a PostgreSQL
// database's connection string into `conninfo` when given.
inline StatusOr<EventStorePtr> openEmptyStore(Backend backend, const testing::TempDir& dir,
                                              std::string* conninfo = nullptr) {
  if (backend == Backend::kSqlCipher) {
    return openSqlCipherStore(dir.file("store.db"), testing::fixedKey(3));
  }
  auto& server = testing::PostgresServer::shared();
  if (!server.running()) return Status::ioError("test PostgreSQL server: " + server.error());
  const std::string database = server.createDatabase();
  if (conninfo != nullptr) *conninfo = database;
  auto opened = openPostgresStore({database, 2}, 1764337698000);
  if (!opened.isOk()) return opened.status();
  return EventStorePtr(std::move(opened).value());
}

}  // namespace vigie::collector
