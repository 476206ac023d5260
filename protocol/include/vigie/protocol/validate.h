#pragma once

#include "vigie/protocol/event.h"
#include "vigie/protocol/status.h"

namespace vigie::protocol {

// Checks what the type system cannot: payload matches type, text sizes and UTF-8, list sizes,
// agent.gap counts (one per type, positive, in type order). The decoders apply it; so does the
// queue before storing an event built in memory.
Status validate(const Event& event);
Status validate(const Draft& draft);

}  // namespace vigie::protocol
