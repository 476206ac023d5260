#include "console_handler.h"

#include <Poco/Exception.h>

#include "console_assets.h"
#include "http_exchange.h"

namespace vigie::collector::http {

void ConsoleHandler::handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) {
  discardBody(request, 64 * 1024);
  const std::string& uri = request.getURI();
  if (request.getMethod() != "GET" && request.getMethod() != "HEAD") {
    return sendError(response, HTTPResponse::HTTP_METHOD_NOT_ALLOWED, "use GET");
  }
  if (uri == "/console") {
    response.redirect("/console/", HTTPResponse::HTTP_FOUND);
    return;
  }
  std::string_view name = std::string_view(uri).substr(std::string_view("/console/").size());
  name = name.substr(0, name.find('?'));
  if (name.empty()) name = "index.html";
  for (const ConsoleAsset& asset : consoleAssets()) {
    if (asset.name != name) continue;
    response.set("Content-Security-Policy",
                 "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    response.set("X-Content-Type-Options", "nosniff");
    response.set("Referrer-Policy", "no-referrer");
    response.set("Cache-Control", "no-cache");
    response.setContentType(std::string(asset.content_type));
    try {
      response.sendBuffer(asset.bytes.data(), asset.bytes.size());
    } catch (const Poco::Exception&) {
      // The browser went away.
    }
    return;
  }
  sendError(response, HTTPResponse::HTTP_NOT_FOUND, "no such console file");
}

}  // namespace vigie::collector::http
