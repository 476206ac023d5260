// The CRM's audit feed.
#include "api/json_out.h"
#include "api/route_functions.h"

namespace vigie::collector::api {

ApiReply postCrmEvents(ApiCall& call, AuditService& audit) {
  auto records = parseCrmLines(call.body);
  if (!records.isOk()) return fromStatus(records.status());
  auto stored = audit.crm.store(call.principal->brand, *records);
  if (!stored.isOk()) return fromStatus(stored.status());
  ApiReply reply = json(200, JsonOut()
                                 .number("accepted", static_cast<int64_t>(stored->accepted))
                                 .number("duplicates", static_cast<int64_t>(stored->duplicates))
                                 .done());
  reply.trail_detail = JsonOut()
                           .number("records", static_cast<int64_t>(records->size()))
                           .number("accepted", static_cast<int64_t>(stored->accepted))
                           .done();
  return reply;
}

}  // namespace vigie::collector::api
