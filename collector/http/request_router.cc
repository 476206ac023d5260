#include "request_router.h"

#include "api_handler.h"
#include "audit/audit_service.h"
#include "batch_handler.h"
#include "console_handler.h"
#include "enroll_handler.h"
#include "heartbeat_handler.h"
#include "http_exchange.h"
#include "policy_handler.h"

namespace vigie::collector::http {
namespace {

class ErrorHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  ErrorHandler(HTTPResponse::HTTPStatus status, std::string reason)
      : status_(status), reason_(std::move(reason)) {}
  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
    discardBody(request, 64 * 1024);
    response.setKeepAlive(false);
    sendError(response, status_, reason_);
  }

 private:
  HTTPResponse::HTTPStatus status_;
  std::string reason_;
};

}  // namespace

// Poco takes ownership of the handler it is given.
Poco::Net::HTTPRequestHandler* RequestRouter::createRequestHandler(
    const HTTPServerRequest& request) {
  const std::string& path = request.getURI();
  const bool post = request.getMethod() == Poco::Net::HTTPRequest::HTTP_POST;
  if (path == "/v1/enroll" || path == "/v1/batches") {
    if (!post) return new ErrorHandler(HTTPResponse::HTTP_METHOD_NOT_ALLOWED, "use POST");
    if (path == "/v1/enroll") return new EnrollHandler(services_.enrollment);
    return new BatchHandler(services_.store, services_.ingestor, limits_);
  }
  if (path == "/v1/policy" && services_.audit != nullptr) {
    if (!post) return new ErrorHandler(HTTPResponse::HTTP_METHOD_NOT_ALLOWED, "use POST");
    return new PolicyHandler(services_.store, services_.audit->policies);
  }
  if (path == "/v1/heartbeat" && services_.audit != nullptr) {
    if (!post) return new ErrorHandler(HTTPResponse::HTTP_METHOD_NOT_ALLOWED, "use POST");
    return new HeartbeatHandler(services_.store, services_.audit->heartbeats,
                                services_.audit->clock,
                                services_.audit->fleet_settings.heartbeat_seconds);
  }
  if (services_.audit != nullptr) {
    const std::string_view route = std::string_view(path).substr(0, path.find('?'));
    if (route == "/console" || route.starts_with("/console/")) return new ConsoleHandler;
    if (route.starts_with("/v1/")) return new ApiHandler(*services_.audit);
  }
  return new ErrorHandler(HTTPResponse::HTTP_NOT_FOUND, "no such endpoint");
}

}  // namespace vigie::collector::http
