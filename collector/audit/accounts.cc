#include "audit/accounts.h"

#include <algorithm>
#include <array>

#include "vigie/crypto/digest.h"
#include "vigie/crypto/password_hash.h"
#include "vigie/crypto/random.h"
#include "vigie/protocol/hex.h"

namespace vigie::collector {
namespace {

std::string tokenHash(std::string_view token) {
  const crypto::Digest digest = crypto::sha256(token);
  return {reinterpret_cast<const char*>(digest.data()), digest.size()};
}

// Verified against when the user does not exist, so both failures cost one scrypt.
const std::string& decoyHash() {
  static const std::string hash = crypto::hashPassword("decoy password").value();
  return hash;
}

}  // namespace

std::string_view roleName(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "admin";
    case Role::kAuditor:
      return "auditor";
    case Role::kDpo:
      return "dpo";
    case Role::kFleet:
      return "fleet";
    case Role::kIntegration:
      return "integration";
  }
  return "unknown";
}

std::optional<Role> roleFromName(std::string_view name) {
  for (Role role : kAllRoles) {
    if (roleName(role) == name) return role;
  }
  return std::nullopt;
}

Status Accounts::add(std::string_view user, std::string_view password, Role role,
                     std::string_view brand) {
  if (!isValidName(user)) {
    return Status::invalidArgument("account names are 1-64 characters of A-Z a-z 0-9 . _ @ -");
  }
  if (!brand.empty() && !isValidName(brand)) {
    return Status::invalidArgument("brands are 1-64 characters of A-Z a-z 0-9 . _ @ -");
  }
  // Characters, not bytes: an accented letter is two bytes of UTF-8 and one character.
  const auto characters = std::count_if(password.begin(), password.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  });
  if (static_cast<size_t>(characters) < kMinPasswordLength) {
    return Status::invalidArgument("passwords need at least " + std::to_string(kMinPasswordLength) +
                                   " characters");
  }
  if (role == Role::kIntegration && brand.empty()) {
    return Status::invalidArgument("an integration account must be bound to a brand");
  }
  auto hash = crypto::hashPassword(password);
  if (!hash.isOk()) return hash.status();
  return db_.with([&](Sql& db) -> Status {
    bool exists = false;
    VIGIE_RETURN_IF_ERROR(db.run("SELECT 1 FROM accounts WHERE user = ?", {user},
                                 [&](const SqlRow&) { exists = true; }));
    if (exists) return Status::failedPrecondition("account " + std::string(user) + " exists");
    return db.run(
        "INSERT INTO accounts(user, password_hash, role, brand, created_ms) VALUES (?,?,?,?,?)",
        {user, std::string_view(*hash), roleName(role), brand, clock_.nowUnixMillis()});
  });
}

Status Accounts::remove(std::string_view user) {
  return db_.with([&](Sql& db) -> Status {
    VIGIE_RETURN_IF_ERROR(db.run("DELETE FROM accounts WHERE user = ?", {user}));
    if (db.changes() == 0) return Status::notFound("no account " + std::string(user));
    return db.run("DELETE FROM tokens WHERE user = ?", {user});
  });
}

StatusOr<std::vector<Principal>> Accounts::list() {
  std::vector<Principal> found;
  Status read = db_.with([&](Sql& db) {
    return db.run("SELECT user, role, brand FROM accounts ORDER BY user", {}, [&](const SqlRow& s) {
      found.push_back({s.text(0), roleFromName(s.text(1)).value_or(Role::kAuditor), s.text(2)});
    });
  });
  if (!read.isOk()) return read;
  return found;
}

StatusOr<Principal> Accounts::checkPassword(std::string_view user, std::string_view password) {
  std::optional<Principal> found;
  std::string stored;
  Status read = db_.with([&](Sql& db) {
    return db.run("SELECT role, brand, password_hash FROM accounts WHERE user = ?", {user},
                  [&](const SqlRow& s) {
                    auto role = roleFromName(s.text(0));
                    if (role) found = Principal{std::string(user), *role, s.text(1)};
                    stored = s.text(2);
                  });
  });
  if (!read.isOk()) return read;
  const bool matches = crypto::verifyPassword(password, found ? stored : decoyHash());
  if (!found || !matches) return Status::permissionDenied("wrong user or password");
  return *found;
}

StatusOr<IssuedToken> Accounts::issueToken(const Principal& principal) {
  std::array<uint8_t, 32> bytes{};
  VIGIE_RETURN_IF_ERROR(crypto::fillRandom(bytes));
  IssuedToken issued{protocol::toHex(bytes), clock_.nowUnixMillis() + kTokenLifetimeMs};
  const std::string hash = tokenHash(issued.token);
  Status saved = db_.with([&](Sql& db) -> Status {
    // Expired tokens go as new ones come, so the table stays as small as the live sessions.
    VIGIE_RETURN_IF_ERROR(
        db.run("DELETE FROM tokens WHERE expires_ms <= ?", {clock_.nowUnixMillis()}));
    return db.run("INSERT INTO tokens(token_hash, user, expires_ms) VALUES (?,?,?)",
                  {SqlBlob{hash}, std::string_view(principal.user), issued.expires_ms});
  });
  if (!saved.isOk()) return saved;
  return issued;
}

StatusOr<std::optional<Principal>> Accounts::resolveToken(std::string_view token) {
  if (token.size() != 64) return std::optional<Principal>();
  const std::string hash = tokenHash(token);
  std::optional<Principal> found;
  Status read = db_.with([&](Sql& db) {
    return db.run(
        "SELECT a.user, a.role, a.brand FROM tokens t JOIN accounts a"
        " ON a.user = t.user WHERE t.token_hash = ? AND t.expires_ms > ?",
        {SqlBlob{hash}, clock_.nowUnixMillis()}, [&](const SqlRow& s) {
          auto role = roleFromName(s.text(1));
          if (role) found = Principal{s.text(0), *role, s.text(2)};
        });
  });
  if (!read.isOk()) return read;
  return found;
}

Status Accounts::revokeToken(std::string_view token) {
  const std::string hash = tokenHash(token);
  return db_.with(
      [&](Sql& db) { return db.run("DELETE FROM tokens WHERE token_hash = ?", {SqlBlob{hash}}); });
}

}  // namespace vigie::collector
