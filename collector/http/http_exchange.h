#pragma once

// Helpers shared by the endpoint handlers: bounded body reading, JSON answers, the client
// certificate of the connection. Poco exceptions stop here.

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <optional>
#include <string>
#include <string_view>

#include "vigie/protocol/status.h"

namespace vigie::collector::http {

using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

// The request body, refusing more than `max_bytes` (kResourceExhausted, which answers 413).
StatusOr<std::string> readBody(HTTPServerRequest& request, size_t max_bytes);

// Reads and drops what is left of the body, up to `cap` bytes, so that the client, still
// sending, reads the error answer instead of a reset connection. Bodies declared larger than
// `cap` are not read at all (the connection is closed after the answer).
void discardBody(HTTPServerRequest& request, size_t cap);

// readBody(), answering the request itself when it fails: 413 (after discarding up to 4 times
// the limit, so the client reads the answer) or 400, and the connection closes.
std::optional<std::string> readBodyOrRefuse(HTTPServerRequest& request,
                                            HTTPServerResponse& response, size_t max_bytes);

void sendJson(HTTPServerResponse& response, HTTPResponse::HTTPStatus status, std::string_view json);
// {"error": reason} with `status`.
void sendError(HTTPServerResponse& response, HTTPResponse::HTTPStatus status,
               std::string_view reason);

struct ClientCertificate {
  std::string common_name;
  std::string sha256_fingerprint;
};
// The verified certificate the client presented in the TLS handshake, if any.
std::optional<ClientCertificate> clientCertificate(HTTPServerRequest& request);

}  // namespace vigie::collector::http
