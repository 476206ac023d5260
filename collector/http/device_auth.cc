#include "device_auth.h"

#include <Poco/Logger.h>

namespace vigie::collector::http {

std::optional<DeviceRecord> authenticatedDevice(HTTPServerRequest& request,
                                                HTTPServerResponse& response, EventStore& store,
                                                size_t discard_cap) {
  // Refusals before the body is read: drop it (bounded) so the client reads the answer.
  auto refuse = [&](HTTPResponse::HTTPStatus status, std::string_view reason) {
    discardBody(request, discard_cap);
    response.setKeepAlive(false);
    sendError(response, status, reason);
    return std::nullopt;
  };
  const auto certificate = clientCertificate(request);
  if (!certificate) {
    return refuse(HTTPResponse::HTTP_UNAUTHORIZED,
                  "a client certificate from enrollment is required");
  }
  auto device = store.findDevice(certificate->common_name);
  if (!device.isOk()) {
    Poco::Logger::get("vigie-collector")
        .error("device lookup failed: %s", device.status().toString());
    response.set("Retry-After", "5");
    return refuse(HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "store unavailable");
  }
  if (!device->has_value() ||
      (*device)->certificate_fingerprint != certificate->sha256_fingerprint) {
    return refuse(HTTPResponse::HTTP_UNAUTHORIZED,
                  device->has_value() ? "certificate superseded by a later enrollment"
                                      : "device not enrolled");
  }
  if ((*device)->revoked) return refuse(HTTPResponse::HTTP_FORBIDDEN, "device revoked");
  return std::move(device).value();
}

}  // namespace vigie::collector::http
