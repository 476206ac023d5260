#pragma once

#include <Poco/Net/HTTPRequestHandler.h>

#include "fleet/workstation_policies.h"
#include "vigie/collector/event_store.h"

namespace vigie::collector::http {

// POST /v1/policy (client certificate required), body {"have": <serial the agent applies>}:
// 204 when that is the active policy, else 200 {"serial", "document", "signature"} with the
// active one (docs/fleet.md); 204 as well while no policy was ever activated. 400 for a
// malformed body; 401/403 as for batches; 503 when the store cannot answer.
class PolicyHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  PolicyHandler(EventStore& store, WorkstationPolicies& policies)
      : store_(store), policies_(policies) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override;

 private:
  EventStore& store_;
  WorkstationPolicies& policies_;
};

}  // namespace vigie::collector::http
