#pragma once

// Who works in which team, which CRM user names are which logins, and which client brand each
// workstation serves: the facts the collector cannot see and administrators tell it.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_db.h"

namespace vigie::collector {

struct CrmAccount {
  std::string brand;
  std::string crm_user;
};

struct FleetDevice {
  std::string device_id;
  std::string hostname;
  std::string os;
  std::string brand;
  int64_t enrolled_ms = 0;
  int64_t last_seq = 0;
  bool revoked = false;
};

class Directory {
 public:
  explicit Directory(AuditDb& db) : db_(db) {}

  // Replaces the person's team and CRM user names.
  Status setPerson(std::string_view login, std::string_view team,
                   const std::vector<CrmAccount>& crm_accounts);
  // Every person's team, by login.
  StatusOr<std::map<std::string, std::string, std::less<>>> teams();
  // The login a CRM user name of `brand` stands for: the mapping when there is one, else itself.
  StatusOr<std::string> loginForCrmUser(std::string_view brand, std::string_view crm_user);
  // kNotFound for an unknown device. Events already stored keep the brand they were stored with.
  Status assignDevice(std::string_view device_id, std::string_view brand);
  StatusOr<std::vector<FleetDevice>> fleet();

 private:
  AuditDb& db_;
};

}  // namespace vigie::collector
