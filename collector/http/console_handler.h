#pragma once

#include <Poco/Net/HTTPRequestHandler.h>

namespace vigie::collector::http {

// Serves the web console's compiled-in files under /console/. Only names in the compiled list
// exist: no file system lookup, so no traversal. The pages hold no data; everything they show
// comes from the authenticated API. A strict Content-Security-Policy allows only the console's
// own script and style.
class ConsoleHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override;
};

}  // namespace vigie::collector::http
