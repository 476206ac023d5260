#pragma once

// Customer records watched more closely: VIPs (celebrities, the client's executives) and the
// records of colleagues — including a person's own record. Any access to a colleague's record
// raises an alert; a VIP's only when no call justifies it.

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "audit/audit_db.h"
#include "vigie/platform/clock.h"

namespace vigie::collector {

struct WatchedRecord {
  std::string brand;
  std::string record_id;
  std::string kind;   // "vip" or "colleague"
  std::string login;  // for a colleague: whose record it is (their own access is flagged too)
  std::string reason;
  std::string added_by;
  int64_t added_ms = 0;
};

class Watchlist {
 public:
  Watchlist(AuditDb& db, platform::Clock& clock) : db_(db), clock_(clock) {}

  Status load();  // from the store, at start
  // Adds or replaces the entry for (brand, record_id). kInvalidArgument for a bad kind, or a
  // colleague entry without a login.
  Status put(WatchedRecord entry);
  // kNotFound when the record is not watched.
  Status remove(std::string_view brand, std::string_view record_id);
  std::vector<WatchedRecord> all(std::optional<std::string> brand) const;
  std::optional<WatchedRecord> find(std::string_view brand, std::string_view record_id) const;

 private:
  AuditDb& db_;
  platform::Clock& clock_;
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, WatchedRecord, std::less<>> entries_;
};

}  // namespace vigie::collector
