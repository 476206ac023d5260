#pragma once

// The audit API's route table (docs/audit-api.md): every route names who may call it. A test
// walks this table, so a new route cannot be added without its permission being checked.

#include <span>
#include <string_view>

#include "api/api_call.h"

namespace vigie::collector::api {

using RouteFunction = ApiReply (*)(ApiCall&, AuditService&);

struct Route {
  std::string_view method;
  std::string_view pattern;  // path, "{}" standing for one segment: "/v1/reveals/{}/approve"
  Roles roles;               // empty: no session needed (login only)
  std::string_view params;   // the query parameters it accepts, comma-separated
  size_t max_body;
  RouteFunction function;
};

std::span<const Route> apiRoutes();

// Matches `path` against `pattern`, filling `args` with the {} segments. Segments are 1-64
// characters of [A-Za-z0-9._@-] (no "." or ".." alone).
bool matchRoute(std::string_view pattern, std::string_view path, std::vector<std::string>& args);

}  // namespace vigie::collector::api
