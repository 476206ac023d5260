#pragma once

#include <Poco/Net/HTTPRequestHandler.h>

#include "vigie/collector/batch_ingestor.h"
#include "vigie/collector/event_store.h"
#include "vigie/protocol/batch_codec.h"

namespace vigie::collector::http {

// POST /v1/batches (client certificate required): a gzip NDJSON batch -> 200 BatchReceipt.
// 401 no or superseded certificate / unknown device, 403 revoked device, 400 malformed batch,
// 413 body too large, 415 not gzip, 503 (with Retry-After) when the store cannot write.
class BatchHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  BatchHandler(EventStore& store, BatchIngestor& ingestor, const protocol::BatchLimits& limits)
      : store_(store), ingestor_(ingestor), limits_(limits) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override;

 private:
  EventStore& store_;
  BatchIngestor& ingestor_;
  const protocol::BatchLimits& limits_;
};

}  // namespace vigie::collector::http
