#include "batch_handler.h"

#include <Poco/Logger.h>

#include "device_auth.h"
#include "http_exchange.h"
#include "vigie/protocol/messages.h"

namespace vigie::collector::http {

void BatchHandler::handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) {
  auto& log = Poco::Logger::get("vigie-collector");
  // Refusals before the body is read: drop it (bounded) so the client reads the answer.
  auto refuse = [&](HTTPResponse::HTTPStatus status, std::string_view reason) {
    discardBody(request, limits_.max_compressed_bytes);
    response.setKeepAlive(false);
    sendError(response, status, reason);
  };
  const auto device = authenticatedDevice(request, response, store_, limits_.max_compressed_bytes);
  if (!device) return;
  if (request.get("Content-Encoding", "") != "gzip") {
    refuse(HTTPResponse::HTTP_UNSUPPORTEDMEDIATYPE,
           "batches must be sent with Content-Encoding: gzip");
    return;
  }

  const auto body = readBodyOrRefuse(request, response, limits_.max_compressed_bytes);
  if (!body) return;
  auto batch = protocol::decodeBatch(*body, limits_);
  if (!batch.isOk()) {
    log.warning("batch from %s refused: %s", device->device_id, batch.status().message());
    sendError(response, HTTPResponse::HTTP_BAD_REQUEST, batch.status().message());
    return;
  }
  std::vector<std::string_view> received(batch->events.size());
  for (size_t i = 0; i < received.size(); ++i) received[i] = batch->line(i);
  auto result = ingestor_.ingest(*device, batch->events, received);
  if (!result.isOk()) {
    if (result.status().code() == Status::Code::kInvalidArgument) {
      sendError(response, HTTPResponse::HTTP_BAD_REQUEST, result.status().message());
      return;
    }
    log.error("batch from %s not stored: %s", device->device_id, result.status().toString());
    response.set("Retry-After", "5");
    sendError(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "store unavailable; retry later");
    return;
  }
  for (const Incident& incident : result->incidents) {
    log.warning("integrity incident on %s at seq %s: %s: %s", incident.device_id,
                std::to_string(incident.seq), incident.kind, incident.detail);
  }
  sendJson(
      response, HTTPResponse::HTTP_OK,
      protocol::toJson(protocol::BatchReceipt{result->stored, result->duplicates,
                                              result->acked_through, result->incidents.size()}));
}

}  // namespace vigie::collector::http
