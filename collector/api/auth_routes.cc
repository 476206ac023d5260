// Logging in and out, and the accounts themselves.
#include "api/json_body.h"
#include "api/json_out.h"
#include "api/route_functions.h"
#include "vigie/protocol/utc_time.h"

namespace vigie::collector::api {
namespace {

std::string principalJson(const Principal& principal) {
  return JsonOut()
      .text("user", principal.user)
      .text("role", roleName(principal.role))
      .text("brand", principal.brand)
      .done();
}

}  // namespace

ApiReply login(ApiCall& call, AuditService& audit) {
  auto body = JsonBody::parse(call.body, {"user", "password"});
  if (!body.isOk()) return fromStatus(body.status());
  auto user = body->text("user", 64, true);
  if (!user.isOk()) return fromStatus(user.status());
  auto password = body->text("password", 1024, true);
  if (!password.isOk()) return fromStatus(password.status());
  const std::string& name = **user;
  if (auto wait = audit.limiter.retryAfterMs(name, call.address)) {
    ApiReply reply = error(429, "too many failed logins; try again later");
    reply.headers.emplace_back("Retry-After", std::to_string((*wait + 999) / 1000));
    reply.trail_actor = name;
    reply.trail_detail = "{\"refused\":\"rate limited\"}";
    return reply;
  }
  auto principal = audit.accounts.checkPassword(name, **password);
  if (!principal.isOk()) {
    if (principal.status().code() == Status::Code::kPermissionDenied) {
      audit.limiter.recordFailure(name, call.address);
    }
    ApiReply reply = principal.status().code() == Status::Code::kPermissionDenied
                         ? error(401, "wrong user or password")
                         : fromStatus(principal.status());
    reply.trail_actor = name;
    reply.trail_detail = "{}";
    return reply;
  }
  auto token = audit.accounts.issueToken(*principal);
  if (!token.isOk()) return fromStatus(token.status());
  call.principal = *principal;  // the trail names who logged in
  ApiReply reply = json(200, JsonOut()
                                 .text("token", token->token)
                                 .text("user", principal->user)
                                 .text("role", roleName(principal->role))
                                 .text("brand", principal->brand)
                                 .text("expires", protocol::formatUtcMillis(token->expires_ms))
                                 .done());
  reply.trail_detail = "{}";
  return reply;
}

ApiReply logout(ApiCall& call, AuditService& audit) {
  Status revoked = audit.accounts.revokeToken(call.token);
  return revoked.isOk() ? noContent() : fromStatus(revoked);
}

ApiReply whoAmI(ApiCall& call, AuditService&) { return json(200, principalJson(*call.principal)); }

ApiReply listAccounts(ApiCall&, AuditService& audit) {
  auto accounts = audit.accounts.list();
  if (!accounts.isOk()) return fromStatus(accounts.status());
  return json(200, JsonOut().raw("items", jsonList(*accounts, principalJson)).done());
}

ApiReply addAccount(ApiCall& call, AuditService& audit) {
  auto body = JsonBody::parse(call.body, {"user", "password", "role", "brand"});
  if (!body.isOk()) return fromStatus(body.status());
  auto user = body->text("user", 64, true);
  auto password = body->text("password", 1024, true);
  auto role_name = body->text("role", 16, true);
  auto brand = body->text("brand", 64, false);
  for (const Status* status :
       {&user.status(), &password.status(), &role_name.status(), &brand.status()}) {
    if (!status->isOk()) return fromStatus(*status);
  }
  const auto role = roleFromName(**role_name);
  if (!role) return error(400, "role must be admin, auditor, dpo, fleet or integration");
  Status added = audit.accounts.add(**user, **password, *role, brand->value_or(""));
  if (!added.isOk()) return fromStatus(added);
  ApiReply reply = json(201, principalJson({**user, *role, brand->value_or("")}));
  // Never the password.
  reply.trail_detail = JsonOut()
                           .text("user", **user)
                           .text("role", **role_name)
                           .text("brand", brand->value_or(""))
                           .done();
  return reply;
}

ApiReply removeAccount(ApiCall& call, AuditService& audit) {
  return fromStatus(audit.accounts.remove(call.path_args[0]));
}

}  // namespace vigie::collector::api
