#pragma once

#include <vector>

#include "vigie/protocol/event.h"

namespace vigie::testing {

// A filled-in event of `type` with every optional field present, plausible values and seq 0.
protocol::Event sampleEvent(protocol::EventType type);
// One sample of every type.
std::vector<protocol::Event> sampleEventsOfEveryType();
// A crm.view of about 290 bytes of JSON data (about 430 stored, with prev and mac), the event
// the benchmarks use; `n` varies the record id.
protocol::Event typicalCrmView(uint64_t n);

// `count` of them, record ids varied from `first`.
std::vector<protocol::Event> typicalCrmViews(size_t count, uint64_t first = 0);

}  // namespace vigie::testing
