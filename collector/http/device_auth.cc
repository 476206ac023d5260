#include "device_auth.h"

#include <Poco/Logger.h>

namespace vigie::collector::http {

std::optional<DeviceRecord> authenticatedDevice(HTTPServerRequest& request,
                                                HTTPServerResponse& response, EventStore& store,
                                                const Refusal& refuse) {
  const auto certificate = clientCertificate(request);
  if (!certificate) {
    refuse(HTTPResponse::HTTP_UNAUTHORIZED, "a client certificate from enrollment is required");
    return std::nullopt;
  }
  auto device = store.findDevice(certificate->common_name);
  if (!device.isOk()) {
    Poco::Logger::get("vigie-collector")
        .error("device lookup failed: %s", device.status().toString());
    response.set("Retry-After", "5");
    refuse(HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "store unavailable");
    return std::nullopt;
  }
  if (!device->has_value() ||
      (*device)->certificate_fingerprint != certificate->sha256_fingerprint) {
    refuse(HTTPResponse::HTTP_UNAUTHORIZED, device->has_value()
                                                ? "certificate superseded by a later enrollment"
                                                : "device not enrolled");
    return std::nullopt;
  }
  if ((*device)->revoked) {
    refuse(HTTPResponse::HTTP_FORBIDDEN, "device revoked");
    return std::nullopt;
  }
  return std::move(*device);
}

}  // namespace vigie::collector::http
