// The workstation policy (docs/fleet.md) and the compliance pack generated from it.
#include "api/json_out.h"
#include "api/route_functions.h"
#include "fleet/compliance_pack.h"
#include "vigie/protocol/utc_time.h"

namespace vigie::collector::api {
namespace {

JsonOut policySummary(const SignedPolicy& policy) {
  JsonOut out;
  out.number("serial", policy.serial)
      .text("version", policy.version)
      .text("activated", protocol::formatUtcMillis(policy.activated_ms))
      .text("activated_by", policy.activated_by);
  return out;
}

}  // namespace

ApiReply showWorkstationPolicy(ApiCall&, AuditService& audit) {
  auto active = audit.policies.active();
  if (!active.isOk()) return fromStatus(active.status());
  if (!active->has_value()) return error(404, "no workstation policy was activated yet");
  // The document was produced by the collector's own JSON writer: it is valid JSON.
  return json(200, policySummary(**active)
                       .text("signature", (*active)->signature)
                       .raw("document", (*active)->document)
                       .done());
}

ApiReply activateWorkstationPolicy(ApiCall& call, AuditService& audit) {
  if (audit.signer == nullptr) return error(409, "this collector cannot sign policies");
  auto retention = audit.retention.classes();
  if (!retention.isOk()) return fromStatus(retention.status());
  auto activation =
      audit.policies.activate(call.body, *retention, *audit.signer, call.principal->user);
  if (!activation.isOk()) return fromStatus(activation.status());
  const SignedPolicy& policy = activation->policy;
  ApiReply reply = json(activation->unchanged ? 200 : 201,
                        policySummary(policy).boolean("unchanged", activation->unchanged).done());
  reply.trail_detail = JsonOut()
                           .number("serial", policy.serial)
                           .text("version", policy.version)
                           .boolean("unchanged", activation->unchanged)
                           .done();
  return reply;
}

ApiReply workstationPolicyHistory(ApiCall&, AuditService& audit) {
  auto all = audit.policies.history();
  if (!all.isOk()) return fromStatus(all.status());
  return json(200, JsonOut()
                       .raw("items", jsonList(*all,
                                              [](const SignedPolicy& policy) {
                                                return policySummary(policy).done();
                                              }))
                       .done());
}

ApiReply compliancePack(ApiCall&, AuditService& audit) {
  auto active = audit.policies.active();
  if (!active.isOk()) return fromStatus(active.status());
  if (!active->has_value()) {
    return error(404, "no workstation policy was activated yet: the pack describes the active one");
  }
  auto retention = audit.retention.classes();
  if (!retention.isOk()) return fromStatus(retention.status());
  auto pack = buildCompliancePack(**active, *retention);
  if (!pack.isOk()) return fromStatus(pack.status());
  return json(200, policySummary(**active)
                       .text("processing", pack->processing)
                       .text("notice", pack->notice)
                       .text("dpia", pack->dpia)
                       .done());
}

}  // namespace vigie::collector::api
