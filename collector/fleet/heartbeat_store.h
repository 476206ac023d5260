#pragma once

// The latest heartbeat of each device (docs/fleet.md), and when the collector first and last
// heard from it. Kept in the audit tables of the store file; a newer heartbeat replaces the
// older one, so the store holds one row per device that ever sent one.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_db.h"
#include "vigie/protocol/heartbeat.h"

namespace vigie::collector {

struct HeartbeatRecord {
  std::string device_id;
  int64_t first_seen_ms = 0;  // the first heartbeat the collector took
  int64_t last_seen_ms = 0;   // the latest, on the collector's clock
  protocol::Heartbeat heartbeat;
};

class HeartbeatStore {
 public:
  explicit HeartbeatStore(AuditDb& db) : db_(db) {}

  // Keeps `heartbeat` as the device's latest, received at `received_ms`.
  Status record(std::string_view device_id, const protocol::Heartbeat& heartbeat,
                int64_t received_ms);
  StatusOr<std::vector<HeartbeatRecord>> all();
  StatusOr<std::optional<HeartbeatRecord>> find(std::string_view device_id);

 private:
  AuditDb& db_;
};

}  // namespace vigie::collector
