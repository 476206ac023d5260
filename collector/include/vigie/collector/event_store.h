#pragma once

// Where the collector keeps enrolled devices, their events and integrity incidents. The embedded
// backend is a SQLCipher file; the PostgreSQL backend (postgres_store.h) implements the same
// interface for sites with several collectors. Implementations are thread-safe.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vigie/crypto/secret_key.h"
#include "vigie/protocol/event.h"
#include "vigie/protocol/status.h"

namespace vigie::collector {

struct DeviceRecord {
  std::string device_id;
  std::string hostname;
  std::string os;
  crypto::SecretKey chain_key;          // the device's HMAC chain key, given at enrollment
  std::string certificate_fingerprint;  // of the client certificate issued last; others fail
  int64_t enrolled_ms = 0;
  bool revoked = false;
  std::string brand;  // the client brand it serves (set by fleet administrators; read only here)
};

// The last link of a device's chain the collector has verified and stored.
struct ChainHead {
  uint64_t last_seq = 0;
  protocol::Mac last_mac{};
  bool operator==(const ChainHead&) const = default;
};

// How an event stood when it was verified; stored with the event.
enum class Integrity : int {
  kOk = 0,
  kAfterGap = 1,  // its MAC holds but events before it are missing
  kFork = 2,      // its MAC holds but it does not continue the stored chain
  kBadMac = 3,    // altered, or signed with another key: kept as evidence, not trusted
  kLate = 4,      // arrived after later events (fills an earlier hole); its MAC holds
};
std::string_view integrityName(Integrity integrity);

struct Incident {
  std::string device_id;
  uint64_t seq = 0;
  std::string kind;    // "gap", "fork", "bad_mac"
  std::string detail;  // what was expected and what was found
  int64_t detected_ms = 0;
  bool explained = false;      // a gap covered by the device's own agent.gap report
  uint64_t first_missing = 0;  // for gaps: the missing sequence range
  uint64_t last_missing = 0;
};

// The client brand an event belongs to: the crm.view's own, else its device's assignment.
inline std::string_view eventBrand(const protocol::Event& event, std::string_view device_brand) {
  const auto* view = std::get_if<protocol::CrmView>(&event.data);
  return view != nullptr && !view->brand.empty() ? std::string_view(view->brand) : device_brand;
}

struct EventToStore {
  const protocol::Event* event;
  std::string_view json;  // the event as the device sent it; empty: the store encodes it
  Integrity integrity;
};

// Everything one batch changes, written in one transaction.
struct BatchWrite {
  std::string device_id;
  std::vector<EventToStore> events;
  std::vector<Incident> incidents;
  ChainHead head;  // the device's chain head after this batch
  int64_t received_ms = 0;
};

struct StoredEvent {
  protocol::Event event;
  Integrity integrity = Integrity::kOk;
  int64_t received_ms = 0;
  std::string brand;  // the crm.view's own, else its device's when it was stored
};

// Audit selections; empty fields match everything. Results are in (time, device, seq) order.
struct EventQuery {
  std::optional<std::string> device_id;
  std::optional<std::string> user;
  std::optional<std::string> record_id;    // crm.view record identifier
  std::vector<protocol::EventType> types;  // empty: every type
  int64_t from_ms = INT64_MIN;
  int64_t to_ms = INT64_MAX;  // exclusive
  size_t limit = SIZE_MAX;
};

// How many events of one type a person had in one hour (hour = Unix milliseconds / 3,600,000).
struct HourlyCount {
  std::string user;
  int64_t hour = 0;
  uint64_t count = 0;
};

// A device's chain as the store holds it while a batch of that device is verified and written:
// no other writer (another thread, another collector on the same database) can change it
// meanwhile.
class LockedChain {
 public:
  virtual ~LockedChain() = default;
  virtual const ChainHead& head() const = 0;
  // The MAC stored for seq, or nullopt when no such event is stored.
  virtual StatusOr<std::optional<protocol::Mac>> storedMac(uint64_t seq) = 0;
};

// Verifies a batch against the locked chain and says what to write.
using BatchVerifier = std::function<StatusOr<BatchWrite>(LockedChain& chain)>;

class EventStore {
 public:
  virtual ~EventStore() = default;

  // Adds a device, or replaces the record of one already enrolled (re-enrollment). The chain
  // head of a replaced device is kept.
  virtual Status putDevice(const DeviceRecord& device) = 0;
  virtual StatusOr<std::optional<DeviceRecord>> findDevice(std::string_view device_id) = 0;
  virtual StatusOr<std::vector<DeviceRecord>> listDevices() = 0;
  // kNotFound for an unknown device.
  virtual Status setRevoked(std::string_view device_id, bool revoked) = 0;

  virtual StatusOr<ChainHead> chainHead(std::string_view device_id) = 0;
  // The MAC stored for (device, seq), or nullopt when no such event is stored.
  virtual StatusOr<std::optional<protocol::Mac>> storedMac(std::string_view device_id,
                                                           uint64_t seq) = 0;

  // Locks `device_id`'s chain, runs `verify` against it and stores the batch it returns, in one
  // transaction: events (whose (device, seq) must be new), incidents, the new chain head; earlier
  // gap incidents covered by an agent.gap in the batch are marked explained. All or nothing:
  // nothing is stored when `verify` fails. kNotFound for an unknown device.
  virtual Status writeVerified(std::string_view device_id, const BatchVerifier& verify) = 0;

  // Stores a batch verified beforehand (tools and tests that build the store's content).
  Status write(const BatchWrite& batch) {
    return writeVerified(batch.device_id, [&batch](LockedChain&) { return batch; });
  }

  virtual Status forEachEvent(const EventQuery& query,
                              const std::function<bool(const StoredEvent&)>& visit) = 0;
  // Per person and hour, the events of `type` with from_ms <= time < to_ms (the volume rule's
  // baselines).
  virtual StatusOr<std::vector<HourlyCount>> hourlyCounts(protocol::EventType type, int64_t from_ms,
                                                          int64_t to_ms) = 0;
  virtual StatusOr<std::vector<Incident>> incidents(std::optional<std::string> device_id) = 0;
  virtual StatusOr<uint64_t> eventCount() = 0;
};

using EventStorePtr = std::unique_ptr<EventStore>;

// The embedded store: one SQLCipher file at `path` (created 0600 when missing), encrypted with
// `key`.
StatusOr<EventStorePtr> openSqlCipherStore(const std::string& path, const crypto::SecretKey& key);

}  // namespace vigie::collector
