#include "audit/directory.h"

namespace vigie::collector {

Status Directory::setPerson(std::string_view login, std::string_view team,
                            const std::vector<CrmAccount>& crm_accounts) {
  return db_.transaction([&](sqlite3* db) -> Status {
    VIGIE_RETURN_IF_ERROR(sqlcipher::run(
        db, "INSERT OR REPLACE INTO people(login, team) VALUES (?, ?)", {login, team}));
    VIGIE_RETURN_IF_ERROR(sqlcipher::run(db, "DELETE FROM crm_accounts WHERE login = ?", {login}));
    for (const CrmAccount& account : crm_accounts) {
      VIGIE_RETURN_IF_ERROR(sqlcipher::run(
          db, "INSERT OR REPLACE INTO crm_accounts(brand, crm_user, login) VALUES (?, ?, ?)",
          {std::string_view(account.brand), std::string_view(account.crm_user), login}));
    }
    return Status::ok();
  });
}

StatusOr<std::map<std::string, std::string, std::less<>>> Directory::teams() {
  std::map<std::string, std::string, std::less<>> teams;
  Status read = db_.with([&](sqlite3* db) {
    return sqlcipher::run(db, "SELECT login, team FROM people", {}, [&](sqlite3_stmt* s) {
      teams.emplace(sqlcipher::columnText(s, 0), sqlcipher::columnText(s, 1));
    });
  });
  if (!read.isOk()) return read;
  return teams;
}

StatusOr<std::string> Directory::loginForCrmUser(std::string_view brand,
                                                 std::string_view crm_user) {
  std::string login(crm_user);
  Status read = db_.with([&](sqlite3* db) {
    return sqlcipher::run(db, "SELECT login FROM crm_accounts WHERE brand = ? AND crm_user = ?",
                          {brand, crm_user},
                          [&](sqlite3_stmt* s) { login = sqlcipher::columnText(s, 0); });
  });
  if (!read.isOk()) return read;
  return login;
}

Status Directory::assignDevice(std::string_view device_id, std::string_view brand) {
  return db_.with([&](sqlite3* db) -> Status {
    VIGIE_RETURN_IF_ERROR(
        sqlcipher::run(db, "UPDATE devices SET brand = ? WHERE device_id = ?", {brand, device_id}));
    if (sqlite3_changes(db) == 0) {
      return Status::notFound("no enrolled device " + std::string(device_id));
    }
    return Status::ok();
  });
}

StatusOr<std::vector<FleetDevice>> Directory::fleet() {
  std::vector<FleetDevice> devices;
  Status read = db_.with([&](sqlite3* db) {
    return sqlcipher::run(
        db,
        "SELECT device_id, hostname, os, brand, enrolled_ms, last_seq, revoked"
        " FROM devices ORDER BY hostname, device_id",
        {}, [&](sqlite3_stmt* s) {
          devices.push_back({sqlcipher::columnText(s, 0), sqlcipher::columnText(s, 1),
                             sqlcipher::columnText(s, 2), sqlcipher::columnText(s, 3),
                             sqlcipher::columnInt(s, 4), sqlcipher::columnInt(s, 5),
                             sqlcipher::columnInt(s, 6) != 0});
        });
  });
  if (!read.isOk()) return read;
  return devices;
}

}  // namespace vigie::collector
