#include "detect/alert_json.h"

#include "api/json_out.h"
#include "vigie/protocol/utc_time.h"

namespace vigie::collector {

using api::JsonOut;

std::string alertJson(const Alert& alert, const Pseudonyms& pseudonyms) {
  const AlertDraft& draft = alert.draft;
  JsonOut out;
  out.number("id", alert.id)
      .text("rule", draft.rule)
      .text("severity", severityName(draft.severity))
      .text("status", alertStatusName(alert.status));
  if (draft.user.empty()) {
    out.null("person");
  } else {
    out.text("person", pseudonyms.of(draft.user));
  }
  out.text("device", draft.device)
      .text("brand", draft.brand)
      .text("time", protocol::formatUtcMillis(draft.time_ms))
      .text("raised", protocol::formatUtcMillis(alert.raised_ms))
      .text("summary", draft.summary)
      .raw("evidence", api::jsonList(draft.evidence,
                                     [](const Evidence& item) {
                                       return JsonOut()
                                           .text("type", item.type)
                                           .text("device", item.device)
                                           .number("seq", static_cast<int64_t>(item.seq))
                                           .text("time", protocol::formatUtcMillis(item.time_ms))
                                           .text("record_id", item.record_id)
                                           .done();
                                     }))
      .number("evidence_count", static_cast<int64_t>(alert.evidence_count))
      .text("origin", draft.origin);
  if (alert.true_positive) {
    out.text("verdict", *alert.true_positive ? "true_positive" : "false_positive");
  } else {
    out.null("verdict");
  }
  out.text("comment", alert.comment).text("updated_by", alert.updated_by);
  if (alert.updated_ms == 0) {
    out.null("updated");
  } else {
    out.text("updated", protocol::formatUtcMillis(alert.updated_ms));
  }
  return out.done();
}

}  // namespace vigie::collector
