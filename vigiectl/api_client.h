#pragma once

// vigiectl's seam to the network: one HTTPS request to the collector's audit API and its answer.
// The real implementation is libcurl (api_client.cc); tests put a fake behind this interface.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vigie/protocol/status.h"

namespace vigie::ctl {

enum class HttpMethod { kGet, kPost, kPut, kDelete };

using QueryParams = std::vector<std::pair<std::string, std::string>>;

struct ApiRequest {
  HttpMethod method = HttpMethod::kGet;
  // Path segments ({"v1", "reveals", id, "approve"}); each is percent-encoded on the way out, so
  // an id or a name can never add a segment or a query.
  std::vector<std::string> path;
  QueryParams query;  // names and values percent-encoded on the way out
  std::string body;   // sent when not empty
  std::string content_type = "application/json";
  // When set, a 2xx answer's body goes to this file (created 0600, replaced only once complete)
  // instead of memory, without the size bound: brand exports.
  std::string download_to;
};

struct ApiResponse {
  long status = 0;
  std::string body;                      // at most ApiSettings::max_response_bytes
  std::optional<int64_t> retry_after_s;  // Retry-After, in seconds, when the server sent one
};

class ApiClient {
 public:
  virtual ~ApiClient() = default;
  // Any HTTP answer is a response, whatever its status; an error Status means no usable answer
  // (connection refused, TLS refused, timeout, answer too large) and says why.
  virtual StatusOr<ApiResponse> send(const ApiRequest& request) = 0;
};

using ApiClientPtr = std::unique_ptr<ApiClient>;

struct ApiSettings {
  std::string base_url;  // https://host:port
  std::string ca_file;   // the only trust anchor: the collector CA (its data directory's ca.pem)
  std::string token;     // Bearer token; empty for the login request
  long connect_timeout_ms = 10'000;
  long request_timeout_ms = 300'000;  // not applied to downloads, which only must keep moving
  size_t max_response_bytes = 64u << 20;
};

// libcurl, https only, TLS >= 1.2, peer and host name verified against `ca_file` only (no system
// CAs), no redirects. Fails if base_url is not an https URL without a path.
StatusOr<ApiClientPtr> newCurlApiClient(const ApiSettings& settings);

// `base_url` + "/" + percent-encoded segments + "?" + percent-encoded query.
std::string buildUrl(std::string_view base_url, const std::vector<std::string>& path,
                     const QueryParams& query);

// RFC 3986 percent-encoding of everything but unreserved characters (curl_easy_escape).
std::string percentEncode(std::string_view text);

// Checks an https://HOST[:PORT] URL and returns it without a trailing slash.
StatusOr<std::string> normalizeBaseUrl(std::string_view url);

}  // namespace vigie::ctl
