#pragma once

// The agent's durable, encrypted, bounded event queue (docs/queue.md).
//
// Every event the agent records passes through here: the queue gives it the next per-device
// sequence number, chains it (HMAC over the previous MAC and the canonical event), and commits it
// to a SQLCipher file before append() returns. The uploader leases the oldest events and deletes
// them only when the collector has acknowledged them.
//
// Thread-safe: every method takes an internal lock.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "vigie/crypto/secret_key.h"
#include "vigie/platform/clock.h"
#include "vigie/protocol/event.h"
#include "vigie/protocol/status.h"

namespace vigie::agent {

struct QueueLimits {
  uint64_t max_events = 2'000'000;
  uint64_t max_bytes = 512ull << 20;             // sum of stored event sizes
  int64_t max_age_ms = 30ll * 24 * 3600 * 1000;  // policy: older events are purged and counted
};

struct QueueOptions {
  std::string path;  // the database file; `<path>.seq` holds the sequence reservation
  std::string device_id;
  crypto::SecretKey database_key;  // SQLCipher raw key
  crypto::SecretKey chain_key;     // HMAC chain key
  QueueLimits limits;
  platform::Clock* clock = nullptr;  // nullptr: the system clock
};

struct LeasedEvent {
  uint64_t seq;
  std::string json;  // the event as stored: protocol JSON, ready to upload
};

// A batch handed to the uploader. Until ack() it stays in the queue; after a restart, or
// release(), the same events are leased again.
struct Lease {
  uint64_t id = 0;
  std::vector<LeasedEvent> events;
  bool empty() const { return events.empty(); }
};

struct QueueStats {
  uint64_t events = 0;
  uint64_t bytes = 0;
  uint64_t next_seq = 0;
  uint64_t dropped_total = 0;   // by the queue_full and age_limit policies, since open
  uint64_t unstored_total = 0;  // events append() could not store (disk full, I/O), since open
  uint64_t recoveries = 0;      // unreadable files moved aside, since open
  uint64_t commits = 0;         // append transactions committed, since open
};

class EventQueue {
 public:
  // Opens or creates the queue. An existing file that cannot be read with the key (wrong key,
  // corruption) is moved aside to `<path>.unreadable-<unix ms>` for forensics and a fresh queue
  // starts, carrying an agent.integrity event; sequence numbers carry on from the reservation
  // file, so none is reused. Fails only when no queue can be created at all.
  static StatusOr<std::unique_ptr<EventQueue>> open(QueueOptions options);

  // Opens an existing queue read-only, for inspection; never modifies or moves anything.
  static StatusOr<std::unique_ptr<EventQueue>> openForReading(
      std::string path, const crypto::SecretKey& database_key);

  virtual ~EventQueue() = default;

  // Stores `events` in one transaction (one fsync), in order. Assigns seq, prev and mac; the
  // caller fills id, time and identity. Invalid events reject the whole call before anything is
  // written. When the limits would be exceeded, the oldest events of the lowest priority are
  // dropped first and an agent.gap event with exact counts joins the same transaction. If the
  // write fails (disk full, I/O) nothing is stored, the events are counted, and the next
  // successful append records them in an agent.gap.
  virtual Status append(std::span<protocol::Event> events) = 0;

  // The oldest events not yet leased, up to the limits (at least one event if any is queued).
  // One lease at a time: a second call before ack() or release() fails.
  virtual StatusOr<Lease> lease(size_t max_events, size_t max_bytes) = 0;
  // Deletes the leased events, durably. Call only after the collector acknowledged them.
  virtual Status ack(uint64_t lease_id) = 0;
  // Gives the leased events back, to be leased again (upload failed).
  virtual Status release(uint64_t lease_id) = 0;

  // Removes events older than limits.max_age_ms, recording an agent.gap with their counts.
  virtual Status purgeExpired() = 0;
  // Replaces limits.max_age_ms (a new workstation policy) for the next purgeExpired().
  virtual void setMaxAge(int64_t max_age_ms) = 0;

  // Calls `visit` for every queued event in sequence order; stops early when it returns false.
  virtual Status forEach(const std::function<bool(const LeasedEvent&)>& visit) = 0;

  virtual QueueStats stats() = 0;

  // The time of the oldest queued event; nullopt when the queue is empty.
  virtual StatusOr<std::optional<int64_t>> oldestEventTime() = 0;
};

using EventQueuePtr = std::unique_ptr<EventQueue>;

}  // namespace vigie::agent
