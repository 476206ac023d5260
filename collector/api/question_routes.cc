// The four audit questions: a record's history, a person's timeline, exports, incidents.
#include <charconv>

#include "api/json_body.h"
#include "api/json_out.h"
#include "api/route_functions.h"
#include "vigie/protocol/utc_time.h"

namespace vigie::collector::api {
namespace {

constexpr int64_t kDefaultSpanMs = 30LL * 24 * 3600 * 1000;

// The paging parameters every question takes, with the brand the caller may see. Also where the
// caller's brand scope is enforced: a brand-bound account never names another brand.
StatusOr<AuditQuery> baseQuery(const ApiCall& call, Question question, int64_t now) {
  AuditQuery query;
  query.question = question;
  query.to_ms = now + 1;
  if (const std::string* to = call.param("to")) {
    auto parsed = parseApiTime(*to);
    if (!parsed)
      return Status::invalidArgument("to: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS.mmmZ");
    query.to_ms = *parsed;
  }
  query.from_ms = query.to_ms - kDefaultSpanMs;
  if (const std::string* from = call.param("from")) {
    auto parsed = parseApiTime(*from);
    if (!parsed) {
      return Status::invalidArgument("from: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS.mmmZ");
    }
    query.from_ms = *parsed;
  }
  if (query.from_ms >= query.to_ms) return Status::invalidArgument("from must be before to");
  if (query.to_ms - query.from_ms > kMaxQuerySpanMs) {
    return Status::invalidArgument("a question covers at most 366 days; split the period");
  }
  if (const std::string* limit = call.param("limit")) {
    size_t value = 0;
    const auto [end, failure] =
        std::from_chars(limit->data(), limit->data() + limit->size(), value);
    if (failure != std::errc() || end != limit->data() + limit->size() || value == 0 ||
        value > kMaxPageSize) {
      return Status::invalidArgument("limit: a number in 1..1000");
    }
    query.limit = value;
  }
  if (const std::string* after = call.param("after")) {
    query.after = Cursor::decode(*after);
    if (!query.after) return Status::invalidArgument("after: not a cursor this API gave");
  }
  auto brand = brandScope(call);
  if (!brand.isOk()) return brand.status();
  query.brand = std::move(brand).value();
  return query;
}

ApiReply answer(AuditService& audit, const StatusOr<AuditQuery>& query) {
  if (!query.isOk()) return fromStatus(query.status());
  auto page = audit.queries.run(query.value());
  if (!page.isOk()) return fromStatus(page.status());
  JsonOut out;
  out.raw("items", page->items);
  if (page->next) {
    out.text("next", page->next->encode());
  } else {
    out.null("next");
  }
  return json(200, out.done());
}

}  // namespace

ApiReply recordHistory(ApiCall& call, AuditService& audit) {
  auto query = baseQuery(call, Question::kRecord, audit.clock.nowUnixMillis());
  const std::string* id = call.param("id");
  if (id == nullptr) return error(400, "id: which record? (required)");
  if (query.isOk()) query->record_id = *id;
  return answer(audit, query);
}

ApiReply userTimeline(ApiCall& call, AuditService& audit) {
  auto query = baseQuery(call, Question::kTimeline, audit.clock.nowUnixMillis());
  const std::string* user = call.param("user");
  if (user == nullptr) return error(400, "user: whose timeline? (a pseudonym or a login)");
  if (query.isOk()) {
    if (Pseudonyms::looksLike(*user)) {
      auto login = audit.pseudonyms.loginOf(*user);
      if (!login.isOk()) return fromStatus(login.status());
      // Unknown pseudonym: an empty timeline, as for a login nobody used.
      query->login = login->value_or(*user);
    } else {
      query->login = *user;
    }
  }
  return answer(audit, query);
}

ApiReply exports(ApiCall& call, AuditService& audit) {
  auto query = baseQuery(call, Question::kExports, audit.clock.nowUnixMillis());
  if (query.isOk()) {
    if (const std::string* team = call.param("team")) query->team = *team;
    if (const std::string* pii = call.param("pii")) {
      if (*pii != "0" && *pii != "1") return error(400, "pii: 0 or 1");
      query->pii_only = *pii == "1";
    }
  }
  return answer(audit, query);
}

ApiReply incidents(ApiCall& call, AuditService& audit) {
  return answer(audit, baseQuery(call, Question::kIncidents, audit.clock.nowUnixMillis()));
}

}  // namespace vigie::collector::api
