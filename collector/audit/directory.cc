#include "audit/directory.h"

namespace vigie::collector {

Status Directory::setPerson(std::string_view login, std::string_view team,
                            const std::vector<CrmAccount>& crm_accounts) {
  return db_.transaction([&](Sql& db) -> Status {
    VIGIE_RETURN_IF_ERROR(db.upsert("people", {"login", "team"}, 1, {login, team}));
    VIGIE_RETURN_IF_ERROR(db.run("DELETE FROM crm_accounts WHERE login = ?", {login}));
    for (const CrmAccount& account : crm_accounts) {
      VIGIE_RETURN_IF_ERROR(
          db.upsert("crm_accounts", {"brand", "crm_user", "login"}, 2,
                    {std::string_view(account.brand), std::string_view(account.crm_user), login}));
    }
    return Status::ok();
  });
}

StatusOr<std::map<std::string, std::string, std::less<>>> Directory::teams() {
  std::map<std::string, std::string, std::less<>> teams;
  Status read = db_.with([&](Sql& db) {
    return db.run("SELECT login, team FROM people", {},
                  [&](const SqlRow& s) { teams.emplace(s.text(0), s.text(1)); });
  });
  if (!read.isOk()) return read;
  return teams;
}

StatusOr<std::string> Directory::loginForCrmUser(std::string_view brand,
                                                 std::string_view crm_user) {
  std::string login(crm_user);
  Status read = db_.with([&](Sql& db) {
    return db.run("SELECT login FROM crm_accounts WHERE brand = ? AND crm_user = ?",
                  {brand, crm_user}, [&](const SqlRow& s) { login = s.text(0); });
  });
  if (!read.isOk()) return read;
  return login;
}

Status Directory::assignDevice(std::string_view device_id, std::string_view brand) {
  return db_.with([&](Sql& db) -> Status {
    VIGIE_RETURN_IF_ERROR(
        db.run("UPDATE devices SET brand = ? WHERE device_id = ?", {brand, device_id}));
    if (db.changes() == 0) {
      return Status::notFound("no enrolled device " + std::string(device_id));
    }
    return Status::ok();
  });
}

StatusOr<std::vector<FleetDevice>> Directory::fleet() {
  std::vector<FleetDevice> devices;
  Status read = db_.with([&](Sql& db) {
    return db.run(
        "SELECT device_id, hostname, os, brand, enrolled_ms, last_seq, revoked"
        " FROM devices ORDER BY hostname, device_id",
        {}, [&](const SqlRow& s) {
          devices.push_back({s.text(0), s.text(1), s.text(2), s.text(3), s.integer(4), s.integer(5),
                             s.integer(6) != 0});
        });
  });
  if (!read.isOk()) return read;
  return devices;
}

}  // namespace vigie::collector
