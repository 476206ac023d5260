#pragma once

// The collector's HTTPS endpoint (docs/collector-protocol.md): Poco's HTTP server on a TLS
// socket that asks for, and verifies against the collector CA, a client certificate.
//   POST /v1/enroll   enrollment secret -> client certificate (no client certificate needed)
//   POST /v1/batches  gzip NDJSON batch -> receipt (client certificate of an enrolled device)
//   POST /v1/heartbeat  the device's health (docs/fleet.md; client certificate, with the audit
//                       service only)
//   /v1/... (others)  the audit API (docs/audit-api.md), bearer tokens; /console/ its web pages
// Poco stays inside collector/http/: nothing here throws.

#include <cstdint>
#include <memory>
#include <string>

#include "vigie/collector/batch_ingestor.h"
#include "vigie/collector/collector_home.h"
#include "vigie/collector/enrollment_service.h"
#include "vigie/collector/event_store.h"
#include "vigie/protocol/batch_codec.h"

namespace vigie::collector {

struct ServerOptions {
  std::string host = "0.0.0.0";
  uint16_t port = 8443;  // 0: any free port (see CollectorServer::port())
  // Connections served at once: a connected agent holds one while it sends (every linger period,
  // 1 s by default); an idle one gives it back after keep_alive_seconds.
  int max_threads = 128;
  int keep_alive_seconds = 10;
  protocol::BatchLimits limits;
};

struct AuditService;

// What the endpoints need; all outlive the server.
struct ServerServices {
  EventStore& store;
  EnrollmentService& enrollment;
  BatchIngestor& ingestor;
  AuditService* audit = nullptr;  // the audit API and console; absent: agents' endpoints only
};

class CollectorServer {
 public:
  static StatusOr<std::unique_ptr<CollectorServer>> start(const CollectorHome& home,
                                                          const ServerOptions& options,
                                                          ServerServices services);
  ~CollectorServer();  // stops accepting, finishes requests under way

  uint16_t port() const;

 private:
  struct Impl;
  explicit CollectorServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace vigie::collector
