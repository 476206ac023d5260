// Detection: the telephony feed, shifts, the watch-list, alerts and retrospective runs.
#include "api/json_body.h"
#include "api/json_out.h"
#include "api/route_functions.h"
#include "detect/alert_json.h"
#include "detect/retro_runs.h"
#include "vigie/protocol/utc_time.h"

namespace vigie::collector::api {
namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

ApiReply imported(size_t lines, size_t accepted, size_t duplicates) {
  ApiReply reply = json(200, JsonOut()
                                 .number("accepted", static_cast<int64_t>(accepted))
                                 .number("duplicates", static_cast<int64_t>(duplicates))
                                 .done());
  reply.trail_detail = JsonOut()
                           .number("lines", static_cast<int64_t>(lines))
                           .number("accepted", static_cast<int64_t>(accepted))
                           .done();
  return reply;
}

std::string shiftJson(const Shift& shift) {
  return JsonOut().text("who", shift.who).text("schedule", describeShift(shift)).done();
}

std::string watchedJson(const WatchedRecord& entry, const Pseudonyms& pseudonyms) {
  JsonOut out;
  out.text("brand", entry.brand).text("record_id", entry.record_id).text("kind", entry.kind);
  if (entry.login.empty()) {
    out.null("person");
  } else {
    out.text("person", pseudonyms.of(entry.login));
  }
  return out.text("reason", entry.reason)
      .text("added_by", entry.added_by)
      .text("added", protocol::formatUtcMillis(entry.added_ms))
      .done();
}

std::string runJson(const RunInfo& run) {
  JsonOut out;
  out.number("id", run.id)
      .raw("rules", jsonList(run.request.rules,
                             [](const std::string& rule) {
                               std::string quoted;
                               protocol::json::appendString(quoted, rule);
                               return quoted;
                             }))
      .text("from", protocol::formatUtcMillis(run.request.from_ms))
      .text("to", protocol::formatUtcMillis(run.request.to_ms))
      .text("requested_by", run.request.requested_by)
      .text("requested", protocol::formatUtcMillis(run.requested_ms))
      .text("state", run.state)
      .number("events", static_cast<int64_t>(run.events))
      .number("alerts", static_cast<int64_t>(run.alerts));
  if (run.finished_ms != 0) out.text("finished", protocol::formatUtcMillis(run.finished_ms));
  if (!run.error.empty()) out.text("error", run.error);
  return out.done();
}

// The alert at the path, if the caller's brand scope allows it to be seen.
StatusOr<Alert> visibleAlert(const ApiCall& call, AuditService& audit) {
  const auto id = pathId(call);
  if (!id) return Status::notFound("no such alert");
  auto alert = audit.alerts.get(*id);
  if (!alert.isOk()) return alert.status();
  if (!call.principal->seesBrand(alert->draft.brand)) return Status::notFound("no such alert");
  return alert;
}

ApiReply alertReply(AuditService& audit, int64_t id) {
  auto alert = audit.alerts.get(id);
  if (!alert.isOk()) return fromStatus(alert.status());
  ApiReply reply = json(200, alertJson(*alert, audit.pseudonyms));
  reply.trail_detail = JsonOut().number("id", id).done();
  return reply;
}

}  // namespace

ApiReply postCalls(ApiCall& call, AuditService& audit) {
  auto calls = parseCallLines(call.body);
  if (!calls.isOk()) return fromStatus(calls.status());
  auto stored = audit.calls.store(call.principal->brand, *calls);
  if (!stored.isOk()) return fromStatus(stored.status());
  return imported(calls->size(), stored->accepted, stored->duplicates);
}

ApiReply postShifts(ApiCall& call, AuditService& audit) {
  auto shifts = parseShiftLines(call.body);
  if (!shifts.isOk()) return fromStatus(shifts.status());
  Status replaced = audit.shifts.replace(*shifts);
  if (!replaced.isOk()) return fromStatus(replaced);
  return imported(shifts->size(), shifts->size(), 0);
}

ApiReply listShifts(ApiCall&, AuditService& audit) {
  return json(200, JsonOut().raw("items", jsonList(audit.shifts.all(), shiftJson)).done());
}

ApiReply listWatchlist(ApiCall& call, AuditService& audit) {
  auto brand = brandScope(call);
  if (!brand.isOk()) return fromStatus(brand.status());
  return json(200, JsonOut()
                       .raw("items", jsonList(audit.watchlist.all(*brand),
                                              [&](const WatchedRecord& entry) {
                                                return watchedJson(entry, audit.pseudonyms);
                                              }))
                       .done());
}

ApiReply putWatchlist(ApiCall& call, AuditService& audit) {
  auto body = JsonBody::parse(call.body, {"kind", "login", "reason"});
  if (!body.isOk()) return fromStatus(body.status());
  auto brand = brandScope(call);
  if (!brand.isOk()) return fromStatus(brand.status());
  WatchedRecord entry;
  entry.brand = brand->value_or("");
  entry.record_id = call.path_args[0];
  auto kind = body->text("kind", 16, true);
  auto login = body->text("login", 64, false);
  auto reason = body->text("reason", 500, true);
  for (const auto* field : {&kind, &login, &reason}) {
    if (!field->isOk()) return fromStatus(field->status());
  }
  entry.kind = **kind;
  entry.login = login->value_or("");
  entry.reason = **reason;
  entry.added_by = call.principal->user;
  Status put = audit.watchlist.put(entry);
  if (!put.isOk()) return fromStatus(put);
  ApiReply reply = json(200, watchedJson(entry, audit.pseudonyms));
  reply.trail_detail =
      JsonOut().text("brand", entry.brand).text("record_id", entry.record_id).done();
  return reply;
}

ApiReply deleteWatchlist(ApiCall& call, AuditService& audit) {
  auto brand = brandScope(call);
  if (!brand.isOk()) return fromStatus(brand.status());
  Status removed = audit.watchlist.remove(brand->value_or(""), call.path_args[0]);
  if (!removed.isOk()) return fromStatus(removed);
  return noContent();
}

ApiReply listAlerts(ApiCall& call, AuditService& audit) {
  AlertFilter filter;
  auto brand = brandScope(call);
  if (!brand.isOk()) return fromStatus(brand.status());
  filter.brand = std::move(brand).value();
  if (const std::string* status = call.param("status")) {
    filter.status = alertStatusFromName(*status);
    if (!filter.status) return error(400, "status: open, acknowledged or closed");
  }
  if (const std::string* rule = call.param("rule")) {
    if (!isRuleName(*rule)) return error(400, "rule: no rule named \"" + *rule + "\"");
    filter.rule = *rule;
  }
  if (const std::string* person = call.param("person")) {
    if (!Pseudonyms::looksLike(*person)) return error(400, "person: a pseudonym (p-...)");
    auto login = audit.pseudonyms.loginOf(*person);
    if (!login.isOk()) return fromStatus(login.status());
    filter.user = login->value_or(*person);
  }
  for (auto [name, bound] : {std::pair{"from", &filter.from_ms}, std::pair{"to", &filter.to_ms}}) {
    if (const std::string* text = call.param(name)) {
      auto parsed = parseApiTime(*text);
      if (!parsed) {
        return error(400, std::string(name) + ": expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS.mmmZ");
      }
      *bound = *parsed;
    }
  }
  if (const std::string* before = call.param("before")) {
    const auto id = parsePositive(*before);
    if (!id) return error(400, "before: an alert id");
    filter.before_id = *id;
  }
  if (const std::string* limit = call.param("limit")) {
    const auto value = parsePositive(*limit);
    if (!value || *value > 500) return error(400, "limit: a number in 1..500");
    filter.limit = static_cast<size_t>(*value);
  }
  auto alerts = audit.alerts.list(filter);
  if (!alerts.isOk()) return fromStatus(alerts.status());
  JsonOut out;
  out.raw("items", jsonList(*alerts, [&](const Alert& alert) {
            return alertJson(alert, audit.pseudonyms);
          }));
  if (alerts->size() == filter.limit) {
    out.number("next_before", alerts->back().id);
  } else {
    out.null("next_before");
  }
  return json(200, out.done());
}

ApiReply showAlert(ApiCall& call, AuditService& audit) {
  auto alert = visibleAlert(call, audit);
  if (!alert.isOk()) return fromStatus(alert.status());
  return json(200, alertJson(*alert, audit.pseudonyms));
}

ApiReply acknowledgeAlert(ApiCall& call, AuditService& audit) {
  auto body = JsonBody::parse(call.body.empty() ? "{}" : call.body, {"comment"});
  if (!body.isOk()) return fromStatus(body.status());
  auto comment = body->text("comment", 1000, false);
  if (!comment.isOk()) return fromStatus(comment.status());
  auto alert = visibleAlert(call, audit);
  if (!alert.isOk()) return fromStatus(alert.status());
  Status done = audit.alerts.acknowledge(alert->id, call.principal->user, comment->value_or(""));
  if (!done.isOk()) return fromStatus(done);
  return alertReply(audit, alert->id);
}

ApiReply closeAlert(ApiCall& call, AuditService& audit) {
  auto body = JsonBody::parse(call.body, {"verdict", "comment"});
  if (!body.isOk()) return fromStatus(body.status());
  auto verdict = body->text("verdict", 16, true);
  if (!verdict.isOk()) return fromStatus(verdict.status());
  if (**verdict != "true_positive" && **verdict != "false_positive") {
    return error(400, "verdict: true_positive or false_positive");
  }
  auto comment = body->text("comment", 1000, true);
  if (!comment.isOk()) return fromStatus(comment.status());
  auto alert = visibleAlert(call, audit);
  if (!alert.isOk()) return fromStatus(alert.status());
  Status done =
      audit.alerts.close(alert->id, call.principal->user, **verdict == "true_positive", **comment);
  if (!done.isOk()) return fromStatus(done);
  return alertReply(audit, alert->id);
}

ApiReply showDetectionPolicy(ApiCall&, AuditService& audit) {
  return json(200, detectionPolicyJson(audit.detection_policy));
}

ApiReply startRun(ApiCall& call, AuditService& audit) {
  if (audit.runs == nullptr) return error(503, "retrospective runs are not available");
  auto body = JsonBody::parse(call.body, {"rules", "from", "to", "days"});
  if (!body.isOk()) return fromStatus(body.status());
  RunRequest request;
  request.requested_by = call.principal->user;
  if (const auto* rules = body->value().find("rules")) {
    if (rules->kind != protocol::json::Value::Kind::kArray) {
      return error(400, "rules: a list of rule names");
    }
    for (const auto& rule : rules->array) {
      if (rule.kind != protocol::json::Value::Kind::kString) {
        return error(400, "rules: a list of rule names");
      }
      request.rules.push_back(rule.string);
    }
  }
  auto to = body->text("to", 24, false);
  auto from = body->text("from", 24, false);
  auto days = body->integer("days", 1, kMaxRunDays, false);
  if (!to.isOk()) return fromStatus(to.status());
  if (!from.isOk()) return fromStatus(from.status());
  if (!days.isOk()) return fromStatus(days.status());
  request.to_ms = audit.clock.nowUnixMillis();
  if (*to) {
    auto parsed = parseApiTime(**to);
    if (!parsed) return error(400, "to: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS.mmmZ");
    request.to_ms = *parsed;
  }
  if (*from && *days) return error(400, "give from or days, not both");
  request.from_ms = request.to_ms - days->value_or(90) * kDayMs;
  if (*from) {
    auto parsed = parseApiTime(**from);
    if (!parsed) return error(400, "from: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS.mmmZ");
    request.from_ms = *parsed;
  }
  auto id = audit.runs->start(request);
  if (!id.isOk()) return fromStatus(id.status());
  auto run = audit.runs->get(*id);
  if (!run.isOk()) return fromStatus(run.status());
  ApiReply reply = json(202, runJson(*run));
  reply.trail_detail = runJson(*run);
  return reply;
}

ApiReply listRuns(ApiCall&, AuditService& audit) {
  if (audit.runs == nullptr) return error(503, "retrospective runs are not available");
  auto runs = audit.runs->list(50);
  if (!runs.isOk()) return fromStatus(runs.status());
  return json(200, JsonOut().raw("items", jsonList(*runs, runJson)).done());
}

ApiReply showRun(ApiCall& call, AuditService& audit) {
  if (audit.runs == nullptr) return error(503, "retrospective runs are not available");
  const auto id = pathId(call);
  if (!id) return error(404, "no such run");
  auto run = audit.runs->get(*id);
  if (!run.isOk()) return fromStatus(run.status());
  return json(200, runJson(*run));
}

}  // namespace vigie::collector::api
