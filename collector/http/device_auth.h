#pragma once

// Who is calling an agent endpoint: the enrolled device named by the client certificate's
// common name, presenting the certificate issued to it last, not revoked.

#include <functional>
#include <optional>
#include <string_view>

#include "http_exchange.h"
#include "vigie/collector/event_store.h"

namespace vigie::collector::http {

// Answers the request itself through `refuse` when the device may not call: 401 without a
// client certificate, for an unknown device or a superseded certificate; 403 revoked; 503 (with
// Retry-After) when the store cannot tell.
using Refusal = std::function<void(HTTPResponse::HTTPStatus status, std::string_view reason)>;
std::optional<DeviceRecord> authenticatedDevice(HTTPServerRequest& request,
                                                HTTPServerResponse& response, EventStore& store,
                                                const Refusal& refuse);

}  // namespace vigie::collector::http
