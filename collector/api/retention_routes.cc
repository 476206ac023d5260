// Retention settings, the purge, legal holds, and one brand's data as a whole.
#include <charconv>

#include "api/json_body.h"
#include "api/json_out.h"
#include "api/route_functions.h"
#include "vigie/protocol/utc_time.h"

namespace vigie::collector::api {
namespace {

// A brand-bound dpo works on its own brand only; an unbound one on any.
std::optional<std::string> scopeOf(const ApiCall& call) {
  if (call.principal->brand.empty()) return std::nullopt;
  return call.principal->brand;
}

std::string holdJson(const LegalHold& hold) {
  JsonOut out;
  out.number("id", hold.id).text("case", hold.case_name).text("reason", hold.reason);
  if (hold.brand) out.text("brand", *hold.brand);
  if (hold.user) out.text("user", *hold.user);
  if (hold.record_id) out.text("record_id", *hold.record_id);
  out.text("from", protocol::formatUtcMillis(hold.from_ms));
  if (hold.to_ms != INT64_MAX) out.text("to", protocol::formatUtcMillis(hold.to_ms));
  out.text("created_by", hold.created_by)
      .text("created", protocol::formatUtcMillis(hold.created_ms));
  if (hold.released_ms) out.text("released", protocol::formatUtcMillis(*hold.released_ms));
  return out.done();
}

}  // namespace

ApiReply showRetention(ApiCall&, AuditService& audit) {
  auto classes = audit.retention.classes();
  if (!classes.isOk()) return fromStatus(classes.status());
  const std::string items = jsonList(*classes, [](const RetentionClass& c) {
    JsonOut out;
    out.text("class", c.name).number("days", c.days).text("justification", c.justification);
    out.text("set_by", c.set_by);
    if (c.set_ms != 0) out.text("set_at", protocol::formatUtcMillis(c.set_ms));
    return out.done();
  });
  return json(200, JsonOut().raw("items", items).done());
}

ApiReply setRetention(ApiCall& call, AuditService& audit) {
  auto body = JsonBody::parse(call.body, {"days", "justification"});
  if (!body.isOk()) return fromStatus(body.status());
  auto days = body->integer("days", 1, 100000, true);
  if (!days.isOk()) return fromStatus(days.status());
  auto justification = body->text("justification", 1000, false);
  if (!justification.isOk()) return fromStatus(justification.status());
  ApiReply reply = fromStatus(audit.retention.set(
      call.path_args[0], **days, justification->value_or(""), call.principal->user));
  reply.trail_detail = JsonOut()
                           .text("class", call.path_args[0])
                           .number("days", **days)
                           .text("justification", justification->value_or(""))
                           .done();
  return reply;
}

ApiReply purgeNow(ApiCall&, AuditService& audit) {
  auto report = audit.retention.purge();
  if (!report.isOk()) return fromStatus(report.status());
  JsonOut purged;
  for (const auto& [name, count] : report->purged) purged.number(name, count);
  const std::string body =
      JsonOut().raw("purged", purged.done()).number("held", report->held).done();
  ApiReply reply = json(200, body);
  reply.trail_detail = body;
  return reply;
}

ApiReply listHolds(ApiCall& call, AuditService& audit) {
  auto holds = audit.retention.holds(scopeOf(call));
  if (!holds.isOk()) return fromStatus(holds.status());
  return json(200, JsonOut().raw("items", jsonList(*holds, holdJson)).done());
}

ApiReply addHold(ApiCall& call, AuditService& audit) {
  auto body =
      JsonBody::parse(call.body, {"case", "reason", "brand", "user", "record_id", "from", "to"});
  if (!body.isOk()) return fromStatus(body.status());
  LegalHold hold;
  auto case_name = body->text("case", 128, true);
  auto reason = body->text("reason", 1000, true);
  auto brand = body->text("brand", 64, false);
  auto user = body->text("user", 128, false);
  auto record = body->text("record_id", 256, false);
  auto from = body->text("from", 24, false);
  auto to = body->text("to", 24, false);
  for (const Status* status : {&case_name.status(), &reason.status(), &brand.status(),
                               &user.status(), &record.status(), &from.status(), &to.status()}) {
    if (!status->isOk()) return fromStatus(*status);
  }
  hold.case_name = **case_name;
  hold.reason = **reason;
  hold.brand = *brand;
  if (const auto scope = scopeOf(call)) {
    if (hold.brand && *hold.brand != *scope)
      return error(403, "your account holds brand " + *scope + " only");
    hold.brand = scope;
  }
  if (*user && Pseudonyms::looksLike(**user)) {
    auto login = audit.pseudonyms.loginOf(**user);
    if (!login.isOk()) return fromStatus(login.status());
    if (!login->has_value()) return error(404, "no one known has pseudonym " + **user);
    hold.user = **login;
  } else {
    hold.user = *user;
  }
  hold.record_id = *record;
  if (*from) {
    auto parsed = protocol::parseUtcMillis(**from);
    if (!parsed) return error(400, "from: expected YYYY-MM-DDTHH:MM:SS.mmmZ");
    hold.from_ms = *parsed;
  }
  if (*to) {
    auto parsed = protocol::parseUtcMillis(**to);
    if (!parsed || *parsed <= hold.from_ms) return error(400, "to: a time after from");
    hold.to_ms = *parsed;
  }
  hold.created_by = call.principal->user;
  auto id = audit.retention.addHold(hold);
  if (!id.isOk()) return fromStatus(id.status());
  ApiReply reply = json(201, JsonOut().number("id", *id).done());
  hold.id = *id;
  hold.created_ms = audit.clock.nowUnixMillis();
  reply.trail_detail = holdJson(hold);
  return reply;
}

ApiReply releaseHold(ApiCall& call, AuditService& audit) {
  int64_t id = 0;
  const std::string& text = call.path_args[0];
  const auto [end, failure] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (failure != std::errc() || end != text.data() + text.size()) return error(404, "no such hold");
  return fromStatus(audit.retention.releaseHold(id, scopeOf(call)));
}

ApiReply exportBrand(ApiCall& call, AuditService& audit) {
  const std::string brand = call.path_args[0];
  if (const auto scope = scopeOf(call); scope && *scope != brand) {
    return error(403, "your account exports brand " + *scope + " only");
  }
  ApiReply reply;
  reply.content_type = "application/x-ndjson";
  reply.stream = [&audit, brand](std::ostream& out) {
    Status done = audit.brands.exportAll(brand, [&](std::string_view line) {
      out << line << '\n';
      return static_cast<bool>(out);
    });
    if (!done.isOk()) out << "{\"error\":\"export interrupted; the collector log says why\"}\n";
  };
  reply.trail_detail = JsonOut().text("brand", brand).done();
  return reply;
}

ApiReply deleteBrand(ApiCall& call, AuditService& audit) {
  const std::string& brand = call.path_args[0];
  if (const auto scope = scopeOf(call); scope && *scope != brand) {
    return error(403, "your account deletes brand " + *scope + " only");
  }
  auto body = JsonBody::parse(call.body, {"confirm"});
  if (!body.isOk()) return fromStatus(body.status());
  auto confirm = body->text("confirm", 64, true);
  if (!confirm.isOk()) return fromStatus(confirm.status());
  if (**confirm != brand) return error(400, "confirm must repeat the brand's name");
  auto deleted = audit.brands.erase(brand);
  if (!deleted.isOk()) return fromStatus(deleted.status());
  const std::string result =
      JsonOut().number("deleted", deleted->deleted).number("held", deleted->held).done();
  ApiReply reply = json(200, result);
  reply.trail_detail = JsonOut().text("brand", brand).raw("result", result).done();
  return reply;
}

}  // namespace vigie::collector::api
