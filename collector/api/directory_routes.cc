// People (teams, CRM user names), workstations' brands.
#include "api/json_body.h"
#include "api/json_out.h"
#include "api/route_functions.h"

namespace vigie::collector::api {

using JsonValue = protocol::json::Value;

ApiReply setPerson(ApiCall& call, AuditService& audit) {
  auto body = JsonBody::parse(call.body, {"team", "crm_accounts"});
  if (!body.isOk()) return fromStatus(body.status());
  auto team = body->text("team", 64, true);
  if (!team.isOk()) return fromStatus(team.status());
  std::vector<CrmAccount> crm_accounts;
  if (const JsonValue* list = body->value().find("crm_accounts")) {
    if (list->kind != JsonValue::Kind::kArray || list->array.size() > 32) {
      return error(400, "body: \"crm_accounts\" must be a list of at most 32 {brand, user}");
    }
    for (const JsonValue& item : list->array) {
      const JsonValue* brand = item.kind == JsonValue::Kind::kObject ? item.find("brand") : nullptr;
      const JsonValue* user = item.kind == JsonValue::Kind::kObject ? item.find("user") : nullptr;
      if (brand == nullptr || user == nullptr || item.object.size() != 2 ||
          brand->kind != JsonValue::Kind::kString || user->kind != JsonValue::Kind::kString ||
          !isValidName(brand->string) || !isCleanText(user->string, 128)) {
        return error(400, "body: each CRM account is {\"brand\", \"user\"}");
      }
      crm_accounts.push_back({brand->string, user->string});
    }
  }
  if (!isValidName(call.path_args[0])) return error(400, "not a login");
  Status saved = audit.directory.setPerson(call.path_args[0], **team, crm_accounts);
  ApiReply reply = fromStatus(saved);
  reply.trail_detail = JsonOut()
                           .text("login", call.path_args[0])
                           .text("team", **team)
                           .number("crm_accounts", static_cast<int64_t>(crm_accounts.size()))
                           .done();
  return reply;
}

ApiReply assignDevice(ApiCall& call, AuditService& audit) {
  auto body = JsonBody::parse(call.body, {"brand"});
  if (!body.isOk()) return fromStatus(body.status());
  auto brand = body->text("brand", 64, true);
  if (!brand.isOk()) return fromStatus(brand.status());
  if (!isValidName(**brand)) return error(400, "brands are 1-64 characters of A-Z a-z 0-9 . _ @ -");
  ApiReply reply = fromStatus(audit.directory.assignDevice(call.path_args[0], **brand));
  reply.trail_detail = JsonOut().text("device", call.path_args[0]).text("brand", **brand).done();
  return reply;
}

}  // namespace vigie::collector::api
