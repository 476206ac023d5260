#pragma once

// One client brand's data, on its own: the call centre is the brand's processor and must be able
// to hand it back or erase it when the contract ends, without touching other brands.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "audit/audit_db.h"

namespace vigie::collector {

struct BrandDeletion {
  int64_t deleted = 0;
  int64_t held = 0;  // kept because a legal hold covers them
};

class BrandData {
 public:
  explicit BrandData(AuditDb& db) : db_(db) {}

  // Calls `line` with each stored event (as the device sent it) then each CRM record of the
  // brand, one JSON object per call; stops early when it returns false.
  Status exportAll(std::string_view brand, const std::function<bool(std::string_view)>& line);
  // Deletes the brand's events and CRM records except those under a legal hold.
  StatusOr<BrandDeletion> erase(std::string_view brand);

 private:
  AuditDb& db_;
};

}  // namespace vigie::collector
