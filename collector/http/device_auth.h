#pragma once

#include <optional>

#include "http_exchange.h"
#include "vigie/collector/event_store.h"

namespace vigie::collector::http {

// The enrolled device the request's client certificate names, for the agents' endpoints. When
// there is none, answers the request itself and returns nullopt: 401 without a certificate or
// with a superseded one or an unknown device, 403 for a revoked device, 503 (Retry-After) when
// the store cannot say. The rest of the body, up to `discard_cap` bytes, is dropped first.
std::optional<DeviceRecord> authenticatedDevice(HTTPServerRequest& request,
                                                HTTPServerResponse& response, EventStore& store,
                                                size_t discard_cap);

}  // namespace vigie::collector::http
