#pragma once

// RAII and error mapping for the SQLCipher C API, shared by the agent's queue and the collector's
// store. Every sqlite3 return code becomes a Status here and nowhere else.

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "vigie/crypto/secret_key.h"
#include "vigie/protocol/status.h"

namespace vigie::sqlcipher {

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using Db = std::unique_ptr<sqlite3, DbCloser>;
using Stmt = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

// SQLITE_FULL -> resource exhausted; SQLITE_NOTADB / SQLITE_CORRUPT -> corruption; the rest ->
// I/O error. The message names `context` and SQLite's own explanation.
Status toStatus(int rc, sqlite3* db, std::string_view context);

StatusOr<Db> open(const std::string& path, int flags);

// Opens `path` encrypted with the raw 256-bit `key` (no passphrase derivation, so opening costs no
// PBKDF2 rounds), 4 KiB cipher pages, temporary data kept in memory (no plaintext temporary
// file), synchronous=FULL. Reads the schema once: a wrong key or damaged header fails here as
// kCorruption.
StatusOr<Db> openEncrypted(const std::string& path, int flags, const crypto::SecretKey& key);
Status exec(sqlite3* db, const char* sql);
StatusOr<Stmt> prepare(sqlite3* db, std::string_view sql);

// Resets a statement for reuse, keeping it prepared.
void reset(sqlite3_stmt* stmt);
void bindInt(sqlite3_stmt* stmt, int index, int64_t value);
void bindBlob(sqlite3_stmt* stmt, int index, std::string_view bytes);
void bindText(sqlite3_stmt* stmt, int index, std::string_view text);
// Runs a statement that returns no row.
Status stepDone(sqlite3_stmt* stmt, sqlite3* db, std::string_view context);
std::string_view columnBlob(sqlite3_stmt* stmt, int column);
int64_t columnInt(sqlite3_stmt* stmt, int column);
std::string columnText(sqlite3_stmt* stmt, int column);

// A statement parameter: an integer, a text, a blob or NULL (std::monostate).
struct BlobArg {
  std::string_view bytes;
};
using Arg = std::variant<std::monostate, int64_t, std::string_view, BlobArg>;

// Binds `args` to ?1..?N (NULL for std::monostate).
void bindArgs(sqlite3_stmt* stmt, const std::vector<Arg>& args);
// Prepares `sql`, binds `args` to ?1..?N, steps through every row calling `row` (when given).
// For one-off statements; hot paths keep their prepared statements.
Status run(sqlite3* db, std::string_view sql, const std::vector<Arg>& args,
           const std::function<void(sqlite3_stmt*)>& row = {});

}  // namespace vigie::sqlcipher
