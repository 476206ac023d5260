#include "enroll_handler.h"

#include <Poco/Logger.h>

#include "http_exchange.h"

namespace vigie::collector::http {

void EnrollHandler::handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) {
  const auto body = readBodyOrRefuse(request, response, protocol::kMaxEnrollmentJsonBytes);
  if (!body) return;
  auto parsed = protocol::enrollmentRequestFromJson(*body);
  if (!parsed.isOk()) {
    sendError(response, HTTPResponse::HTTP_BAD_REQUEST, parsed.status().message());
    return;
  }
  const std::string peer = request.clientAddress().host().toString();
  auto enrolled = enrollment_.enroll(*parsed, peer);
  auto& log = Poco::Logger::get("vigie-collector");
  if (enrolled.isOk()) {
    log.information("enrolled device %s (host %s) from %s", parsed->device_id, parsed->hostname,
                    peer);
    sendJson(response, HTTPResponse::HTTP_OK, protocol::toJson(*enrolled));
    return;
  }
  log.warning("enrollment of %s from %s refused: %s", parsed->device_id, peer,
              enrolled.status().message());
  switch (enrolled.status().code()) {
    case Status::Code::kPermissionDenied:
      sendError(response, HTTPResponse::HTTP_UNAUTHORIZED, enrolled.status().message());
      return;
    case Status::Code::kResourceExhausted:
      response.set("Retry-After", "60");
      sendError(response, HTTPResponse::HTTP_TOO_MANY_REQUESTS, enrolled.status().message());
      return;
    case Status::Code::kFailedPrecondition:
      sendError(response, HTTPResponse::HTTP_CONFLICT, enrolled.status().message());
      return;
    case Status::Code::kInvalidArgument:
      sendError(response, HTTPResponse::HTTP_BAD_REQUEST, enrolled.status().message());
      return;
    default:
      response.set("Retry-After", "5");
      sendError(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "enrollment failed; retry later");
      return;
  }
}

}  // namespace vigie::collector::http
