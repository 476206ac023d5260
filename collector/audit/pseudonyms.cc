#include "audit/pseudonyms.h"

#include "vigie/protocol/hex.h"

namespace vigie::collector {

Pseudonyms::Pseudonyms(AuditDb& db, const crypto::SecretKey& store_key)
    : db_(db), key_(crypto::hmacSha256(store_key.bytes(), "vigie pseudonym key v1")) {}

std::string Pseudonyms::of(std::string_view login) const {
  const crypto::Digest mac = crypto::hmacSha256(key_, login);
  return "p-" + protocol::toHex(mac).substr(0, 10);
}

bool Pseudonyms::looksLike(std::string_view text) {
  if (text.size() != 12 || !text.starts_with("p-")) return false;
  for (char c : text.substr(2)) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

StatusOr<std::optional<std::string>> Pseudonyms::lookup(Sql& db, std::string_view pseudonym) {
  std::optional<std::string> login;
  // The table remembers everyone ever seen; only people whose events or CRM records are still
  // stored (not purged, not erased with their brand) count.
  Status read = db.run(
      "SELECT p.login FROM pseudonyms p WHERE p.pseudonym = ?"
      " AND (EXISTS (SELECT 1 FROM events e WHERE e.user = p.login)"
      " OR EXISTS (SELECT 1 FROM crm_records c WHERE c.user = p.login))",
      {pseudonym}, [&](const SqlRow& s) { login = s.text(0); });
  if (!read.isOk()) return read;
  return login;
}

StatusOr<std::optional<std::string>> Pseudonyms::loginOf(std::string_view pseudonym) {
  if (!looksLike(pseudonym)) return std::optional<std::string>();
  return db_.with([&](Sql& db) -> StatusOr<std::optional<std::string>> {
    auto known = lookup(db, pseudonym);
    if (!known.isOk() || known->has_value()) return known;
    // Everyone with events or CRM records, by a walk from one user to the next through each
    // table's (user, time) index — a seek per person, not a scan of every row — learnt in one
    // transaction.
    std::vector<std::string> logins;
    VIGIE_RETURN_IF_ERROR(db.run(
        "WITH RECURSIVE"
        " e(user) AS (SELECT min(user) FROM events UNION ALL"
        "  SELECT (SELECT min(user) FROM events WHERE user > e.user) FROM e"
        "  WHERE e.user IS NOT NULL),"
        " c(user) AS (SELECT min(user) FROM crm_records UNION ALL"
        "  SELECT (SELECT min(user) FROM crm_records WHERE user > c.user) FROM c"
        "  WHERE c.user IS NOT NULL)"
        " SELECT user FROM e WHERE user IS NOT NULL UNION SELECT user FROM c WHERE user IS NOT NULL"
        " EXCEPT SELECT login FROM pseudonyms",
        {}, [&](const SqlRow& s) { logins.push_back(s.text(0)); }));
    if (!logins.empty()) {
      VIGIE_RETURN_IF_ERROR(db.transaction([&](Sql& sql) -> Status {
        for (const std::string& login : logins) {
          VIGIE_RETURN_IF_ERROR(
              sql.run("INSERT OR IGNORE INTO pseudonyms(pseudonym, login) VALUES (?, ?)",
                      {std::string_view(of(login)), std::string_view(login)}));
        }
        return Status::ok();
      }));
    }
    return lookup(db, pseudonym);
  });
}

}  // namespace vigie::collector
