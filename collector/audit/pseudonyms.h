#pragma once

// Stable pseudonyms for tele-advisors: "p-" and the first 10 hex digits of
// HMAC-SHA256(pseudonym key, login). The key is derived from the store key, so pseudonyms stay the
// same across restarts and collectors sharing a store, and mean nothing without it.

#include <optional>
#include <string>
#include <string_view>

#include "audit/audit_db.h"
#include "vigie/crypto/digest.h"
#include "vigie/crypto/secret_key.h"

namespace vigie::collector {

class Pseudonyms {
 public:
  Pseudonyms(AuditDb& db, const crypto::SecretKey& store_key);

  std::string of(std::string_view login) const;
  static bool looksLike(std::string_view text);

  // The login behind a pseudonym among the people the store knows (events and CRM records), or
  // nullopt. Learns new people on a miss, so the first lookup after new people arrive scans.
  StatusOr<std::optional<std::string>> loginOf(std::string_view pseudonym);

 private:
  StatusOr<std::optional<std::string>> lookup(Sql& db, std::string_view pseudonym);
  AuditDb& db_;
  crypto::Digest key_;
};

}  // namespace vigie::collector
