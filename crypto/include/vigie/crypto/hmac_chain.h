#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "vigie/crypto/secret_key.h"
#include "vigie/protocol/event.h"

namespace vigie::crypto {

using protocol::Mac;

// Computes event MACs: HMAC-SHA256(chain key, prev || canonical(event)).
// Not thread-safe: it reuses one OpenSSL context; give each thread its own.
class ChainSigner {
 public:
  explicit ChainSigner(const SecretKey& key);
  ~ChainSigner();
  ChainSigner(const ChainSigner&) = delete;
  ChainSigner& operator=(const ChainSigner&) = delete;

  Mac mac(const Mac& prev, std::string_view canonical);
  // Sets event.prev = prev and event.mac to the MAC of the event; `scratch` is reused between
  // calls.
  void seal(protocol::Event& event, const Mac& prev, std::string& scratch);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The first broken link found in a chain.
struct ChainBreak {
  enum class Kind {
    kGap,     // sequence numbers missing before this event
    kFork,    // this event does not continue the chain: wrong prev, or seq not increasing
    kBadMac,  // the MAC does not match the event: altered, or signed with another key
  };
  Kind kind;
  uint64_t seq;        // sequence number of the event where the chain breaks
  std::string detail;  // human-readable: what was expected and what was found
};
std::string_view kindName(ChainBreak::Kind kind);

// Follows one device's chain event by event. Starts after (seq, mac) of the last trusted event;
// (0, zeros) for a chain that starts at seq 1.
class ChainVerifier {
 public:
  explicit ChainVerifier(const SecretKey& key, uint64_t last_seq = 0, const Mac& last_mac = {});

  // Checks `event` against the chain so far. After a gap or fork whose own MAC is good, the
  // verifier moves on from that event, so later events are checked against it.
  std::optional<ChainBreak> check(const protocol::Event& event);

  // Continues the chain from (seq, mac) as if that event had been checked: after an event with a
  // bad MAC, the next one is then checked against the MAC the altered event claimed.
  void resumeAfter(uint64_t seq, const Mac& mac) {
    last_seq_ = seq;
    last_mac_ = mac;
  }

  uint64_t lastSeq() const { return last_seq_; }
  const Mac& lastMac() const { return last_mac_; }

 private:
  ChainSigner signer_;
  uint64_t last_seq_;
  Mac last_mac_;
  std::string scratch_;
};

// The first break in `events` (in order), or nullopt when the whole chain holds.
std::optional<ChainBreak> verifyChain(const SecretKey& key, std::span<const protocol::Event> events,
                                      uint64_t last_seq = 0, const Mac& last_mac = {});

}  // namespace vigie::crypto
