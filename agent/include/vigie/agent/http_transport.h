#pragma once

// The uploader's seam to the network: one persistent HTTPS connection to the collector. The
// real implementation is libcurl (curl_transport.cc); tests inject faults behind this interface.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "vigie/protocol/status.h"

namespace vigie::agent {

struct HttpResponse {
  long status = 0;
  std::string body;                       // at most 64 KiB are kept
  std::optional<int64_t> retry_after_ms;  // Retry-After in seconds, when the server sent one
};

class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  // POSTs `body` to `path` (e.g. "/v1/batches"). Any HTTP answer is a response, whatever its
  // status; an error Status means no answer (connection refused, TLS refused, timeout) and says
  // why.
  virtual StatusOr<HttpResponse> post(std::string_view path, std::string_view body,
                                      std::string_view content_type, bool gzip_encoded) = 0;
  // Drops the connection: the next request connects again and reloads the certificate files.
  virtual void reconnect() = 0;
  // Makes the request under way, and every later one, fail at once (shutdown). Thread-safe.
  virtual void cancel() = 0;
};

using HttpTransportPtr = std::unique_ptr<HttpTransport>;

struct TlsSettings {
  std::string base_url;          // https://host:port
  std::string ca_file;           // the only trust anchor (the collector CA pinned at enrollment)
  std::string certificate_file;  // client certificate (PEM); empty before enrollment
  std::string key_file;          // its private key (PEM)
  long connect_timeout_ms = 10'000;
  long request_timeout_ms = 60'000;
};

// libcurl, TLS >= 1.2, peer and host name verified against `ca_file` only (no system CAs),
// https only, keep-alive. Fails if base_url is not https.
StatusOr<HttpTransportPtr> newCurlTransport(const TlsSettings& settings);

}  // namespace vigie::agent
