#include "vigie/sqlcipher/sqlite.h"

#include <algorithm>

#include "vigie/protocol/hex.h"

namespace vigie::sqlcipher {

Status toStatus(int rc, sqlite3* db, std::string_view context) {
  std::string message(context);
  message += ": ";
  message += (db != nullptr && sqlite3_errcode(db) == rc) ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  switch (rc & 0xFF) {
    case SQLITE_OK:
    case SQLITE_DONE:
    case SQLITE_ROW:
      return Status::ok();
    case SQLITE_FULL:
      return Status::resourceExhausted(std::move(message));
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return Status::corruption(std::move(message));
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
      return Status::permissionDenied(std::move(message));
    default:
      return Status::ioError(std::move(message));
  }
}

StatusOr<Db> open(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK) return toStatus(rc, raw, "cannot open " + path);
  sqlite3_extended_result_codes(raw, 0);
  return db;
}

StatusOr<Db> openEncrypted(const std::string& path, int flags, const crypto::SecretKey& key) {
  auto db = open(path, flags);
  if (!db.isOk()) return db.status();
  {
    std::string pragma = "PRAGMA key = \"x'" + protocol::toHex(key.bytes()) + "'\";";
    Status keyed = exec(db->get(), pragma.c_str());
    std::fill(pragma.begin(), pragma.end(), '\0');
    VIGIE_RETURN_IF_ERROR(keyed);
  }
  VIGIE_RETURN_IF_ERROR(exec(db->get(), "PRAGMA cipher_page_size = 4096;"));
  VIGIE_RETURN_IF_ERROR(exec(db->get(), "SELECT count(*) FROM sqlite_master;"));
  VIGIE_RETURN_IF_ERROR(exec(db->get(), "PRAGMA temp_store = MEMORY;"));
  VIGIE_RETURN_IF_ERROR(exec(db->get(), "PRAGMA synchronous = FULL;"));
  return db;
}

Status exec(sqlite3* db, const char* sql) {
  return toStatus(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), db, sql);
}

StatusOr<Stmt> prepare(sqlite3* db, std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
  Stmt stmt(raw);
  if (rc != SQLITE_OK) return toStatus(rc, db, "prepare");
  return stmt;
}

void reset(sqlite3_stmt* stmt) {
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
}

void bindInt(sqlite3_stmt* stmt, int index, int64_t value) {
  sqlite3_bind_int64(stmt, index, value);
}

void bindBlob(sqlite3_stmt* stmt, int index, std::string_view bytes) {
  sqlite3_bind_blob(stmt, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_STATIC);
}

void bindText(sqlite3_stmt* stmt, int index, std::string_view text) {
  sqlite3_bind_text(stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
}

Status stepDone(sqlite3_stmt* stmt, sqlite3* db, std::string_view context) {
  const int rc = sqlite3_step(stmt);
  if (rc == SQLITE_DONE) return Status::ok();
  return toStatus(rc == SQLITE_ROW ? SQLITE_MISUSE : rc, db, context);
}

std::string_view columnBlob(sqlite3_stmt* stmt, int column) {
  const void* data = sqlite3_column_blob(stmt, column);
  const int size = sqlite3_column_bytes(stmt, column);
  if (data == nullptr || size <= 0) return {};
  return {static_cast<const char*>(data), static_cast<size_t>(size)};
}

int64_t columnInt(sqlite3_stmt* stmt, int column) { return sqlite3_column_int64(stmt, column); }

std::string columnText(sqlite3_stmt* stmt, int column) {
  return std::string(columnBlob(stmt, column));
}

void bindArgs(sqlite3_stmt* stmt, const std::vector<Arg>& args) {
  for (size_t i = 0; i < args.size(); ++i) {
    const int index = static_cast<int>(i + 1);
    if (const auto* number = std::get_if<int64_t>(&args[i])) {
      bindInt(stmt, index, *number);
    } else if (const auto* text = std::get_if<std::string_view>(&args[i])) {
      bindText(stmt, index, *text);
    } else if (const auto* blob = std::get_if<BlobArg>(&args[i])) {
      bindBlob(stmt, index, blob->bytes);
    }
  }
}

Status run(sqlite3* db, std::string_view sql, const std::vector<Arg>& args,
           const std::function<void(sqlite3_stmt*)>& row) {
  auto stmt = prepare(db, sql);
  if (!stmt.isOk()) return stmt.status();
  sqlite3_stmt* s = stmt->get();
  bindArgs(s, args);
  for (int rc = sqlite3_step(s); rc != SQLITE_DONE; rc = sqlite3_step(s)) {
    if (rc != SQLITE_ROW) return toStatus(rc, db, sql.substr(0, 60));
    if (row) row(s);
  }
  return Status::ok();
}

}  // namespace vigie::sqlcipher
