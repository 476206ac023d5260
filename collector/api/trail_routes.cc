// Reading and verifying the audit trail.
#include <charconv>

#include "api/json_out.h"
#include "api/route_functions.h"
#include "vigie/protocol/utc_time.h"

namespace vigie::collector::api {
namespace {

bool parseCount(const std::string* text, int64_t low, int64_t high, int64_t& out) {
  if (text == nullptr) return true;
  const auto [end, failure] = std::from_chars(text->data(), text->data() + text->size(), out);
  return failure == std::errc() && end == text->data() + text->size() && out >= low && out <= high;
}

}  // namespace

ApiReply readTrail(ApiCall& call, AuditService& audit) {
  int64_t after = 0;
  int64_t limit = 100;
  if (!parseCount(call.param("after"), 0, INT64_MAX, after))
    return error(400, "after: a sequence number");
  if (!parseCount(call.param("limit"), 1, 1000, limit))
    return error(400, "limit: a number in 1..1000");
  auto entries = audit.trail.list(after, static_cast<size_t>(limit) + 1);
  if (!entries.isOk()) return fromStatus(entries.status());
  const bool more = entries->size() > static_cast<size_t>(limit);
  if (more) entries->pop_back();
  const std::string items = jsonList(*entries, [](const TrailEntry& entry) {
    return JsonOut()
        .number("seq", entry.seq)
        .text("time", protocol::formatUtcMillis(entry.time_ms))
        .text("actor", entry.actor)
        .text("role", entry.role)
        .text("brand", entry.brand)
        .text("action", entry.action)
        .raw("detail", entry.detail)
        .number("outcome", entry.outcome)
        .text("hash", entry.hash)
        .done();
  });
  JsonOut out;
  out.raw("items", items);
  if (more) {
    out.text("next", std::to_string(entries->back().seq));
  } else {
    out.null("next");
  }
  return json(200, out.done());
}

ApiReply verifyTrail(ApiCall&, AuditService& audit) {
  auto verification = audit.trail.verify();
  if (!verification.isOk()) return fromStatus(verification.status());
  JsonOut out;
  out.boolean("ok", verification->ok).number("entries", verification->entries);
  if (!verification->ok) out.number("broken_at", verification->broken_at);
  return json(200, out.done());
}

}  // namespace vigie::collector::api
