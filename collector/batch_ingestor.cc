#include "vigie/collector/batch_ingestor.h"

#include <cstdint>
#include <optional>

#include "vigie/crypto/hmac_chain.h"
#include "vigie/protocol/canonical.h"

namespace vigie::collector {

using protocol::Event;

BatchIngestor::BatchIngestor(EventStore& store, platform::Clock& clock, IngestObserver* observer)
    : store_(store), clock_(clock), observer_(observer) {}

namespace {

Incident incidentAt(const DeviceRecord& device, const Event& event, const crypto::ChainBreak& brk,
                    int64_t now_ms, uint64_t previous_seq) {
  Incident incident;
  incident.device_id = device.device_id;
  incident.seq = event.seq;
  incident.detail = brk.detail;
  incident.detected_ms = now_ms;
  switch (brk.kind) {
    case crypto::ChainBreak::Kind::kGap:
      incident.kind = "gap";
      incident.first_missing = previous_seq + 1;
      incident.last_missing = event.seq - 1;
      break;
    case crypto::ChainBreak::Kind::kFork:
      incident.kind = "fork";
      break;
    case crypto::ChainBreak::Kind::kBadMac:
      incident.kind = "bad_mac";
      break;
  }
  return incident;
}

Integrity integrityOf(crypto::ChainBreak::Kind kind) {
  switch (kind) {
    case crypto::ChainBreak::Kind::kGap:
      return Integrity::kAfterGap;
    case crypto::ChainBreak::Kind::kFork:
      return Integrity::kFork;
    case crypto::ChainBreak::Kind::kBadMac:
      return Integrity::kBadMac;
  }
  return Integrity::kBadMac;
}

// Checks each event against the chain as stored; says what to store and what to answer.
Status verifyBatch(const DeviceRecord& device, std::span<const Event> events,
                   std::span<const std::string_view> received_json, int64_t now_ms,
                   LockedChain& chain, IngestResult& result, BatchWrite& write) {
  crypto::ChainVerifier verifier(device.chain_key, chain.head().last_seq, chain.head().last_mac);
  std::optional<crypto::ChainSigner> signer;  // only for late events, which are rare
  std::string scratch;

  for (size_t i = 0; i < events.size(); ++i) {
    const Event& event = events[i];
    const std::string_view json = received_json.empty() ? std::string_view() : received_json[i];
    result.acked_through = event.seq;
    if (event.seq <= verifier.lastSeq()) {
      // Behind the head: a replay (same MAC), a rewrite of history (other MAC), or an event that
      // fills an earlier hole.
      auto stored = chain.storedMac(event.seq);
      if (!stored.isOk()) return stored.status();
      if (stored->has_value()) {
        if (**stored == event.mac) {
          ++result.duplicates;
        } else {
          result.incidents.push_back(
              incidentAt(device, event,
                         {crypto::ChainBreak::Kind::kFork, event.seq,
                          "sequence " + std::to_string(event.seq) +
                              " is already stored with another MAC; the new version is not stored"},
                         now_ms, 0));
        }
        continue;
      }
      scratch.clear();
      protocol::appendCanonical(scratch, event);
      if (!signer) signer.emplace(device.chain_key);
      const bool mac_holds = signer->mac(event.prev, scratch) == event.mac;
      if (!mac_holds) {
        result.incidents.push_back(
            incidentAt(device, event,
                       {crypto::ChainBreak::Kind::kBadMac, event.seq,
                        "late event " + std::to_string(event.seq) + " does not match its MAC"},
                       now_ms, 0));
      }
      write.events.push_back({&event, json, mac_holds ? Integrity::kLate : Integrity::kBadMac});
      continue;
    }
    const uint64_t previous_seq = verifier.lastSeq();
    auto broken = verifier.check(event);
    Integrity integrity = Integrity::kOk;
    if (broken) {
      integrity = integrityOf(broken->kind);
      result.incidents.push_back(incidentAt(device, event, *broken, now_ms, previous_seq));
      // An altered event keeps its place: the next one is checked against the MAC it claims.
      if (broken->kind == crypto::ChainBreak::Kind::kBadMac) {
        verifier.resumeAfter(event.seq, event.mac);
      }
    }
    write.events.push_back({&event, json, integrity});
  }

  write.incidents = result.incidents;
  write.head = {verifier.lastSeq(), verifier.lastMac()};
  result.stored = write.events.size();
  return Status::ok();
}

}  // namespace

StatusOr<IngestResult> BatchIngestor::ingest(const DeviceRecord& device,
                                             std::span<const Event> events,
                                             std::span<const std::string_view> received_json) {
  if (!received_json.empty() && received_json.size() != events.size()) {
    return Status::invalidArgument("one received JSON text per event is needed");
  }
  for (const Event& event : events) {
    // Stores keep sequence numbers as signed 64-bit integers (SQLite, PostgreSQL's bigint).
    if (event.seq > static_cast<uint64_t>(INT64_MAX)) {
      return Status::invalidArgument("event sequence number " + std::to_string(event.seq) +
                                     " is out of range");
    }
    if (event.device != device.device_id) {
      return Status::invalidArgument("event " + std::to_string(event.seq) + " names device '" +
                                     event.device + "', but the client certificate is for '" +
                                     device.device_id + "'");
    }
  }
  const int64_t now_ms = clock_.nowUnixMillis();
  IngestResult result;
  BatchWrite write;
  // Runs under the store's lock on the device's chain, which every collector on the same store
  // takes: the head it reads is the one the batch continues.
  Status stored =
      store_.writeVerified(device.device_id, [&](LockedChain& chain) -> StatusOr<BatchWrite> {
        result = {};
        write = {};
        write.device_id = device.device_id;
        write.received_ms = now_ms;
        VIGIE_RETURN_IF_ERROR(
            verifyBatch(device, events, received_json, now_ms, chain, result, write));
        return StatusOr<BatchWrite>(write);
      });
  if (!stored.isOk()) return stored;
  if (observer_ != nullptr && (!write.events.empty() || !write.incidents.empty())) {
    observer_->stored(device, write.events, write.incidents);
  }
  return result;
}

}  // namespace vigie::collector
