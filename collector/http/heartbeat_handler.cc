#include "heartbeat_handler.h"

#include <Poco/Logger.h>

#include "device_auth.h"
#include "http_exchange.h"
#include "vigie/protocol/heartbeat.h"

namespace vigie::collector::http {

void HeartbeatHandler::handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) {
  auto& log = Poco::Logger::get("vigie-collector");
  const auto device =
      authenticatedDevice(request, response, devices_, protocol::kMaxHeartbeatBytes);
  if (!device) return;
  const auto body = readBodyOrRefuse(request, response, protocol::kMaxHeartbeatBytes);
  if (!body) return;
  auto heartbeat = protocol::heartbeatFromJson(*body);
  if (!heartbeat.isOk()) {
    log.warning("heartbeat from %s refused: %s", device->device_id, heartbeat.status().message());
    sendError(response, HTTPResponse::HTTP_BAD_REQUEST, heartbeat.status().message());
    return;
  }
  Status stored = heartbeats_.record(device->device_id, *heartbeat, clock_.nowUnixMillis());
  if (!stored.isOk()) {
    log.error("heartbeat from %s not stored: %s", device->device_id, stored.toString());
    response.set("Retry-After", "5");
    sendError(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "store unavailable; retry later");
    return;
  }
  sendJson(response, HTTPResponse::HTTP_OK, protocol::heartbeatAnswerJson(heartbeat_seconds_));
}

}  // namespace vigie::collector::http
