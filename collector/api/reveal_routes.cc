// The two-person reveal of a pseudonym.
#include "api/json_body.h"
#include "api/json_out.h"
#include "api/route_functions.h"
#include "vigie/protocol/utc_time.h"

namespace vigie::collector::api {
namespace {

std::string requestJson(const RevealRequest& request) {
  JsonOut out;
  out.number("id", request.id)
      .text("pseudonym", request.pseudonym)
      .text("reason", request.reason)
      .text("requester", request.requester)
      .text("requested", protocol::formatUtcMillis(request.requested_ms))
      .text("status", request.status);
  if (!request.decider.empty()) {
    out.text("decider", request.decider)
        .text("decided", protocol::formatUtcMillis(request.decided_ms));
  }
  if (request.identity) out.text("identity", *request.identity);
  return out.done();
}

ApiReply decide(ApiCall& call, AuditService& audit, bool approve) {
  const auto id = pathId(call);
  if (!id) return error(404, "no such reveal request");
  Status decided = audit.reveals.decide(*call.principal, *id, approve);
  if (!decided.isOk()) return fromStatus(decided);
  ApiReply reply =
      json(200, JsonOut().number("id", *id).text("status", approve ? "approved" : "denied").done());
  reply.trail_detail = JsonOut().number("id", *id).done();
  return reply;
}

}  // namespace

ApiReply requestReveal(ApiCall& call, AuditService& audit) {
  auto body = JsonBody::parse(call.body, {"pseudonym", "reason"});
  if (!body.isOk()) return fromStatus(body.status());
  auto pseudonym = body->text("pseudonym", 12, true);
  if (!pseudonym.isOk()) return fromStatus(pseudonym.status());
  auto reason = body->text("reason", 500, true);
  if (!reason.isOk()) return fromStatus(reason.status());
  auto id = audit.reveals.request(*call.principal, **pseudonym, **reason);
  ApiReply reply = id.isOk()
                       ? json(201, JsonOut().number("id", *id).text("status", "pending").done())
                       : fromStatus(id.status());
  JsonOut detail;
  detail.text("pseudonym", **pseudonym).text("reason", **reason);
  if (id.isOk()) detail.number("id", *id);
  reply.trail_detail = detail.done();
  return reply;
}

ApiReply listReveals(ApiCall& call, AuditService& audit) {
  auto requests = audit.reveals.list(*call.principal);
  if (!requests.isOk()) return fromStatus(requests.status());
  return json(200, JsonOut().raw("items", jsonList(*requests, requestJson)).done());
}

ApiReply approveReveal(ApiCall& call, AuditService& audit) { return decide(call, audit, true); }
ApiReply denyReveal(ApiCall& call, AuditService& audit) { return decide(call, audit, false); }

ApiReply showReveal(ApiCall& call, AuditService& audit) {
  const auto id = pathId(call);
  if (!id) return error(404, "no such reveal request");
  auto request = audit.reveals.show(*call.principal, *id);
  if (!request.isOk()) return fromStatus(request.status());
  ApiReply reply = json(200, requestJson(*request));
  // Reading an identity is what the trail must show most plainly.
  reply.trail_detail = JsonOut()
                           .number("id", *id)
                           .text("pseudonym", request->pseudonym)
                           .boolean("identity_shown", request->identity.has_value())
                           .done();
  return reply;
}

}  // namespace vigie::collector::api
