#pragma once

// Local accounts of the audit API (scrypt password hashes) and the bearer tokens they log in for.
// Tokens are 256 random bits handed out once; only their SHA-256 is stored.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_db.h"
#include "audit/principal.h"
#include "audit/text_rules.h"
#include "vigie/platform/clock.h"

namespace vigie::collector {

inline constexpr int64_t kTokenLifetimeMs = 8 * 3600 * 1000;
inline constexpr size_t kMinPasswordLength = 12;

struct IssuedToken {
  std::string token;  // 64 hex digits
  int64_t expires_ms = 0;
};

class Accounts {
 public:
  Accounts(AuditDb& db, platform::Clock& clock) : db_(db), clock_(clock) {}

  // kInvalidArgument for a bad name, a short password or an integration account without brand;
  // kFailedPrecondition when the account exists.
  Status add(std::string_view user, std::string_view password, Role role, std::string_view brand);
  // Removes the account and ends its tokens. kNotFound when there is none.
  Status remove(std::string_view user);
  StatusOr<std::vector<Principal>> list();

  // kPermissionDenied, with the same message, for an unknown user and a wrong password; the
  // password is hashed either way so that timing does not tell which.
  StatusOr<Principal> checkPassword(std::string_view user, std::string_view password);
  StatusOr<IssuedToken> issueToken(const Principal& principal);
  // nullopt for an unknown, expired or malformed token (and for a removed account's).
  StatusOr<std::optional<Principal>> resolveToken(std::string_view token);
  Status revokeToken(std::string_view token);

 private:
  AuditDb& db_;
  platform::Clock& clock_;
};

}  // namespace vigie::collector
