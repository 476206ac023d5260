// The embedded event store: one SQLCipher file, WAL, one transaction per batch.
#include <filesystem>
#include <mutex>

#include "vigie/collector/event_store.h"
#include "vigie/platform/atomic_file.h"
#include "vigie/protocol/json_codec.h"
#include "vigie/sqlcipher/sqlite.h"

namespace vigie::collector {
namespace {

using protocol::Event;
using protocol::Mac;

// Indexed for the audit questions: "who accessed record R" (record_id, time), "what did user U
// do between t1 and t2" (user, time) and "exports over a period" (type, time). An event's brand
// (tenant) is the crm.view's own, else its device's assignment at ingest. (device, seq) is unique:
// exactly once. (A table clustered on (device, seq), WITHOUT ROWID, measured ~7% slower to ingest:
// rows are large.)
constexpr char kSchema[] =
    "CREATE TABLE IF NOT EXISTS devices("
    " ref INTEGER PRIMARY KEY, device_id TEXT NOT NULL UNIQUE, hostname TEXT NOT NULL,"
    " os TEXT NOT NULL, chain_key BLOB NOT NULL, certificate_fingerprint TEXT NOT NULL,"
    " enrolled_ms INTEGER NOT NULL, revoked INTEGER NOT NULL DEFAULT 0,"
    " last_seq INTEGER NOT NULL DEFAULT 0, last_mac BLOB NOT NULL DEFAULT x'',"
    " brand TEXT NOT NULL DEFAULT '');"
    "CREATE TABLE IF NOT EXISTS events("
    " device_ref INTEGER NOT NULL, seq INTEGER NOT NULL, time_ms INTEGER NOT NULL,"
    " user TEXT NOT NULL, type TEXT NOT NULL, record_id TEXT, integrity INTEGER NOT NULL,"
    " received_ms INTEGER NOT NULL, body TEXT NOT NULL, brand TEXT NOT NULL DEFAULT '');"
    "CREATE UNIQUE INDEX IF NOT EXISTS events_by_device_seq ON events(device_ref, seq);"
    "CREATE INDEX IF NOT EXISTS events_by_record ON events(record_id, time_ms)"
    " WHERE record_id IS NOT NULL;"
    "CREATE INDEX IF NOT EXISTS events_by_user ON events(user, time_ms);"
    "CREATE INDEX IF NOT EXISTS events_by_type ON events(type, time_ms);"
    "CREATE TABLE IF NOT EXISTS incidents("
    " id INTEGER PRIMARY KEY, device_id TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL,"
    " detail TEXT NOT NULL, detected_ms INTEGER NOT NULL, explained INTEGER NOT NULL DEFAULT 0,"
    " first_missing INTEGER NOT NULL DEFAULT 0, last_missing INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS incidents_by_device ON incidents(device_id, seq);";

using sqlcipher::bindText;
using sqlcipher::columnText;

std::optional<std::string_view> recordIdOf(const Event& event) {
  if (const auto* view = std::get_if<protocol::CrmView>(&event.data)) return view->record_id;
  return std::nullopt;
}

Mac macFromBlob(std::string_view blob) {
  Mac mac{};
  if (blob.size() == mac.size()) std::copy(blob.begin(), blob.end(), mac.begin());
  return mac;
}

std::string_view blobOf(const Mac& mac) {
  return {reinterpret_cast<const char*>(mac.data()), mac.size()};
}

class SqlCipherStore final : public EventStore {
 public:
  explicit SqlCipherStore(sqlcipher::Db db) : db_(std::move(db)) {}

  Status prepare() {
    VIGIE_RETURN_IF_ERROR(sqlcipher::exec(db_.get(), "PRAGMA journal_mode = WAL;"));
    // Checkpoint every ~32 MB of WAL rather than every 4 MB: fewer database fsyncs under ingest.
    VIGIE_RETURN_IF_ERROR(sqlcipher::exec(db_.get(), "PRAGMA wal_autocheckpoint = 8192;"));
    // 64 MiB of decrypted pages: index inserts land all over the user and record indexes, and a
    // page read back from disk must be decrypted and authenticated again.
    VIGIE_RETURN_IF_ERROR(sqlcipher::exec(db_.get(), "PRAGMA cache_size = -65536;"));
    VIGIE_RETURN_IF_ERROR(sqlcipher::exec(db_.get(), kSchema));
    VIGIE_RETURN_IF_ERROR(addBrandColumns());
    // Another process (the admin command) may hold the write lock for a moment.
    sqlite3_busy_timeout(db_.get(), 5000);
    auto insert = sqlcipher::prepare(
        db_.get(),
        "INSERT INTO events(device_ref, seq, time_ms, user, type, record_id, integrity,"
        " received_ms, body, brand) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!insert.isOk()) return insert.status();
    insert_event_ = std::move(insert).value();
    return Status::ok();
  }

  Status putDevice(const DeviceRecord& device) override {
    std::lock_guard lock(mutex_);
    // Update in place (re-enrollment keeps the chain head), else insert.
    auto update = sqlcipher::prepare(
        db_.get(),
        "UPDATE devices SET hostname = ?2, os = ?3, chain_key = ?4, certificate_fingerprint = ?5,"
        " enrolled_ms = ?6, revoked = ?7 WHERE device_id = ?1");
    if (!update.isOk()) return update.status();
    bindDevice(update->get(), device);
    VIGIE_RETURN_IF_ERROR(sqlcipher::stepDone(update->get(), db_.get(), "store: save device"));
    if (sqlite3_changes(db_.get()) > 0) return Status::ok();
    auto insert = sqlcipher::prepare(
        db_.get(),
        "INSERT INTO devices(device_id, hostname, os, chain_key, certificate_fingerprint,"
        " enrolled_ms, revoked) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!insert.isOk()) return insert.status();
    bindDevice(insert->get(), device);
    return sqlcipher::stepDone(insert->get(), db_.get(), "store: save device");
  }

  StatusOr<std::optional<DeviceRecord>> findDevice(std::string_view device_id) override {
    std::lock_guard lock(mutex_);
    std::vector<DeviceRecord> found;
    VIGIE_RETURN_IF_ERROR(selectDevices(device_id, found));
    if (found.empty()) return std::optional<DeviceRecord>();
    return std::optional<DeviceRecord>(std::move(found.front()));
  }

  StatusOr<std::vector<DeviceRecord>> listDevices() override {
    std::lock_guard lock(mutex_);
    std::vector<DeviceRecord> found;
    VIGIE_RETURN_IF_ERROR(selectDevices(std::nullopt, found));
    return found;
  }

  Status setRevoked(std::string_view device_id, bool revoked) override {
    std::lock_guard lock(mutex_);
    auto stmt = sqlcipher::prepare(db_.get(), "UPDATE devices SET revoked = ? WHERE device_id = ?");
    if (!stmt.isOk()) return stmt.status();
    sqlcipher::bindInt(stmt->get(), 1, revoked ? 1 : 0);
    bindText(stmt->get(), 2, device_id);
    VIGIE_RETURN_IF_ERROR(sqlcipher::stepDone(stmt->get(), db_.get(), "store: revoke device"));
    if (sqlite3_changes(db_.get()) == 0) {
      return Status::notFound("no enrolled device " + std::string(device_id));
    }
    return Status::ok();
  }

  StatusOr<ChainHead> chainHead(std::string_view device_id) override {
    std::lock_guard lock(mutex_);
    return chainHeadLocked(device_id);
  }

  StatusOr<std::optional<Mac>> storedMac(std::string_view device_id, uint64_t seq) override {
    std::lock_guard lock(mutex_);
    return storedMacLocked(device_id, seq);
  }

  // One writer: the store's mutex and SQLite's write lock (BEGIN IMMEDIATE) hold every chain.
  Status writeVerified(std::string_view device_id, const BatchVerifier& verify) override {
    std::lock_guard lock(mutex_);
    auto device = deviceRef(device_id);
    if (!device.isOk()) return device.status();
    VIGIE_RETURN_IF_ERROR(sqlcipher::exec(db_.get(), "BEGIN IMMEDIATE;"));
    // Rolled back on every way out but a commit, an exception from `verify` included.
    struct Rollback {
      sqlite3* db;
      bool armed = true;
      ~Rollback() {
        if (armed) (void)sqlcipher::exec(db, "ROLLBACK;");
      }
    } rollback{db_.get()};
    VIGIE_RETURN_IF_ERROR(verifyAndWrite(device_id, *device, verify));
    Status committed = sqlcipher::exec(db_.get(), "COMMIT;");
    rollback.armed = !committed.isOk();
    return committed;
  }

  Status forEachEvent(const EventQuery& query,
                      const std::function<bool(const StoredEvent&)>& visit) override {
    std::lock_guard lock(mutex_);
    std::string sql =
        "SELECT e.body, e.integrity, e.received_ms, e.brand FROM events e"
        " JOIN devices d ON d.ref = e.device_ref WHERE e.time_ms >= ?1 AND e.time_ms < ?2";
    if (query.device_id) sql += " AND d.device_id = ?3";
    if (query.user) sql += " AND e.user = ?4";
    if (query.record_id) sql += " AND e.record_id = ?5";
    if (!query.types.empty()) {
      // Type names are the protocol's own constants, not input: written into the SQL so that
      // the (type, time) index serves a period without a person or a record.
      sql += " AND e.type IN (";
      for (size_t i = 0; i < query.types.size(); ++i) {
        sql += (i == 0 ? "'" : ",'") + std::string(protocol::typeName(query.types[i])) + "'";
      }
      sql += ")";
    }
    sql += " ORDER BY e.time_ms, d.device_id, e.seq";
    auto stmt = sqlcipher::prepare(db_.get(), sql);
    if (!stmt.isOk()) return stmt.status();
    sqlite3_stmt* s = stmt->get();
    sqlcipher::bindInt(s, 1, query.from_ms);
    sqlcipher::bindInt(s, 2, query.to_ms);
    if (query.device_id) bindText(s, 3, *query.device_id);
    if (query.user) bindText(s, 4, *query.user);
    if (query.record_id) bindText(s, 5, *query.record_id);
    size_t emitted = 0;
    while (emitted < query.limit) {
      const int rc = sqlite3_step(s);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return sqlcipher::toStatus(rc, db_.get(), "store: read events");
      auto event = protocol::eventFromJson(sqlcipher::columnBlob(s, 0));
      if (!event.isOk()) return event.status().withContext("store: stored event unreadable");
      StoredEvent stored{std::move(event).value(),
                         static_cast<Integrity>(sqlcipher::columnInt(s, 1)),
                         sqlcipher::columnInt(s, 2), columnText(s, 3)};
      ++emitted;
      if (!visit(stored)) break;
    }
    return Status::ok();
  }

  StatusOr<std::vector<HourlyCount>> hourlyCounts(protocol::EventType type, int64_t from_ms,
                                                  int64_t to_ms) override {
    std::lock_guard lock(mutex_);
    std::vector<HourlyCount> counts;
    Status read =
        sqlcipher::run(db_.get(),
                       "SELECT user, time_ms / 3600000 AS hour, count(*) FROM events"
                       " WHERE type = ?1 AND time_ms >= ?2 AND time_ms < ?3 GROUP BY user, hour",
                       {protocol::typeName(type), from_ms, to_ms}, [&](sqlite3_stmt* s) {
                         counts.push_back({columnText(s, 0), sqlcipher::columnInt(s, 1),
                                           static_cast<uint64_t>(sqlcipher::columnInt(s, 2))});
                       });
    if (!read.isOk()) return read;
    return counts;
  }

  StatusOr<std::vector<Incident>> incidents(std::optional<std::string> device_id) override {
    std::lock_guard lock(mutex_);
    std::string sql =
        "SELECT device_id, seq, kind, detail, detected_ms, explained, first_missing,"
        " last_missing FROM incidents";
    if (device_id) sql += " WHERE device_id = ?1";
    sql += " ORDER BY id";
    auto stmt = sqlcipher::prepare(db_.get(), sql);
    if (!stmt.isOk()) return stmt.status();
    sqlite3_stmt* s = stmt->get();
    if (device_id) bindText(s, 1, *device_id);
    std::vector<Incident> found;
    for (int rc = sqlite3_step(s); rc != SQLITE_DONE; rc = sqlite3_step(s)) {
      if (rc != SQLITE_ROW) return sqlcipher::toStatus(rc, db_.get(), "store: read incidents");
      found.push_back({columnText(s, 0), static_cast<uint64_t>(sqlcipher::columnInt(s, 1)),
                       columnText(s, 2), columnText(s, 3), sqlcipher::columnInt(s, 4),
                       sqlcipher::columnInt(s, 5) != 0,
                       static_cast<uint64_t>(sqlcipher::columnInt(s, 6)),
                       static_cast<uint64_t>(sqlcipher::columnInt(s, 7))});
    }
    return found;
  }

  StatusOr<uint64_t> eventCount() override {
    std::lock_guard lock(mutex_);
    auto stmt = sqlcipher::prepare(db_.get(), "SELECT count(*) FROM events");
    if (!stmt.isOk()) return stmt.status();
    if (sqlite3_step(stmt->get()) != SQLITE_ROW) {
      return sqlcipher::toStatus(sqlite3_errcode(db_.get()), db_.get(), "store: count");
    }
    return static_cast<uint64_t>(sqlcipher::columnInt(stmt->get(), 0));
  }

 private:
  Status selectDevices(std::optional<std::string_view> device_id,
                       std::vector<DeviceRecord>& found) {
    std::string sql =
        "SELECT device_id, hostname, os, chain_key, certificate_fingerprint, enrolled_ms, revoked,"
        " brand FROM devices";
    if (device_id) sql += " WHERE device_id = ?1";
    sql += " ORDER BY device_id";
    auto stmt = sqlcipher::prepare(db_.get(), sql);
    if (!stmt.isOk()) return stmt.status();
    sqlite3_stmt* s = stmt->get();
    if (device_id) bindText(s, 1, *device_id);
    for (int rc = sqlite3_step(s); rc != SQLITE_DONE; rc = sqlite3_step(s)) {
      if (rc != SQLITE_ROW) return sqlcipher::toStatus(rc, db_.get(), "store: read devices");
      DeviceRecord device;
      device.device_id = columnText(s, 0);
      device.hostname = columnText(s, 1);
      device.os = columnText(s, 2);
      const std::string_view key = sqlcipher::columnBlob(s, 3);
      if (key.size() != crypto::SecretKey::kSize) {
        return Status::corruption("store: device " + device.device_id + " has no valid chain key");
      }
      device.chain_key = crypto::SecretKey(std::span<const uint8_t, crypto::SecretKey::kSize>(
          reinterpret_cast<const uint8_t*>(key.data()), crypto::SecretKey::kSize));
      device.certificate_fingerprint = columnText(s, 4);
      device.enrolled_ms = sqlcipher::columnInt(s, 5);
      device.revoked = sqlcipher::columnInt(s, 6) != 0;
      device.brand = columnText(s, 7);
      found.push_back(std::move(device));
    }
    return Status::ok();
  }

  static void bindDevice(sqlite3_stmt* s, const DeviceRecord& device) {
    bindText(s, 1, device.device_id);
    bindText(s, 2, device.hostname);
    bindText(s, 3, device.os);
    const auto key = device.chain_key.bytes();
    sqlcipher::bindBlob(s, 4, {reinterpret_cast<const char*>(key.data()), key.size()});
    bindText(s, 5, device.certificate_fingerprint);
    sqlcipher::bindInt(s, 6, device.enrolled_ms);
    sqlcipher::bindInt(s, 7, device.revoked ? 1 : 0);
  }

  struct DeviceRow {
    int64_t ref = 0;
    std::string brand;
  };

  StatusOr<DeviceRow> deviceRef(std::string_view device_id) {
    auto stmt = sqlcipher::prepare(db_.get(), "SELECT ref, brand FROM devices WHERE device_id = ?");
    if (!stmt.isOk()) return stmt.status();
    bindText(stmt->get(), 1, device_id);
    const int rc = sqlite3_step(stmt->get());
    if (rc == SQLITE_DONE) return Status::notFound("no enrolled device " + std::string(device_id));
    if (rc != SQLITE_ROW) return sqlcipher::toStatus(rc, db_.get(), "store: device");
    return DeviceRow{sqlcipher::columnInt(stmt->get(), 0), columnText(stmt->get(), 1)};
  }

  StatusOr<ChainHead> chainHeadLocked(std::string_view device_id) {
    auto stmt =
        sqlcipher::prepare(db_.get(), "SELECT last_seq, last_mac FROM devices WHERE device_id = ?");
    if (!stmt.isOk()) return stmt.status();
    bindText(stmt->get(), 1, device_id);
    const int rc = sqlite3_step(stmt->get());
    if (rc == SQLITE_DONE) return Status::notFound("no enrolled device " + std::string(device_id));
    if (rc != SQLITE_ROW) return sqlcipher::toStatus(rc, db_.get(), "store: chain head");
    return ChainHead{static_cast<uint64_t>(sqlcipher::columnInt(stmt->get(), 0)),
                     macFromBlob(sqlcipher::columnBlob(stmt->get(), 1))};
  }

  StatusOr<std::optional<Mac>> storedMacLocked(std::string_view device_id, uint64_t seq) {
    auto stmt =
        sqlcipher::prepare(db_.get(),
                           "SELECT e.body FROM events e JOIN devices d ON d.ref = e.device_ref"
                           " WHERE d.device_id = ? AND e.seq = ?");
    if (!stmt.isOk()) return stmt.status();
    bindText(stmt->get(), 1, device_id);
    sqlcipher::bindInt(stmt->get(), 2, static_cast<int64_t>(seq));
    const int rc = sqlite3_step(stmt->get());
    if (rc == SQLITE_DONE) return std::optional<Mac>();
    if (rc != SQLITE_ROW) return sqlcipher::toStatus(rc, db_.get(), "store: stored event");
    auto event = protocol::eventFromJson(sqlcipher::columnBlob(stmt->get(), 0));
    if (!event.isOk()) return event.status().withContext("store: stored event unreadable");
    return std::optional<Mac>(event->mac);
  }

  // The chain as this store holds it inside the batch's transaction.
  class Chain final : public LockedChain {
   public:
    Chain(SqlCipherStore& store, std::string_view device_id, ChainHead head)
        : store_(store), device_id_(device_id), head_(head) {}
    const ChainHead& head() const override { return head_; }
    StatusOr<std::optional<Mac>> storedMac(uint64_t seq) override {
      return store_.storedMacLocked(device_id_, seq);
    }

   private:
    SqlCipherStore& store_;
    std::string_view device_id_;
    ChainHead head_;
  };

  Status verifyAndWrite(std::string_view device_id, const DeviceRow& device,
                        const BatchVerifier& verify) {
    auto head = chainHeadLocked(device_id);
    if (!head.isOk()) return head.status();
    Chain chain(*this, device_id, *head);
    auto batch = verify(chain);
    if (!batch.isOk()) return batch.status();
    if (batch->device_id != device_id) {
      return Status::invalidArgument("store: a batch of " + batch->device_id + " written as " +
                                     std::string(device_id) + "'s");
    }
    if (batch->events.empty() && batch->incidents.empty() && batch->head == *head) {
      return Status::ok();
    }
    return writeLocked(device, *batch);
  }

  Status writeLocked(const DeviceRow& device, const BatchWrite& batch) {
    const int64_t ref = device.ref;
    sqlite3_stmt* s = insert_event_.get();
    for (const EventToStore& item : batch.events) {
      const Event& event = *item.event;
      std::string_view body = item.json;
      if (body.empty()) {
        body_.clear();
        protocol::appendJson(body_, event);
        body = body_;
      }
      const std::string_view type = protocol::typeName(event.type);
      sqlcipher::reset(s);
      sqlcipher::bindInt(s, 1, ref);
      sqlcipher::bindInt(s, 2, static_cast<int64_t>(event.seq));
      sqlcipher::bindInt(s, 3, event.time_ms);
      bindText(s, 4, event.user);
      bindText(s, 5, type);
      if (auto record = recordIdOf(event)) bindText(s, 6, *record);
      sqlcipher::bindInt(s, 7, static_cast<int>(item.integrity));
      sqlcipher::bindInt(s, 8, batch.received_ms);
      bindText(s, 9, body);
      bindText(s, 10, eventBrand(event, device.brand));
      VIGIE_RETURN_IF_ERROR(sqlcipher::stepDone(s, db_.get(), "store: insert event"));
    }
    for (const Incident& incident : batch.incidents)
      VIGIE_RETURN_IF_ERROR(insertIncident(incident));
    for (const EventToStore& item : batch.events) {
      if (const auto* gap = std::get_if<protocol::AgentGap>(&item.event->data)) {
        VIGIE_RETURN_IF_ERROR(explainGaps(batch.device_id, gap->first_seq, gap->last_seq));
      }
    }
    auto head = sqlcipher::prepare(db_.get(),
                                   "UPDATE devices SET last_seq = ?, last_mac = ? WHERE ref = ?");
    if (!head.isOk()) return head.status();
    sqlcipher::bindInt(head->get(), 1, static_cast<int64_t>(batch.head.last_seq));
    sqlcipher::bindBlob(head->get(), 2, blobOf(batch.head.last_mac));
    sqlcipher::bindInt(head->get(), 3, ref);
    return sqlcipher::stepDone(head->get(), db_.get(), "store: chain head");
  }

  Status insertIncident(const Incident& incident) {
    auto stmt = sqlcipher::prepare(
        db_.get(),
        "INSERT INTO incidents(device_id, seq, kind, detail, detected_ms, explained,"
        " first_missing, last_missing) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (!stmt.isOk()) return stmt.status();
    sqlite3_stmt* s = stmt->get();
    bindText(s, 1, incident.device_id);
    sqlcipher::bindInt(s, 2, static_cast<int64_t>(incident.seq));
    bindText(s, 3, incident.kind);
    bindText(s, 4, incident.detail);
    sqlcipher::bindInt(s, 5, incident.detected_ms);
    sqlcipher::bindInt(s, 6, incident.explained ? 1 : 0);
    sqlcipher::bindInt(s, 7, static_cast<int64_t>(incident.first_missing));
    sqlcipher::bindInt(s, 8, static_cast<int64_t>(incident.last_missing));
    return sqlcipher::stepDone(s, db_.get(), "store: insert incident");
  }

  // A gap whose missing range lies inside what the device reported dropping is explained.
  Status explainGaps(std::string_view device_id, uint64_t first, uint64_t last) {
    if (first == 0) return Status::ok();
    auto stmt =
        sqlcipher::prepare(db_.get(),
                           "UPDATE incidents SET explained = 1 WHERE device_id = ? AND kind = 'gap'"
                           " AND first_missing >= ? AND last_missing <= ?");
    if (!stmt.isOk()) return stmt.status();
    bindText(stmt->get(), 1, device_id);
    sqlcipher::bindInt(stmt->get(), 2, static_cast<int64_t>(first));
    sqlcipher::bindInt(stmt->get(), 3, static_cast<int64_t>(last));
    return sqlcipher::stepDone(stmt->get(), db_.get(), "store: explain gap");
  }

  // Stores written before brands existed gain the columns (and keep '' for what they hold).
  Status addBrandColumns() {
    for (const char* table : {"devices", "events"}) {
      bool present = false;
      VIGIE_RETURN_IF_ERROR(sqlcipher::run(
          db_.get(), std::string("PRAGMA table_info(") + table + ")", {},
          [&](sqlite3_stmt* s) { present = present || columnText(s, 1) == "brand"; }));
      if (present) continue;
      VIGIE_RETURN_IF_ERROR(sqlcipher::exec(
          db_.get(),
          (std::string("ALTER TABLE ") + table + " ADD COLUMN brand TEXT NOT NULL DEFAULT ''")
              .c_str()));
    }
    return Status::ok();
  }

  std::mutex mutex_;
  sqlcipher::Db db_;
  sqlcipher::Stmt insert_event_;
  std::string body_;
};

}  // namespace

std::string_view integrityName(Integrity integrity) {
  switch (integrity) {
    case Integrity::kOk:
      return "ok";
    case Integrity::kAfterGap:
      return "after_gap";
    case Integrity::kFork:
      return "fork";
    case Integrity::kBadMac:
      return "bad_mac";
    case Integrity::kLate:
      return "late";
  }
  return "unknown";
}

StatusOr<EventStorePtr> openSqlCipherStore(const std::string& path, const crypto::SecretKey& key) {
  VIGIE_RETURN_IF_ERROR(platform::createPrivateFile(path));
  auto db = sqlcipher::openEncrypted(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, key);
  if (!db.isOk()) return db.status().withContext("store " + path);
  auto store = std::make_unique<SqlCipherStore>(std::move(db).value());
  VIGIE_RETURN_IF_ERROR(store->prepare());
  return EventStorePtr(std::move(store));
}

}  // namespace vigie::collector
