#include "audit/reveals.h"

#include "audit/text_rules.h"

namespace vigie::collector {
namespace {

constexpr char kColumns[] =
    "SELECT id, pseudonym, reason, requester, requester_brand, requested_ms, status, decider,"
    " decided_ms FROM reveals";

RevealRequest readRequest(const SqlRow& s) {
  return {s.integer(0), s.text(1), s.text(2), s.text(3),    s.text(4),
          s.integer(5), s.text(6), s.text(7), s.integer(8), std::nullopt};
}

}  // namespace

StatusOr<std::optional<RevealRequest>> Reveals::find(Sql& db, int64_t id) {
  std::optional<RevealRequest> found;
  Status read = db.run(std::string(kColumns) + " WHERE id = ?", {id},
                       [&](const SqlRow& s) { found = readRequest(s); });
  if (!read.isOk()) return read;
  return found;
}

StatusOr<int64_t> Reveals::request(const Principal& by, std::string_view pseudonym,
                                   std::string_view reason) {
  if (!Pseudonyms::looksLike(pseudonym)) {
    return Status::invalidArgument("a pseudonym is p- and 10 hex digits");
  }
  if (reason.size() < 10 || !isCleanText(reason, 500)) {
    return Status::invalidArgument("the reason must be 10-500 characters, on one line");
  }
  auto login = pseudonyms_.loginOf(pseudonym);
  if (!login.isOk()) return login.status();
  if (!login->has_value())
    return Status::notFound("no one known has pseudonym " + std::string(pseudonym));
  int64_t id = 0;
  Status saved = db_.with([&](Sql& db) -> Status {
    VIGIE_RETURN_IF_ERROR(db.run(
        "INSERT INTO reveals(pseudonym, reason, requester, requester_brand, requested_ms, status)"
        " VALUES (?, ?, ?, ?, ?, 'pending')",
        {pseudonym, reason, std::string_view(by.user), std::string_view(by.brand),
         clock_.nowUnixMillis()}));
    auto inserted = db.lastInsertId();
    if (!inserted.isOk()) return inserted.status();
    id = *inserted;
    return Status::ok();
  });
  if (!saved.isOk()) return saved;
  return id;
}

StatusOr<std::vector<RevealRequest>> Reveals::list(const Principal& by) {
  std::vector<RevealRequest> found;
  Status read = db_.with([&](Sql& db) {
    const bool dpo = by.role == Role::kDpo;
    // A dpo sees what it may decide: pending requests of others within its brand scope.
    return db.run(std::string(kColumns) +
                      " WHERE requester = ?1 OR (?2 <> 0 AND status = 'pending' AND requester <> ?1"
                      " AND (?3 = '' OR requester_brand = ?3)) ORDER BY id DESC LIMIT 200",
                  {std::string_view(by.user), int64_t{dpo}, std::string_view(by.brand)},
                  [&](const SqlRow& s) { found.push_back(readRequest(s)); });
  });
  if (!read.isOk()) return read;
  return found;
}

Status Reveals::decide(const Principal& by, int64_t id, bool approve) {
  if (by.role != Role::kDpo) return Status::permissionDenied("only a dpo decides a reveal");
  // In a transaction: collectors sharing a database must not both decide one request.
  return db_.transaction([&](Sql& db) -> Status {
    auto found = find(db, id);
    if (!found.isOk()) return found.status();
    if (!found->has_value()) return Status::notFound("no reveal request " + std::to_string(id));
    const RevealRequest& request = **found;
    if (request.requester == by.user) {
      return Status::permissionDenied("a reveal needs a second person: you made this request");
    }
    if (!by.brand.empty() && request.requester_brand != by.brand) {
      return Status::permissionDenied("this request belongs to another brand");
    }
    if (request.status != "pending") {
      return Status::failedPrecondition("this request is already " + request.status);
    }
    return db.run("UPDATE reveals SET status = ?, decider = ?, decided_ms = ? WHERE id = ?",
                  {std::string_view(approve ? "approved" : "denied"), std::string_view(by.user),
                   clock_.nowUnixMillis(), id});
  });
}

StatusOr<RevealRequest> Reveals::show(const Principal& by, int64_t id) {
  auto found = db_.with([&](Sql& db) { return find(db, id); });
  if (!found.isOk()) return found.status();
  if (!found->has_value()) return Status::notFound("no reveal request " + std::to_string(id));
  RevealRequest request = std::move(**found);
  if (request.requester != by.user && request.decider != by.user) {
    return Status::permissionDenied("only the requester and the approver read a reveal");
  }
  if (request.status == "approved" &&
      clock_.nowUnixMillis() < request.decided_ms + kRevealValidityMs) {
    auto login = pseudonyms_.loginOf(request.pseudonym);
    if (!login.isOk()) return login.status();
    request.identity = std::move(*login);
  }
  return request;
}

}  // namespace vigie::collector
