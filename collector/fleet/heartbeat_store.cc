#include "fleet/heartbeat_store.h"

namespace vigie::collector {
namespace {

constexpr char kSelect[] = "SELECT device_id, first_ms, last_ms, body FROM heartbeats";

// The row at `s`; a body that no longer decodes (written by another version) is an error.
StatusOr<HeartbeatRecord> rowOf(const SqlRow& s) {
  HeartbeatRecord record;
  record.device_id = s.text(0);
  record.first_seen_ms = s.integer(1);
  record.last_seen_ms = s.integer(2);
  auto heartbeat = protocol::heartbeatFromJson(s.text(3));
  if (!heartbeat.isOk()) {
    return Status::corruption("stored heartbeat of " + record.device_id + ": " +
                              heartbeat.status().message());
  }
  record.heartbeat = std::move(heartbeat).value();
  return record;
}

}  // namespace

Status HeartbeatStore::record(std::string_view device_id, const protocol::Heartbeat& heartbeat,
                              int64_t received_ms) {
  const std::string body = protocol::toJson(heartbeat);
  // The first row sets first_ms; every later one only moves last_ms and the body.
  return db_.with([&](Sql& db) -> Status {
    VIGIE_RETURN_IF_ERROR(
        db.run("INSERT OR IGNORE INTO heartbeats(device_id, first_ms, "
               "last_ms, body) VALUES (?1, ?2, ?2, ?3)",
               {device_id, received_ms, std::string_view(body)}));
    return db.run("UPDATE heartbeats SET last_ms = ?2, body = ?3 WHERE device_id = ?1",
                  {device_id, received_ms, std::string_view(body)});
  });
}

StatusOr<std::vector<HeartbeatRecord>> HeartbeatStore::all() {
  std::vector<HeartbeatRecord> records;
  Status failed;
  Status read = db_.with([&](Sql& db) {
    return db.run(std::string(kSelect) + " ORDER BY device_id", {}, [&](const SqlRow& s) {
      auto record = rowOf(s);
      if (!record.isOk()) {
        if (failed.isOk()) failed = record.status();
        return;
      }
      records.push_back(std::move(record).value());
    });
  });
  if (!read.isOk()) return read;
  if (!failed.isOk()) return failed;
  return records;
}

StatusOr<std::optional<HeartbeatRecord>> HeartbeatStore::find(std::string_view device_id) {
  std::optional<StatusOr<HeartbeatRecord>> found;
  Status read = db_.with([&](Sql& db) {
    return db.run(std::string(kSelect) + " WHERE device_id = ?1", {device_id},
                  [&](const SqlRow& s) { found = rowOf(s); });
  });
  if (!read.isOk()) return read;
  if (!found) return std::optional<HeartbeatRecord>();
  if (!found->isOk()) return found->status();
  return std::optional<HeartbeatRecord>(std::move(*found).value());
}

}  // namespace vigie::collector
