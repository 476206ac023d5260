#pragma once

#include <Poco/Net/HTTPRequestHandler.h>

#include "fleet/heartbeat_store.h"
#include "vigie/collector/event_store.h"
#include "vigie/platform/clock.h"

namespace vigie::collector::http {

// POST /v1/heartbeat (client certificate required, docs/fleet.md): the device's heartbeat ->
// 200 {"heartbeat_seconds": N}. 401/403 as for batches, 400 malformed (nothing is stored),
// 413 larger than 64 KiB, 503 (with Retry-After) when the store cannot write.
class HeartbeatHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  HeartbeatHandler(EventStore& devices, HeartbeatStore& heartbeats, platform::Clock& clock,
                   int64_t heartbeat_seconds)
      : devices_(devices),
        heartbeats_(heartbeats),
        clock_(clock),
        heartbeat_seconds_(heartbeat_seconds) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override;

 private:
  EventStore& devices_;
  HeartbeatStore& heartbeats_;
  platform::Clock& clock_;
  const int64_t heartbeat_seconds_;
};

}  // namespace vigie::collector::http
