#include "policy_handler.h"

#include <Poco/Logger.h>

#include "api/json_body.h"
#include "api/json_out.h"
#include "device_auth.h"
#include "http_exchange.h"

namespace vigie::collector::http {

constexpr size_t kMaxBody = 1024;

void PolicyHandler::handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) {
  if (!authenticatedDevice(request, response, store_, kMaxBody)) return;
  const auto body = readBodyOrRefuse(request, response, kMaxBody);
  if (!body) return;
  auto parsed = api::JsonBody::parse(*body, {"have"});
  auto have = parsed.isOk() ? parsed->integer("have", 0, INT64_MAX, true)
                            : StatusOr<std::optional<int64_t>>(parsed.status());
  if (!have.isOk()) {
    sendError(response, HTTPResponse::HTTP_BAD_REQUEST, have.status().message());
    return;
  }
  auto unavailable = [&](const Status& status) {
    Poco::Logger::get("vigie-collector").error("policy lookup failed: %s", status.toString());
    response.set("Retry-After", "5");
    sendError(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "store unavailable");
  };
  // The agents ask every minute: the serial alone answers nearly all of them.
  auto serial = policies_.activeSerial();
  if (!serial.isOk()) return unavailable(serial.status());
  if (*serial == 0 || *serial == **have) {
    response.setStatusAndReason(HTTPResponse::HTTP_NO_CONTENT);
    response.setContentLength(0);
    response.send();
    return;
  }
  auto active = policies_.active();
  if (!active.isOk()) return unavailable(active.status());
  if (!active->has_value()) return unavailable(Status::ioError("the active policy vanished"));
  sendJson(response, HTTPResponse::HTTP_OK,
           api::JsonOut()
               .number("serial", (*active)->serial)
               .text("document", (*active)->document)
               .text("signature", (*active)->signature)
               .done());
}

}  // namespace vigie::collector::http
