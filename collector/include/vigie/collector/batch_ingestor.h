#pragma once

// Verifies a device's batch against the chain the collector already holds and stores it exactly
// once. Thread-safe, and safe beside other collectors on the same store: a batch is verified
// under the store's lock on its device's chain.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "vigie/collector/event_store.h"
#include "vigie/platform/clock.h"

namespace vigie::collector {

struct IngestResult {
  uint64_t stored = 0;
  uint64_t duplicates = 0;     // already stored with the same MAC: acknowledged, not stored again
  uint64_t acked_through = 0;  // highest sequence number in the batch
  std::vector<Incident> incidents;
};

// Told what each batch stored, once it is committed (the real-time detection rules). Called on
// the ingesting thread: it must be quick and must not fail the batch.
class IngestObserver {
 public:
  virtual ~IngestObserver() = default;
  virtual void stored(const DeviceRecord& device, std::span<const EventToStore> events,
                      std::span<const Incident> incidents) = 0;
};

class BatchIngestor {
 public:
  // `observer` (optional) outlives the ingestor.
  BatchIngestor(EventStore& store, platform::Clock& clock, IngestObserver* observer = nullptr);

  // REQUIRES: `events` in strictly increasing seq order (protocol::decodeBatch checks it).
  // `received_json`, when given, holds each event's JSON as the device sent it (one per event),
  // stored as is; otherwise the events are encoded again.
  // An event stamped with another device id, or a sequence number above INT64_MAX ->
  // kInvalidArgument; nothing is stored then.
  // For each event:
  //  - seq already stored with the same MAC: a duplicate (replayed or overlapping batch);
  //  - seq already stored with another MAC: a fork incident, the event is not stored;
  //  - otherwise it is stored, with an incident when its MAC is bad or it does not continue the
  //    chain (gap, fork).
  StatusOr<IngestResult> ingest(const DeviceRecord& device, std::span<const protocol::Event> events,
                                std::span<const std::string_view> received_json = {});

 private:
  EventStore& store_;
  platform::Clock& clock_;
  IngestObserver* observer_;
};

}  // namespace vigie::collector
