#pragma once

// Events of one device, chained and sealed as the agent's queue would, for collector tests.

#include <vector>

#include "sample_events.h"
#include "vigie/crypto/hmac_chain.h"

namespace vigie::testing {

inline std::vector<protocol::Event> chainedCrmViews(const crypto::SecretKey& key, size_t count,
                                                    const std::string& device = "dev-5f3a") {
  std::vector<protocol::Event> events = typicalCrmViews(count);
  crypto::ChainSigner signer(key);
  protocol::Mac prev{};
  std::string scratch;
  uint64_t seq = 0;
  for (auto& event : events) {
    event.device = device;
    event.seq = ++seq;
    signer.seal(event, prev, scratch);
    prev = event.mac;
  }
  return events;
}

}  // namespace vigie::testing
