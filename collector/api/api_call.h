#pragma once

// What an audit API route receives and answers, independent of Poco: the route functions in
// this folder are plain functions of (ApiCall, AuditService) -> ApiReply.

#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_service.h"
#include "audit/principal.h"

namespace vigie::collector::api {

struct ApiCall {
  std::vector<std::string> path_args;         // the {} segments of the route, in order
  std::map<std::string, std::string> params;  // query parameters, decoded, each at most once
  std::string body;
  std::string address;                 // the client's IP address
  std::optional<Principal> principal;  // set on every authenticated route
  std::string token;                   // the bearer token presented, if any

  const std::string* param(const std::string& name) const {
    auto found = params.find(name);
    return found == params.end() ? nullptr : &found->second;
  }
};

struct ApiReply {
  int status = 200;
  std::string body;  // JSON unless content_type says otherwise
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  // What the audit trail keeps about the call (a JSON object); empty: the query parameters.
  std::string trail_detail;
  // Who the trail names for a call made without a session (a login attempt).
  std::string trail_actor;
  // For long answers: writes the body instead of `body`.
  std::function<void(std::ostream&)> stream;
};

// Decimal digits making a number > 0, or nullopt.
std::optional<int64_t> parsePositive(std::string_view text);
// The first {} segment of the path as a positive number (a record id), or nullopt.
std::optional<int64_t> pathId(const ApiCall& call);
// A time parameter: the event form (YYYY-MM-DDTHH:MM:SS.mmmZ) or a plain date (midnight UTC).
std::optional<int64_t> parseApiTime(const std::string& text);
// The brand a call is limited to: a brand-bound account's own (naming another one is refused),
// else the "brand" parameter when given, else none (every brand).
StatusOr<std::optional<std::string>> brandScope(const ApiCall& call);

ApiReply json(int status, std::string body);
ApiReply error(int status, std::string_view message);
ApiReply noContent();
// 400 invalid argument, 403 permission denied, 404 not found, 409 failed precondition,
// 413 resource exhausted; anything else is the server's fault: 500, details to the log only.
ApiReply fromStatus(const Status& status);

}  // namespace vigie::collector::api
