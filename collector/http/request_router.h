#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include "vigie/collector/collector_server.h"

namespace vigie::collector::http {

// Routes by method and path, one handler per endpoint; anything else gets a JSON 404 or 405.
class RequestRouter final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  RequestRouter(ServerServices services, protocol::BatchLimits limits)
      : services_(services), limits_(limits) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest& request) override;

 private:
  ServerServices services_;
  const protocol::BatchLimits limits_;
};

}  // namespace vigie::collector::http
