#include "http_exchange.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/X509Certificate.h>

#include <sstream>

#include "vigie/crypto/x509.h"
#include "vigie/protocol/messages.h"

namespace vigie::collector::http {

namespace {

// A request with neither a length nor chunked encoding has no body (RFC 9112 6.3); Poco would
// otherwise read until the client closes, holding a thread for as long as the client likes.
bool hasBody(const HTTPServerRequest& request) {
  return request.hasContentLength() || request.getChunkedTransferEncoding();
}

}  // namespace

StatusOr<std::string> readBody(HTTPServerRequest& request, size_t max_bytes) {
  if (!hasBody(request)) return std::string();
  const auto declared = request.getContentLength64();
  if (declared != HTTPServerRequest::UNKNOWN_CONTENT_LENGTH &&
      static_cast<uint64_t>(declared) > max_bytes) {
    return Status::resourceExhausted("request body of " + std::to_string(declared) +
                                     " bytes exceeds the limit of " + std::to_string(max_bytes));
  }
  std::string body;
  if (declared > 0) body.reserve(static_cast<size_t>(declared));
  try {
    std::istream& in = request.stream();
    char buffer[64 * 1024];
    while (in) {
      in.read(buffer, sizeof buffer);
      const auto got = static_cast<size_t>(in.gcount());
      if (body.size() + got > max_bytes) {
        return Status::resourceExhausted("request body exceeds the limit of " +
                                         std::to_string(max_bytes) + " bytes");
      }
      body.append(buffer, got);
    }
  } catch (const Poco::Exception& error) {
    return Status::invalidArgument("request body unreadable: " + error.displayText());
  }
  if (declared != HTTPServerRequest::UNKNOWN_CONTENT_LENGTH &&
      body.size() != static_cast<uint64_t>(declared)) {
    return Status::invalidArgument("request body truncated: " + std::to_string(body.size()) +
                                   " of " + std::to_string(declared) + " bytes");
  }
  return body;
}

void discardBody(HTTPServerRequest& request, size_t cap) {
  if (!hasBody(request)) return;
  const auto declared = request.getContentLength64();
  if (declared != HTTPServerRequest::UNKNOWN_CONTENT_LENGTH &&
      static_cast<uint64_t>(declared) > cap) {
    return;
  }
  try {
    std::istream& in = request.stream();
    char buffer[64 * 1024];
    size_t dropped = 0;
    while (in && dropped < cap) {
      in.read(buffer, sizeof buffer);
      dropped += static_cast<size_t>(in.gcount());
    }
  } catch (const Poco::Exception&) {
    // The client went away: nothing to answer.
  }
}

std::optional<std::string> readBodyOrRefuse(HTTPServerRequest& request,
                                            HTTPServerResponse& response, size_t max_bytes) {
  auto body = readBody(request, max_bytes);
  if (body.isOk()) return std::move(body).value();
  const bool too_large = body.status().code() == Status::Code::kResourceExhausted;
  if (too_large) discardBody(request, 4 * max_bytes);
  response.setKeepAlive(false);
  sendError(
      response,
      too_large ? HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE : HTTPResponse::HTTP_BAD_REQUEST,
      body.status().message());
  return std::nullopt;
}

void sendJson(HTTPServerResponse& response, HTTPResponse::HTTPStatus status,
              std::string_view json) {
  response.setStatusAndReason(status);
  response.setContentType("application/json");
  response.setContentLength64(static_cast<Poco::Int64>(json.size()));
  response.send().write(json.data(), static_cast<std::streamsize>(json.size()));
}

void sendError(HTTPServerResponse& response, HTTPResponse::HTTPStatus status,
               std::string_view reason) {
  sendJson(response, status, protocol::errorJson(reason));
}

std::optional<ClientCertificate> clientCertificate(HTTPServerRequest& request) {
  auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request);
  if (impl == nullptr) return std::nullopt;
  try {
    Poco::Net::SecureStreamSocket socket(impl->socket());
    if (!socket.havePeerCertificate()) return std::nullopt;
    std::ostringstream pem;
    socket.peerCertificate().save(pem);
    auto info = crypto::inspectCertificate(pem.str());
    if (!info.isOk()) return std::nullopt;
    return ClientCertificate{info->common_name, info->sha256_fingerprint};
  } catch (const Poco::Exception&) {
    return std::nullopt;
  }
}

}  // namespace vigie::collector::http
