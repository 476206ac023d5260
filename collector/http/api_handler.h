#pragma once

#include <Poco/Net/HTTPRequestHandler.h>

#include "api/api_routes.h"

namespace vigie::collector::http {

// Serves one audit API request (docs/audit-api.md): matches the route table, checks the query
// string, authenticates the bearer token, checks the role, reads the bounded body, runs the route
// and writes the call to the audit trail.
class ApiHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit ApiHandler(AuditService& audit) : audit_(audit) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override;

 private:
  AuditService& audit_;
};

}  // namespace vigie::collector::http
