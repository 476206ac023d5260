#include "api_handler.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <iostream>

#include "api/json_body.h"
#include "api/json_out.h"
#include "http_exchange.h"

namespace vigie::collector::http {
namespace {

using api::ApiCall;
using api::ApiReply;
using api::Route;

constexpr size_t kMaxQueryString = 4096;
constexpr size_t kMaxParamLength = 256;

// The route for `path`, or why there is none: 404 for an unknown path, 405 for a known path
// with another method.
const Route* findRoute(const std::string& method, std::string_view path,
                       std::vector<std::string>& args, int& refusal) {
  refusal = 404;
  for (const Route& route : api::apiRoutes()) {
    if (!api::matchRoute(route.pattern, path, args)) continue;
    if (route.method == method) return &route;
    refusal = 405;
  }
  return nullptr;
}

std::optional<ApiReply> readParams(const Route& route, const Poco::URI& uri, ApiCall& call) {
  Poco::URI::QueryParameters params;
  try {
    params = uri.getQueryParameters();
  } catch (const Poco::Exception&) {
    return api::error(400, "the query string is not valid");
  }
  for (const auto& [name, value] : params) {
    bool allowed = false;
    for (size_t start = 0; start <= route.params.size();) {
      const size_t comma = std::min(route.params.find(',', start), route.params.size());
      if (route.params.substr(start, comma - start) == name && !name.empty()) allowed = true;
      start = comma + 1;
    }
    if (!allowed) return api::error(400, "unknown parameter '" + name.substr(0, 64) + "'");
    if (!isCleanText(value, kMaxParamLength)) {
      return api::error(400, name + ": 1-256 characters without control characters");
    }
    if (!call.params.emplace(name, value).second) {
      return api::error(400, name + ": given more than once");
    }
  }
  return std::nullopt;
}

std::string bearerToken(const HTTPServerRequest& request) {
  // A copy: get() with a default returns a reference to that (temporary) default.
  const std::string header = request.get("Authorization", "");
  constexpr std::string_view kScheme = "Bearer ";
  if (header.size() <= kScheme.size() || header.compare(0, kScheme.size(), kScheme) != 0) return {};
  return header.substr(kScheme.size());
}

std::string paramsJson(const ApiCall& call) {
  api::JsonOut out;
  for (const auto& [name, value] : call.params) out.text(name, value);
  for (size_t i = 0; i < call.path_args.size(); ++i)
    out.text("path" + std::to_string(i), call.path_args[i]);
  return out.done();
}

void send(HTTPServerResponse& response, const ApiReply& reply) {
  const auto status = static_cast<HTTPResponse::HTTPStatus>(reply.status);
  // Poco knows no reason phrase for 429.
  response.setStatusAndReason(
      status, reply.status == 429 ? "Too Many Requests" : HTTPResponse::getReasonForStatus(status));
  response.set("Cache-Control", "no-store");
  response.set("X-Content-Type-Options", "nosniff");
  for (const auto& [name, value] : reply.headers) response.set(name, value);
  try {
    if (reply.stream) {
      response.setContentType(reply.content_type);
      response.setChunkedTransferEncoding(true);
      reply.stream(response.send());
      return;
    }
    if (reply.status == 204) {
      response.setContentLength(0);
      response.send();
      return;
    }
    response.setContentType(reply.content_type);
    response.sendBuffer(reply.body.data(), reply.body.size());
  } catch (const Poco::Exception&) {
    // The client went away.
  }
}

}  // namespace

void ApiHandler::handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) {
  const std::string& uri_text = request.getURI();
  const size_t question = uri_text.find('?');
  if (question != std::string::npos && uri_text.size() - question > kMaxQueryString) {
    discardBody(request, 64 * 1024);
    response.setKeepAlive(false);
    return send(response, api::error(414, "the query string is longer than 4 KiB"));
  }
  Poco::URI uri;
  try {
    uri = Poco::URI(uri_text);
  } catch (const Poco::Exception&) {
    discardBody(request, 64 * 1024);
    return send(response, api::error(400, "the request URI is not valid"));
  }
  ApiCall call;
  int refusal = 404;
  const Route* route =
      findRoute(request.getMethod(), uri_text.substr(0, question), call.path_args, refusal);
  if (route == nullptr) {
    discardBody(request, 64 * 1024);
    return send(response,
                api::error(refusal, refusal == 404 ? "no such endpoint" : "method not allowed"));
  }
  call.address = request.clientAddress().host().toString();
  if (!route->roles.empty()) {
    call.token = bearerToken(request);
    auto principal = audit_.accounts.resolveToken(call.token);
    if (!principal.isOk()) {
      discardBody(request, 64 * 1024);
      return send(response, api::fromStatus(principal.status()));
    }
    if (!principal->has_value()) {
      discardBody(request, 64 * 1024);
      ApiReply reply =
          api::error(401, "log in first: no valid session (missing, unknown or expired token)");
      reply.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"vigie\"");
      return send(response, reply);
    }
    call.principal = std::move(**principal);
  }
  ApiReply reply;
  if (call.principal && !route->roles.has(call.principal->role)) {
    discardBody(request, 64 * 1024);
    reply = api::error(403, "your role (" + std::string(roleName(call.principal->role)) +
                                ") may not use this endpoint");
  } else if (auto refused = readParams(*route, uri, call)) {
    discardBody(request, 64 * 1024);
    reply = std::move(*refused);
  } else {
    auto body = readBody(request, route->max_body);
    if (!body.isOk()) {
      response.setKeepAlive(false);
      discardBody(request, 4 * route->max_body);
      reply = api::fromStatus(body.status());
    } else {
      call.body = std::move(body).value();
      reply = route->function(call, audit_);
    }
  }
  // Every authenticated call, and every login attempt, leaves a trail entry — before the answer
  // goes out, so nothing is answered that is not recorded.
  const std::string actor = call.principal ? call.principal->user : reply.trail_actor;
  const std::string detail = reply.trail_detail.empty() ? paramsJson(call) : reply.trail_detail;
  Status recorded = audit_.trail.append(actor, call.principal ? roleName(call.principal->role) : "",
                                        call.principal ? call.principal->brand : "",
                                        request.getMethod() + " " + std::string(route->pattern),
                                        detail, reply.status);
  if (!recorded.isOk()) {
    std::cerr << "vigie-collector: audit trail: " << recorded.toString() << std::endl;
    reply = api::error(503, "the audit trail cannot be written; nothing is answered until it can");
  }
  send(response, reply);
}

}  // namespace vigie::collector::http
