#include "vigie/collector/batch_ingestor.h"

#include <optional>

#include "vigie/crypto/hmac_chain.h"
#include "vigie/protocol/canonical.h"

namespace vigie::collector {

using protocol::Event;

// The verified chain of one device. `head` mirrors what the store holds; it is loaded on first
// use and advanced only after a batch is committed.
struct BatchIngestor::DeviceChain {
  std::mutex mutex;
  crypto::SecretKey key;
  std::optional<ChainHead> head;
};

BatchIngestor::BatchIngestor(EventStore& store, platform::Clock& clock, IngestObserver* observer)
    : store_(store), clock_(clock), observer_(observer) {}

BatchIngestor::~BatchIngestor() = default;

BatchIngestor::DeviceChain& BatchIngestor::chainOf(const DeviceRecord& device) {
  std::lock_guard lock(mutex_);
  auto& chain = chains_[device.device_id];
  if (!chain || !(chain->key == device.chain_key)) {
    // New device, or re-enrolled with another key: start again from the stored head.
    chain = std::make_unique<DeviceChain>();
    chain->key = device.chain_key;
  }
  return *chain;
}

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

}  // namespace

StatusOr<IngestResult> BatchIngestor::ingest(const DeviceRecord& device,
                                             std::span<const Event> events,
                                             std::span<const std::string_view> received_json) {
  if (!received_json.empty() && received_json.size() != events.size()) {
    return Status::invalidArgument("one received JSON text per event is needed");
  }
  for (const Event& event : events) {
    if (event.device != device.device_id) {
      return Status::invalidArgument("event " + std::to_string(event.seq) + " names device '" +
                                     event.device + "', but the client certificate is for '" +
                                     device.device_id + "'");
    }
  }
  DeviceChain& chain = chainOf(device);
  std::lock_guard lock(chain.mutex);
  if (!chain.head) {
    auto head = store_.chainHead(device.device_id);
    if (!head.isOk()) return head.status();
    chain.head = *head;
  }

  const int64_t now_ms = clock_.nowUnixMillis();
  IngestResult result;
  BatchWrite write;
  write.device_id = device.device_id;
  write.received_ms = now_ms;
  crypto::ChainVerifier verifier(chain.key, chain.head->last_seq, chain.head->last_mac);
  std::optional<crypto::ChainSigner> signer;  // only for late events, which are rare
  std::string scratch;

  for (size_t i = 0; i < events.size(); ++i) {
    const Event& event = events[i];
    const std::string_view json = received_json.empty() ? std::string_view() : received_json[i];
    result.acked_through = event.seq;
    if (event.seq <= verifier.lastSeq()) {
      // Behind the head: a replay (same MAC), a rewrite of history (other MAC), or an event that
      // fills an earlier hole.
      auto stored = store_.storedMac(device.device_id, event.seq);
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
      if (!signer) signer.emplace(chain.key);
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
  if (!write.events.empty() || !write.incidents.empty()) {
    VIGIE_RETURN_IF_ERROR(store_.write(write));
  }
  chain.head = write.head;
  if (observer_ != nullptr && (!write.events.empty() || !write.incidents.empty())) {
    observer_->stored(device, write.events, write.incidents);
  }
  return result;
}

}  // namespace vigie::collector
