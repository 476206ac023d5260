#include "vigie/agent/event_queue.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>

#include "sequence_reservation.h"
#include "vigie/crypto/hmac_chain.h"
#include "vigie/crypto/uuid_generator.h"
#include "vigie/platform/atomic_file.h"
#include "vigie/protocol/json_codec.h"
#include "vigie/protocol/utf8.h"
#include "vigie/protocol/validate.h"
#include "vigie/sqlcipher/sqlite.h"

namespace vigie::agent {
namespace {

using protocol::Event;
using protocol::EventType;
using protocol::Mac;

constexpr int64_t kStoreVersion = 1;
// Keys of the meta table.
enum MetaKey : int64_t { kMetaVersion = 1, kMetaNextSeq, kMetaLastMac, kMetaCount, kMetaBytes };
// Room kept free when the queue has to drop: drop this fraction more than strictly needed, so a
// full queue pays for a drop scan once per many appends rather than on every append.
constexpr uint64_t kDropSlackDivisor = 100;
constexpr size_t kDropChunk = 512;
constexpr uint64_t kGapEventAllowance = 1024;

// The counts an agent.gap reports, by type.
using TypeCounts = std::map<EventType, uint64_t>;

struct Dropped {
  TypeCounts counts;
  uint64_t first_seq = 0;
  uint64_t last_seq = 0;
  uint64_t events = 0;
  uint64_t bytes = 0;

  void add(uint64_t seq, EventType type, uint64_t size) {
    ++counts[type];
    first_seq = first_seq == 0 ? seq : std::min(first_seq, seq);
    last_seq = std::max(last_seq, seq);
    ++events;
    bytes += size;
  }
};

std::optional<EventType> typeFromColumn(int64_t value) {
  if (value < 0 || static_cast<size_t>(value) >= protocol::kEventTypeCount) return std::nullopt;
  return static_cast<EventType>(value);
}

class SqlCipherQueue final : public EventQueue {
 public:
  SqlCipherQueue(QueueOptions options, bool read_only)
      : options_(std::move(options)),
        read_only_(read_only),
        clock_(options_.clock != nullptr ? options_.clock : &platform::systemClock()),
        signer_(options_.chain_key),
        reservation_(options_.path + ".seq") {}

  ~SqlCipherQueue() override { closeDatabase(); }

  // Opens the file, moving an unreadable one aside and starting fresh.
  Status start() {
    reservation_.load();
    const bool existed = std::filesystem::exists(options_.path);
    Status status = openDatabase();
    std::optional<Event> incident;
    if (status.code() == Status::Code::kCorruption) {
      auto moved = moveAside();
      if (!moved.isOk()) return moved.status();
      VIGIE_RETURN_IF_ERROR(openDatabase());
      incident =
          makeIntegrity(protocol::IntegrityIncident::kQueueUnreadable, status.message(), *moved);
    } else if (!status.isOk()) {
      return status;
    } else if (!existed && reservation_.ceiling() > 0) {
      incident = makeIntegrity(protocol::IntegrityIncident::kChainRestarted,
                               "queue file was missing; sequence resumes above " +
                                   std::to_string(reservation_.ceiling()),
                               std::nullopt);
    }
    if (incident) {
      next_seq_ = std::max(next_seq_, reservation_.ceiling() + 1);
      VIGIE_RETURN_IF_ERROR(appendLocked(std::span(&*incident, 1)));
    }
    return reservation_.cover(next_seq_);
  }

  Status startReadOnly() { return openDatabase(); }

  Status append(std::span<Event> events) override {
    std::lock_guard lock(mu_);
    if (read_only_) return Status::failedPrecondition("queue opened read-only");
    for (size_t i = 0; i < events.size(); ++i) {
      events[i].device = options_.device_id;
      Status valid = protocol::validate(events[i]);
      if (!valid.isOk()) return valid.withContext("event " + std::to_string(i));
    }
    Status status = appendLocked(events);
    if (!status.isOk() && status.code() != Status::Code::kInvalidArgument) {
      // Valid events that could not be written: counted, and reported by the next agent.gap.
      if (status.code() != Status::Code::kResourceExhausted) unstored_write_failed_ = true;
      for (const auto& event : events) ++unstored_[event.type];
      stats_.unstored_total += events.size();
      if (status.code() == Status::Code::kCorruption) recoverUnreadable(status);
    }
    return status;
  }

  StatusOr<Lease> lease(size_t max_events, size_t max_bytes) override {
    std::lock_guard lock(mu_);
    if (read_only_) return Status::failedPrecondition("queue opened read-only");
    if (active_lease_) return Status::failedPrecondition("a lease is already outstanding");
    Lease lease;
    lease.id = next_lease_id_++;
    sqlcipher::reset(lease_select_.get());
    sqlcipher::bindInt(lease_select_.get(), 1, static_cast<int64_t>(lease_cursor_));
    sqlcipher::bindInt(lease_select_.get(), 2,
                       static_cast<int64_t>(std::max<size_t>(max_events, 1)));
    uint64_t bytes = 0;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(lease_select_.get())) == SQLITE_ROW) {
      const std::string_view body = sqlcipher::columnBlob(lease_select_.get(), 1);
      if (!lease.events.empty() && bytes + body.size() > max_bytes) break;
      bytes += body.size();
      lease.events.push_back(
          {static_cast<uint64_t>(sqlcipher::columnInt(lease_select_.get(), 0)), std::string(body)});
    }
    sqlcipher::reset(lease_select_.get());
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
      Status status = sqlcipher::toStatus(rc, db_.get(), "lease");
      if (status.code() == Status::Code::kCorruption) recoverUnreadable(status);
      return status;
    }
    if (!lease.events.empty()) {
      active_lease_ = ActiveLease{lease.id, lease.events.front().seq, lease.events.back().seq,
                                  lease.events.size(), bytes};
      lease_cursor_ = active_lease_->last;
    }
    return lease;
  }

  Status ack(uint64_t lease_id) override {
    std::lock_guard lock(mu_);
    VIGIE_RETURN_IF_ERROR(checkLease(lease_id));
    const ActiveLease lease = *active_lease_;
    VIGIE_RETURN_IF_ERROR(commitChanges([&]() -> Status {
      sqlcipher::reset(delete_range_.get());
      sqlcipher::bindInt(delete_range_.get(), 1, static_cast<int64_t>(lease.first));
      sqlcipher::bindInt(delete_range_.get(), 2, static_cast<int64_t>(lease.last));
      VIGIE_RETURN_IF_ERROR(sqlcipher::stepDone(delete_range_.get(), db_.get(), "ack"));
      count_ -= std::min<uint64_t>(count_, lease.count);
      bytes_ -= std::min<uint64_t>(bytes_, lease.bytes);
      return Status::ok();
    }));
    active_lease_.reset();
    return Status::ok();
  }

  Status release(uint64_t lease_id) override {
    std::lock_guard lock(mu_);
    VIGIE_RETURN_IF_ERROR(checkLease(lease_id));
    lease_cursor_ = active_lease_->first - 1;
    active_lease_.reset();
    return Status::ok();
  }

  void setMaxAge(int64_t max_age_ms) override {
    std::lock_guard lock(mu_);
    max_age_ms_ = max_age_ms;
  }

  Status purgeExpired() override {
    std::lock_guard lock(mu_);
    if (read_only_) return Status::failedPrecondition("queue opened read-only");
    const int64_t cutoff = clock_->nowUnixMillis() - max_age_ms_;
    Dropped dropped;
    auto select =
        sqlcipher::prepare(db_.get(),
                           "SELECT seq, type, length(body) FROM events WHERE time_ms < ?1 "
                           "ORDER BY seq");
    if (!select.isOk()) return select.status();
    sqlcipher::bindInt(select->get(), 1, cutoff);
    std::vector<std::pair<uint64_t, EventType>> expired;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(select->get())) == SQLITE_ROW) {
      const auto seq = static_cast<uint64_t>(sqlcipher::columnInt(select->get(), 0));
      const auto type = typeFromColumn(sqlcipher::columnInt(select->get(), 1));
      if (isLeased(seq) || !type) continue;
      dropped.add(seq, *type, static_cast<uint64_t>(sqlcipher::columnInt(select->get(), 2)));
    }
    if (rc != SQLITE_DONE) return sqlcipher::toStatus(rc, db_.get(), "purge");
    if (dropped.events == 0) return Status::ok();
    VIGIE_RETURN_IF_ERROR(commitChanges([&]() -> Status {
      auto remove = sqlcipher::prepare(db_.get(),
                                       "DELETE FROM events WHERE time_ms < ?1 AND seq "
                                       "NOT BETWEEN ?2 AND ?3");
      if (!remove.isOk()) return remove.status();
      sqlcipher::bindInt(remove->get(), 1, cutoff);
      sqlcipher::bindInt(remove->get(), 2, static_cast<int64_t>(leasedFirst()));
      sqlcipher::bindInt(remove->get(), 3, static_cast<int64_t>(leasedLast()));
      VIGIE_RETURN_IF_ERROR(sqlcipher::stepDone(remove->get(), db_.get(), "purge"));
      count_ -= std::min(count_, dropped.events);
      bytes_ -= std::min(bytes_, dropped.bytes);
      return insertGap(protocol::GapReason::kAgeLimit, dropped);
    }));
    stats_.dropped_total += dropped.events;
    return Status::ok();
  }

  Status forEach(const std::function<bool(const LeasedEvent&)>& visit) override {
    std::lock_guard lock(mu_);
    auto select = sqlcipher::prepare(db_.get(), "SELECT seq, body FROM events ORDER BY seq");
    if (!select.isOk()) return select.status();
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(select->get())) == SQLITE_ROW) {
      LeasedEvent event{static_cast<uint64_t>(sqlcipher::columnInt(select->get(), 0)),
                        std::string(sqlcipher::columnBlob(select->get(), 1))};
      if (!visit(event)) return Status::ok();
    }
    return sqlcipher::toStatus(rc, db_.get(), "read queue");
  }

  QueueStats stats() override {
    std::lock_guard lock(mu_);
    QueueStats stats = stats_;
    stats.events = count_;
    stats.bytes = bytes_;
    stats.next_seq = next_seq_;
    return stats;
  }

  StatusOr<std::optional<int64_t>> oldestEventTime() override {
    std::lock_guard lock(mu_);
    // Sequence order is recording order: the first row is the oldest event.
    auto select = sqlcipher::prepare(db_.get(), "SELECT time_ms FROM events ORDER BY seq LIMIT 1");
    if (!select.isOk()) return select.status();
    const int rc = sqlite3_step(select->get());
    if (rc == SQLITE_ROW) return std::optional<int64_t>(sqlcipher::columnInt(select->get(), 0));
    if (rc != SQLITE_DONE) return sqlcipher::toStatus(rc, db_.get(), "read queue");
    return std::optional<int64_t>();
  }

 private:
  struct ActiveLease {
    uint64_t id;
    uint64_t first;
    uint64_t last;
    uint64_t count;
    uint64_t bytes;
  };

  // What a failed transaction must put back.
  struct State {
    uint64_t next_seq;
    Mac last_mac;
    uint64_t count;
    uint64_t bytes;
  };
  State saveState() const { return {next_seq_, last_mac_, count_, bytes_}; }
  void restoreState(const State& state) {
    next_seq_ = state.next_seq;
    last_mac_ = state.last_mac;
    count_ = state.count;
    bytes_ = state.bytes;
  }

  // A new queue is built complete under a temporary name and renamed into place, so a crash
  // while creating it never leaves a half-made file (whose rollback journal a reader could not
  // replay). Once created, the file is in WAL mode for good.
  Status createDatabase() {
    const std::string temp = options_.path + ".new";
    std::error_code ignored;
    for (const char* suffix : {"", "-journal", "-wal", "-shm"}) {
      std::filesystem::remove(temp + suffix, ignored);
    }
    VIGIE_RETURN_IF_ERROR(platform::createPrivateFile(temp));
    VIGIE_RETURN_IF_ERROR(connect(temp, SQLITE_OPEN_READWRITE));
    VIGIE_RETURN_IF_ERROR(sqlcipher::exec(db_.get(), "PRAGMA journal_mode = WAL;"));
    VIGIE_RETURN_IF_ERROR(sqlcipher::exec(db_.get(),
                                          "CREATE TABLE meta("
                                          " key INTEGER PRIMARY KEY, value BLOB NOT NULL);"
                                          "CREATE TABLE events("
                                          " seq INTEGER PRIMARY KEY, type INTEGER NOT NULL,"
                                          " priority INTEGER NOT NULL, time_ms INTEGER NOT NULL,"
                                          " body BLOB NOT NULL);"
                                          "INSERT INTO meta VALUES (1, 1);"));
    db_.reset();  // checkpoints and removes the WAL: the file is complete on its own
    return platform::renameDurably(temp, options_.path);
  }

  // Opens `path` with the key and the settings every connection needs.
  Status connect(const std::string& path, int flags) {
    auto db = sqlcipher::openEncrypted(path, flags, options_.database_key);
    if (!db.isOk()) return db.status();
    db_ = std::move(db).value();
    // Acknowledged events are deleted by the thousand: SQLCipher's default secure_delete would
    // rewrite every freed page with zeros, which costs a third of the drain's CPU. Freed pages
    // stay encrypted with the queue key and are reused by the next appends (docs/queue.md).
    return sqlcipher::exec(db_.get(), "PRAGMA secure_delete = OFF;");
  }

  Status openDatabase() {
    closeDatabase();
    if (!read_only_ && !std::filesystem::exists(options_.path)) {
      VIGIE_RETURN_IF_ERROR(createDatabase());
    }
    VIGIE_RETURN_IF_ERROR(
        connect(options_.path, read_only_ ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE));
    if (!read_only_) {
      // Narrow the mode of a file restored or copied with wider permissions.
      VIGIE_RETURN_IF_ERROR(platform::createPrivateFile(options_.path));
    }
    VIGIE_RETURN_IF_ERROR(loadMeta());
    if (!read_only_) VIGIE_RETURN_IF_ERROR(prepareStatements());
    return Status::ok();
  }

  void closeDatabase() {
    insert_.reset();
    save_meta_.reset();
    lease_select_.reset();
    delete_range_.reset();
    drop_select_.reset();
    delete_one_.reset();
    db_.reset();
  }

  Status loadMeta() {
    auto select = sqlcipher::prepare(db_.get(), "SELECT key, value FROM meta");
    if (!select.isOk()) return select.status();
    next_seq_ = 1;
    last_mac_ = {};
    count_ = bytes_ = 0;
    bool versioned = false;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(select->get())) == SQLITE_ROW) {
      const int64_t key = sqlcipher::columnInt(select->get(), 0);
      const auto value = static_cast<uint64_t>(sqlcipher::columnInt(select->get(), 1));
      switch (key) {
        case kMetaVersion:
          if (value != kStoreVersion) {
            return Status::failedPrecondition("queue store version " + std::to_string(value) +
                                              " is not supported");
          }
          versioned = true;
          break;
        case kMetaNextSeq:
          next_seq_ = value;
          break;
        case kMetaLastMac: {
          const std::string_view mac = sqlcipher::columnBlob(select->get(), 1);
          if (mac.size() != last_mac_.size()) return Status::corruption("queue meta: bad MAC");
          std::copy(mac.begin(), mac.end(), last_mac_.begin());
          break;
        }
        case kMetaCount:
          count_ = value;
          break;
        case kMetaBytes:
          bytes_ = value;
          break;
        default:
          break;
      }
    }
    VIGIE_RETURN_IF_ERROR(sqlcipher::toStatus(rc, db_.get(), "read queue meta"));
    if (!versioned) return Status::corruption("queue meta has no store version");
    return Status::ok();
  }

  Status prepareStatements() {
    struct Entry {
      sqlcipher::Stmt* stmt;
      const char* sql;
    };
    const Entry entries[] = {
        {&insert_, "INSERT INTO events(seq, type, priority, time_ms, body) VALUES (?,?,?,?,?)"},
        {&save_meta_,
         "INSERT OR REPLACE INTO meta(key, value) VALUES (2, ?1), (3, ?2), (4, ?3),"
         " (5, ?4)"},
        {&lease_select_, "SELECT seq, body FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2"},
        {&delete_range_, "DELETE FROM events WHERE seq BETWEEN ?1 AND ?2"},
        {&drop_select_,
         "SELECT seq, type, length(body) FROM events WHERE priority = ?1 AND "
         "seq > ?2 AND seq NOT BETWEEN ?3 AND ?4 ORDER BY seq LIMIT ?5"},
        {&delete_one_, "DELETE FROM events WHERE seq = ?1"},
    };
    for (const auto& entry : entries) {
      auto stmt = sqlcipher::prepare(db_.get(), entry.sql);
      if (!stmt.isOk()) return stmt.status();
      *entry.stmt = std::move(stmt).value();
    }
    return Status::ok();
  }

  // Runs `body` between BEGIN IMMEDIATE and COMMIT; rolls back if anything fails.
  template <typename F>
  Status inTransaction(F&& body) {
    VIGIE_RETURN_IF_ERROR(sqlcipher::exec(db_.get(), "BEGIN IMMEDIATE;"));
    Status status = body();
    if (status.isOk()) status = sqlcipher::exec(db_.get(), "COMMIT;");
    if (!status.isOk() && !sqlite3_get_autocommit(db_.get())) {
      (void)sqlcipher::exec(db_.get(), "ROLLBACK;");
    }
    return status;
  }

  // Seals `event` with the next sequence number and inserts it. REQUIRES: in a transaction.
  Status insert(Event& event) {
    event.device = options_.device_id;
    event.seq = next_seq_;
    signer_.seal(event, last_mac_, scratch_);
    json_.clear();
    protocol::appendJson(json_, event);
    if (json_.size() > protocol::kMaxEventJsonBytes) {
      // Fields within their limits can still escape to more than a reader accepts.
      return Status::invalidArgument("event " + std::to_string(event.seq) + " encodes to " +
                                     std::to_string(json_.size()) + " bytes, over " +
                                     std::to_string(protocol::kMaxEventJsonBytes));
    }
    sqlite3_stmt* stmt = insert_.get();
    sqlcipher::reset(stmt);
    sqlcipher::bindInt(stmt, 1, static_cast<int64_t>(event.seq));
    sqlcipher::bindInt(stmt, 2, static_cast<int64_t>(event.type));
    sqlcipher::bindInt(stmt, 3, static_cast<int64_t>(protocol::priorityOf(event.type)));
    sqlcipher::bindInt(stmt, 4, event.time_ms);
    sqlcipher::bindBlob(stmt, 5, json_);
    VIGIE_RETURN_IF_ERROR(sqlcipher::stepDone(stmt, db_.get(), "store event"));
    ++next_seq_;
    last_mac_ = event.mac;
    ++count_;
    bytes_ += json_.size();
    return Status::ok();
  }

  Status saveMeta() {
    sqlite3_stmt* stmt = save_meta_.get();
    sqlcipher::reset(stmt);
    sqlcipher::bindInt(stmt, 1, static_cast<int64_t>(next_seq_));
    sqlite3_bind_blob(stmt, 2, last_mac_.data(), static_cast<int>(last_mac_.size()),
                      SQLITE_TRANSIENT);
    sqlcipher::bindInt(stmt, 3, static_cast<int64_t>(count_));
    sqlcipher::bindInt(stmt, 4, static_cast<int64_t>(bytes_));
    return sqlcipher::stepDone(stmt, db_.get(), "save queue meta");
  }

  // Runs `changes` in one transaction that also saves the sequence reservation and the meta
  // row; if anything fails, the file and the in-memory state are as before.
  template <typename F>
  Status commitChanges(F&& changes) {
    const State snapshot = saveState();
    Status status = inTransaction([&]() -> Status {
      VIGIE_RETURN_IF_ERROR(changes());
      VIGIE_RETURN_IF_ERROR(reservation_.cover(next_seq_));
      return saveMeta();
    });
    if (!status.isOk()) restoreState(snapshot);
    return status;
  }

  Status insertGap(protocol::GapReason reason, const Dropped& dropped) {
    Event gap = makeGap(reason, dropped.counts, dropped.first_seq, dropped.last_seq);
    return insert(gap);
  }

  Status appendLocked(std::span<Event> events) {
    Dropped unstored;  // lost to earlier failed writes: no sequence numbers, counts only
    unstored.counts = unstored_;
    Dropped dropped;
    VIGIE_RETURN_IF_ERROR(commitChanges([&]() -> Status {
      if (!unstored.counts.empty()) {
        VIGIE_RETURN_IF_ERROR(insertGap(unstored_write_failed_ ? protocol::GapReason::kWriteFailed
                                                               : protocol::GapReason::kDiskFull,
                                        unstored));
      }
      for (auto& event : events) VIGIE_RETURN_IF_ERROR(insert(event));
      if (overLimits()) {
        VIGIE_RETURN_IF_ERROR(dropOldest(dropped));
        VIGIE_RETURN_IF_ERROR(insertGap(protocol::GapReason::kQueueFull, dropped));
      }
      return Status::ok();
    }));
    unstored_.clear();
    unstored_write_failed_ = false;
    stats_.dropped_total += dropped.events;
    ++stats_.commits;
    return Status::ok();
  }

  bool overLimits() const {
    return count_ > options_.limits.max_events || bytes_ > options_.limits.max_bytes;
  }

  // Deletes the oldest events of the lowest priority until the queue is back under its limits
  // with some slack. Leased events are kept: they are on their way to the collector.
  Status dropOldest(Dropped& dropped) {
    const QueueLimits& limits = options_.limits;
    const uint64_t target_events = limits.max_events - limits.max_events / kDropSlackDivisor - 1;
    const uint64_t target_bytes =
        limits.max_bytes -
        std::min(limits.max_bytes, limits.max_bytes / kDropSlackDivisor + kGapEventAllowance);
    auto satisfied = [&] { return count_ <= target_events && bytes_ <= target_bytes; };
    for (int priority = 0; priority <= 2 && !satisfied(); ++priority) {
      uint64_t cursor = 0;
      while (!satisfied()) {
        std::vector<std::array<int64_t, 3>> rows;
        sqlite3_stmt* select = drop_select_.get();
        sqlcipher::reset(select);
        sqlcipher::bindInt(select, 1, priority);
        sqlcipher::bindInt(select, 2, static_cast<int64_t>(cursor));
        sqlcipher::bindInt(select, 3, static_cast<int64_t>(leasedFirst()));
        sqlcipher::bindInt(select, 4, static_cast<int64_t>(leasedLast()));
        sqlcipher::bindInt(select, 5, static_cast<int64_t>(kDropChunk));
        int rc = SQLITE_OK;
        while ((rc = sqlite3_step(select)) == SQLITE_ROW) {
          rows.push_back({sqlcipher::columnInt(select, 0), sqlcipher::columnInt(select, 1),
                          sqlcipher::columnInt(select, 2)});
        }
        sqlcipher::reset(select);
        VIGIE_RETURN_IF_ERROR(sqlcipher::toStatus(rc, db_.get(), "select events to drop"));
        if (rows.empty()) break;
        for (const auto& [seq, type, size] : rows) {
          if (satisfied()) break;
          sqlcipher::reset(delete_one_.get());
          sqlcipher::bindInt(delete_one_.get(), 1, seq);
          VIGIE_RETURN_IF_ERROR(sqlcipher::stepDone(delete_one_.get(), db_.get(), "drop event"));
          dropped.add(static_cast<uint64_t>(seq),
                      typeFromColumn(type).value_or(EventType::kAppFocus),
                      static_cast<uint64_t>(size));
          --count_;
          bytes_ -= std::min(bytes_, static_cast<uint64_t>(size));
          cursor = static_cast<uint64_t>(seq);
        }
      }
    }
    if (count_ > limits.max_events || bytes_ > limits.max_bytes) {
      return Status::resourceExhausted("queue full and nothing left that may be dropped");
    }
    return Status::ok();
  }

  Event makeAgentEvent(EventType type, protocol::Payload payload) {
    Event event;
    event.time_ms = clock_->nowUnixMillis();
    event.id = ids_.next(event.time_ms);
    event.type = type;
    event.data = std::move(payload);
    return event;
  }

  Event makeGap(protocol::GapReason reason, const TypeCounts& counts, uint64_t first,
                uint64_t last) {
    protocol::AgentGap gap;
    gap.reason = reason;
    for (const auto& [type, count] : counts) gap.dropped.push_back({type, count});
    gap.first_seq = first;
    gap.last_seq = last;
    return makeAgentEvent(EventType::kAgentGap, std::move(gap));
  }

  Event makeIntegrity(protocol::IntegrityIncident incident, std::string detail,
                      std::optional<std::string> moved_to) {
    detail = protocol::truncateUtf8(std::move(detail), protocol::kMaxLongText);
    return makeAgentEvent(
        EventType::kAgentIntegrity,
        protocol::AgentIntegrity{incident, std::move(detail), std::move(moved_to)});
  }

  // Renames the database and its WAL and shared-memory files to `<path>.unreadable-<ms>`.
  StatusOr<std::string> moveAside() {
    closeDatabase();
    const std::string target =
        options_.path + ".unreadable-" + std::to_string(clock_->nowUnixMillis());
    std::error_code error;
    for (const char* suffix : {"", "-wal", "-shm"}) {
      const std::string from = options_.path + suffix;
      if (!std::filesystem::exists(from, error)) continue;
      std::filesystem::rename(from, target + suffix, error);
      if (error) {
        return Status::ioError("cannot move unreadable queue " + from +
                               " aside: " + error.message());
      }
    }
    return target;
  }

  // The file became unreadable while running: keep it for forensics and start a fresh queue.
  void recoverUnreadable(const Status& cause) {
    active_lease_.reset();
    lease_cursor_ = 0;
    auto moved = moveAside();
    if (!moved.isOk() || !openDatabase().isOk()) return;
    ++stats_.recoveries;
    next_seq_ = std::max(next_seq_, reservation_.ceiling() + 1);
    Event incident =
        makeIntegrity(protocol::IntegrityIncident::kQueueUnreadable, cause.message(), *moved);
    (void)appendLocked(std::span(&incident, 1));
  }

  Status checkLease(uint64_t lease_id) const {
    if (!active_lease_ || active_lease_->id != lease_id) {
      return Status::invalidArgument("no outstanding lease " + std::to_string(lease_id));
    }
    return Status::ok();
  }
  bool isLeased(uint64_t seq) const {
    return active_lease_ && seq >= active_lease_->first && seq <= active_lease_->last;
  }
  // An empty range [1, 0] when nothing is leased.
  uint64_t leasedFirst() const { return active_lease_ ? active_lease_->first : 1; }
  uint64_t leasedLast() const { return active_lease_ ? active_lease_->last : 0; }

  std::mutex mu_;
  const QueueOptions options_;
  int64_t max_age_ms_ = options_.limits.max_age_ms;  // GUARDED_BY(mu_)
  const bool read_only_;
  platform::Clock* const clock_;
  sqlcipher::Db db_;
  sqlcipher::Stmt insert_, save_meta_, lease_select_, delete_range_, drop_select_, delete_one_;
  crypto::ChainSigner signer_;
  crypto::UuidV7Generator ids_;
  SequenceReservation reservation_;

  uint64_t next_seq_ = 1;
  Mac last_mac_{};
  uint64_t count_ = 0;
  uint64_t bytes_ = 0;
  std::optional<ActiveLease> active_lease_;
  uint64_t lease_cursor_ = 0;  // highest seq handed out in a lease that is outstanding or acked
  uint64_t next_lease_id_ = 1;
  TypeCounts unstored_;  // events append() could not store, reported by the next agent.gap
  bool unstored_write_failed_ = false;  // some failed for another reason than a full disk
  QueueStats stats_;
  std::string scratch_;
  std::string json_;
};

}  // namespace

StatusOr<std::unique_ptr<EventQueue>> EventQueue::open(QueueOptions options) {
  if (options.path.empty()) return Status::invalidArgument("queue path is empty");
  if (options.device_id.empty()) return Status::invalidArgument("device id is empty");
  if (options.limits.max_events < 100 || options.limits.max_bytes < 64 * 1024) {
    return Status::invalidArgument("queue limits too small (at least 100 events and 64 KiB)");
  }
  auto queue = std::make_unique<SqlCipherQueue>(std::move(options), /*read_only=*/false);
  VIGIE_RETURN_IF_ERROR(queue->start());
  return std::unique_ptr<EventQueue>(std::move(queue));
}

StatusOr<std::unique_ptr<EventQueue>> EventQueue::openForReading(
    std::string path, const crypto::SecretKey& database_key) {
  QueueOptions options;
  options.path = std::move(path);
  options.database_key = database_key;
  if (!std::filesystem::exists(options.path)) return Status::notFound(options.path);
  auto queue = std::make_unique<SqlCipherQueue>(std::move(options), /*read_only=*/true);
  VIGIE_RETURN_IF_ERROR(queue->startReadOnly());
  return std::unique_ptr<EventQueue>(std::move(queue));
}

}  // namespace vigie::agent
