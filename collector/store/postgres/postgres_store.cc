// The event store on PostgreSQL: libpq, a pool of connections, one transaction per batch under
// the row lock of its device.
#include "vigie/collector/postgres_store.h"

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <set>
#include <utility>

#include "pg_connection.h"
#include "pg_schema.h"
#include "vigie/protocol/json_codec.h"

namespace vigie::collector {
namespace {

using pg::Connection;
using pg::Param;
using pg::Result;
using protocol::Event;
using protocol::Mac;

// Rows per INSERT: 11 parameters each, well under the protocol's 65,535.
constexpr size_t kRowsPerInsert = 500;
// Rows per FETCH when a query's result is walked.
constexpr int kRowsPerFetch = 1000;
// Partitions are named events_YYYYMM: reception times from 1970 to 9999.
constexpr int64_t kYear10000Ms = 253402300800000;

std::string text(const PGresult* result, int row, int column) {
  return {PQgetvalue(result, row, column), static_cast<size_t>(PQgetlength(result, row, column))};
}

int64_t integer(const PGresult* result, int row, int column) {
  return std::strtoll(PQgetvalue(result, row, column), nullptr, 10);
}

Mac macFrom(std::string_view bytes) {
  Mac mac{};
  if (bytes.size() == mac.size()) std::copy(bytes.begin(), bytes.end(), mac.begin());
  return mac;
}

std::string macParam(const Mac& mac) {
  return pg::byteaParam({reinterpret_cast<const char*>(mac.data()), mac.size()});
}

std::optional<std::string> recordIdOf(const Event& event) {
  if (const auto* view = std::get_if<protocol::CrmView>(&event.data)) return view->record_id;
  return std::nullopt;
}

constexpr char kDeviceColumns[] =
    "device_id, hostname, os, chain_key, certificate_fingerprint, enrolled_ms, revoked, brand";

StatusOr<DeviceRecord> deviceFrom(const PGresult* result, int row) {
  DeviceRecord device;
  device.device_id = text(result, row, 0);
  device.hostname = text(result, row, 1);
  device.os = text(result, row, 2);
  const std::string key = pg::byteaValue(result, row, 3);
  if (key.size() != crypto::SecretKey::kSize) {
    return Status::corruption("store: device " + device.device_id + " has no valid chain key");
  }
  device.chain_key = crypto::SecretKey(std::span<const uint8_t, crypto::SecretKey::kSize>(
      reinterpret_cast<const uint8_t*>(key.data()), crypto::SecretKey::kSize));
  device.certificate_fingerprint = text(result, row, 4);
  device.enrolled_ms = integer(result, row, 5);
  device.revoked = text(result, row, 6) == "t";
  device.brand = text(result, row, 7);
  return device;
}

class Store final : public PostgresStore {
 public:
  explicit Store(const PostgresOptions& options) : pool_(options.conninfo, options.connections) {}

  Status open(int64_t now_ms) {
    auto conn = pool_.acquire();
    if (!conn.isOk()) return conn.status();
    auto version = pg::migrate(**conn, now_ms);
    if (!version.isOk()) return version.status();
    // This month and the next two, so that ingest seldom has to make one.
    pg::MonthPartition month = pg::monthPartitionOf(now_ms);
    for (int ahead = 0; ahead < 3; ++ahead) {
      VIGIE_RETURN_IF_ERROR(ensureMonth(**conn, month));
      month = pg::monthPartitionOf(month.to_ms);
    }
    return Status::ok();
  }

  Status putDevice(const DeviceRecord& device) override {
    const auto key = device.chain_key.bytes();
    return execute(
               "INSERT INTO devices(device_id, hostname, os, chain_key, certificate_fingerprint,"
               " enrolled_ms, revoked) VALUES ($1, $2, $3, $4, $5, $6, $7)"
               " ON CONFLICT (device_id) DO UPDATE SET hostname = $2, os = $3, chain_key = $4,"
               " certificate_fingerprint = $5, enrolled_ms = $6, revoked = $7",
               {device.device_id, device.hostname, device.os,
                pg::byteaParam({reinterpret_cast<const char*>(key.data()), key.size()}),
                device.certificate_fingerprint, std::to_string(device.enrolled_ms),
                device.revoked ? "true" : "false"})
        .status();
  }

  StatusOr<std::optional<DeviceRecord>> findDevice(std::string_view device_id) override {
    auto found = selectDevices(device_id);
    if (!found.isOk()) return found.status();
    if (found->empty()) return std::optional<DeviceRecord>();
    return std::optional<DeviceRecord>(std::move(found->front()));
  }

  StatusOr<std::vector<DeviceRecord>> listDevices() override { return selectDevices(std::nullopt); }

  Status setRevoked(std::string_view device_id, bool revoked) override {
    auto updated = execute("UPDATE devices SET revoked = $1 WHERE device_id = $2",
                           {revoked ? "true" : "false", std::string(device_id)});
    if (!updated.isOk()) return updated.status();
    if (std::string_view(PQcmdTuples(updated->get())) == "0") {
      return Status::notFound("no enrolled device " + std::string(device_id));
    }
    return Status::ok();
  }

  StatusOr<ChainHead> chainHead(std::string_view device_id) override {
    auto conn = pool_.acquire();
    if (!conn.isOk()) return conn.status();
    auto device = deviceHeadOf(**conn, device_id, /*lock=*/false);
    if (!device.isOk()) return device.status();
    return device->head;
  }

  StatusOr<std::optional<Mac>> storedMac(std::string_view device_id, uint64_t seq) override {
    auto conn = pool_.acquire();
    if (!conn.isOk()) return conn.status();
    return storedMacOn(**conn, device_id, seq);
  }

  Status writeVerified(std::string_view device_id, const BatchVerifier& verify) override {
    return retryOnLostConnection([&](Connection& conn) -> Status {
      // A batch received in a month whose partition this collector has not seen: made, then the
      // batch verified again from the start (the lock was let go meanwhile).
      for (int attempt = 0;; ++attempt) {
        std::optional<pg::MonthPartition> missing;
        VIGIE_RETURN_IF_ERROR(writeOnce(conn, device_id, verify, missing));
        if (!missing) return Status::ok();
        if (attempt > 0) return Status::ioError("store: no partition for " + missing->name);
        VIGIE_RETURN_IF_ERROR(ensureMonth(conn, *missing));
      }
    });
  }

  Status forEachEvent(const EventQuery& query,
                      const std::function<bool(const StoredEvent&)>& visit) override {
    std::string sql =
        "DECLARE walk NO SCROLL CURSOR FOR SELECT body, integrity, received_ms, brand FROM events"
        " WHERE time_ms >= $1 AND time_ms < $2";
    std::vector<Param> params{std::to_string(query.from_ms), std::to_string(query.to_ms)};
    // `condition` holds "$" where the parameter's number goes.
    const auto add = [&](std::string_view condition, std::string value) {
      params.push_back(std::move(value));
      const size_t at = condition.find('$');
      sql += " AND ";
      sql += condition.substr(0, at + 1);
      sql += std::to_string(params.size());
      sql += condition.substr(at + 1);
    };
    if (query.device_id) add("device_id = $", *query.device_id);
    if (query.user) add("\"user\" = $", *query.user);
    if (query.record_id) add("record_id = $", *query.record_id);
    if (!query.types.empty()) {
      std::string names = "{";
      for (size_t i = 0; i < query.types.size(); ++i) {
        names += (i == 0 ? "" : ",") + std::string(protocol::typeName(query.types[i]));
      }
      add("type = ANY($::text[])", names + "}");
    }
    sql += " ORDER BY time_ms, device_id, seq";
    if (query.limit != SIZE_MAX) sql += " LIMIT " + std::to_string(query.limit);

    auto conn = pool_.acquire();
    if (!conn.isOk()) return conn.status();
    auto transaction = pg::Transaction::begin(**conn);
    if (!transaction.isOk()) return transaction.status();
    auto declared = (*conn)->exec(sql, params);
    if (!declared.isOk()) return declared.status();
    for (;;) {
      auto rows = (*conn)->exec("FETCH " + std::to_string(kRowsPerFetch) + " FROM walk");
      if (!rows.isOk()) return rows.status();
      const PGresult* r = rows->get();
      const int count = PQntuples(r);
      for (int row = 0; row < count; ++row) {
        auto event = protocol::eventFromJson(text(r, row, 0));
        if (!event.isOk()) return event.status().withContext("store: stored event unreadable");
        const StoredEvent stored{std::move(event).value(),
                                 static_cast<Integrity>(integer(r, row, 1)), integer(r, row, 2),
                                 text(r, row, 3)};
        if (!visit(stored)) return transaction->commit();
      }
      if (count < kRowsPerFetch) return transaction->commit();
    }
  }

  StatusOr<std::vector<HourlyCount>> hourlyCounts(protocol::EventType type, int64_t from_ms,
                                                  int64_t to_ms) override {
    auto result = execute(
        "SELECT \"user\", time_ms / 3600000 AS hour, count(*) FROM events"
        " WHERE type = $1 AND time_ms >= $2 AND time_ms < $3 GROUP BY \"user\", hour",
        {std::string(protocol::typeName(type)), std::to_string(from_ms), std::to_string(to_ms)});
    if (!result.isOk()) return result.status();
    std::vector<HourlyCount> counts;
    const PGresult* r = result->get();
    for (int row = 0; row < PQntuples(r); ++row) {
      counts.push_back(
          {text(r, row, 0), integer(r, row, 1), static_cast<uint64_t>(integer(r, row, 2))});
    }
    return counts;
  }

  StatusOr<std::vector<Incident>> incidents(std::optional<std::string> device_id) override {
    std::string sql =
        "SELECT device_id, seq, kind, detail, detected_ms, explained, first_missing,"
        " last_missing FROM incidents";
    std::vector<Param> params;
    if (device_id) {
      sql += " WHERE device_id = $1";
      params.push_back(*device_id);
    }
    sql += " ORDER BY id";
    auto result = execute(sql, params);
    if (!result.isOk()) return result.status();
    std::vector<Incident> found;
    const PGresult* r = result->get();
    for (int row = 0; row < PQntuples(r); ++row) {
      found.push_back({text(r, row, 0), static_cast<uint64_t>(integer(r, row, 1)), text(r, row, 2),
                       text(r, row, 3), integer(r, row, 4), text(r, row, 5) == "t",
                       static_cast<uint64_t>(integer(r, row, 6)),
                       static_cast<uint64_t>(integer(r, row, 7))});
    }
    return found;
  }

  StatusOr<uint64_t> eventCount() override {
    auto result = execute("SELECT count(*) FROM events", {});
    if (!result.isOk()) return result.status();
    return static_cast<uint64_t>(integer(result->get(), 0, 0));
  }

  StatusOr<int> schemaVersion() override {
    auto result = execute("SELECT coalesce(max(version), 0) FROM schema_migrations", {});
    if (!result.isOk()) return result.status();
    return static_cast<int>(integer(result->get(), 0, 0));
  }

  StatusOr<std::vector<std::string>> dropMonthsReceivedBefore(int64_t cutoff_ms) override {
    auto conn = pool_.acquire();
    if (!conn.isOk()) return conn.status();
    auto partitions = (*conn)->exec(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
        " WHERE i.inhparent = 'events'::regclass ORDER BY c.relname");
    if (!partitions.isOk()) return partitions.status();
    std::vector<std::string> dropped;
    for (int row = 0; row < PQntuples(partitions->get()); ++row) {
      const auto month = pg::monthPartitionNamed(text(partitions->get(), row, 0));
      if (!month || month->to_ms > cutoff_ms) continue;
      // The name is one of ours, checked above: events_ and six digits. Detached without
      // stopping ingest or queries on the other months, then dropped.
      VIGIE_RETURN_IF_ERROR(
          (*conn)->run("ALTER TABLE events DETACH PARTITION " + month->name + " CONCURRENTLY"));
      VIGIE_RETURN_IF_ERROR((*conn)->run("DROP TABLE " + month->name));
      {
        std::lock_guard lock(months_mutex_);
        months_.erase(month->name);
      }
      dropped.push_back(month->name);
    }
    return dropped;
  }

 private:
  // Runs `work` on a pooled connection; once more on a new one when the connection it got was
  // lost before or during the work (a server restarted since: pooled connections look alive
  // until used). Safe for everything here: a write either committed, and is then found again
  // (a duplicate, an upsert), or was rolled back.
  template <typename Work>
  auto retryOnLostConnection(Work&& work) -> decltype(work(std::declval<Connection&>())) {
    for (int attempt = 0;; ++attempt) {
      auto conn = pool_.acquire();
      if (!conn.isOk()) return conn.status();
      auto done = work(**conn);
      if (done.isOk() || (*conn)->healthy() || attempt > 0) return done;
    }
  }

  StatusOr<Result> execute(std::string_view sql, const std::vector<Param>& params) {
    return retryOnLostConnection(
        [&](Connection& conn) -> StatusOr<Result> { return conn.exec(sql, params); });
  }

  StatusOr<std::vector<DeviceRecord>> selectDevices(std::optional<std::string_view> device_id) {
    std::string sql = std::string("SELECT ") + kDeviceColumns + " FROM devices";
    std::vector<Param> params;
    if (device_id) {
      sql += " WHERE device_id = $1";
      params.emplace_back(std::string(*device_id));
    }
    sql += " ORDER BY device_id";
    auto result = execute(sql, params);
    if (!result.isOk()) return result.status();
    std::vector<DeviceRecord> found;
    for (int row = 0; row < PQntuples(result->get()); ++row) {
      auto device = deviceFrom(result->get(), row);
      if (!device.isOk()) return device.status();
      found.push_back(std::move(device).value());
    }
    return found;
  }

  // The device's head, brand and number; `lock`: FOR UPDATE, held until the transaction ends.
  struct DeviceHead {
    ChainHead head;
    std::string brand;
    std::string ref;
  };
  static StatusOr<DeviceHead> deviceHeadOf(Connection& conn, std::string_view device_id,
                                           bool lock) {
    auto result = conn.exec(std::string("SELECT last_seq, last_mac, brand, ref FROM devices"
                                        " WHERE device_id = $1") +
                                (lock ? " FOR UPDATE" : ""),
                            {std::string(device_id)});
    if (!result.isOk()) return result.status();
    if (PQntuples(result->get()) == 0) {
      return Status::notFound("no enrolled device " + std::string(device_id));
    }
    return DeviceHead{{static_cast<uint64_t>(integer(result->get(), 0, 0)),
                       macFrom(pg::byteaValue(result->get(), 0, 1))},
                      text(result->get(), 0, 2),
                      text(result->get(), 0, 3)};
  }

  static StatusOr<std::optional<Mac>> storedMacOn(Connection& conn, std::string_view device_id,
                                                  uint64_t seq) {
    auto result = conn.exec("SELECT mac FROM events WHERE device_id = $1 AND seq = $2",
                            {std::string(device_id), std::to_string(seq)});
    if (!result.isOk()) return result.status();
    if (PQntuples(result->get()) == 0) return std::optional<Mac>();
    return std::optional<Mac>(macFrom(pg::byteaValue(result->get(), 0, 0)));
  }

  class Chain final : public LockedChain {
   public:
    Chain(Connection& conn, std::string_view device_id, ChainHead head)
        : conn_(conn), device_id_(device_id), head_(head) {}
    const ChainHead& head() const override { return head_; }
    StatusOr<std::optional<Mac>> storedMac(uint64_t seq) override {
      return storedMacOn(conn_, device_id_, seq);
    }

   private:
    Connection& conn_;
    std::string_view device_id_;
    ChainHead head_;
  };

  Status writeOnce(Connection& conn, std::string_view device_id, const BatchVerifier& verify,
                   std::optional<pg::MonthPartition>& missing) {
    auto transaction = pg::Transaction::begin(conn);
    if (!transaction.isOk()) return transaction.status();
    auto device = deviceHeadOf(conn, device_id, /*lock=*/true);
    if (!device.isOk()) return device.status();
    Chain chain(conn, device_id, device->head);
    auto batch = verify(chain);
    if (!batch.isOk()) return batch.status();
    if (batch->device_id != device_id) {
      return Status::invalidArgument("store: a batch of " + batch->device_id + " written as " +
                                     std::string(device_id) + "'s");
    }
    if (batch->events.empty() && batch->incidents.empty() && batch->head == device->head) {
      return transaction->commit();
    }
    if (!batch->events.empty()) {
      if (batch->received_ms < 0 || batch->received_ms >= kYear10000Ms) {
        return Status::invalidArgument("store: reception time out of range (the clock?)");
      }
      const pg::MonthPartition month = pg::monthPartitionOf(batch->received_ms);
      if (!knownMonth(month.name)) {
        missing = month;
        return Status::ok();  // rolled back; made and tried again by the caller
      }
      VIGIE_RETURN_IF_ERROR(refuseStored(conn, *batch));
      VIGIE_RETURN_IF_ERROR(insertEvents(conn, *batch, *device));
    }
    for (const Incident& incident : batch->incidents) {
      VIGIE_RETURN_IF_ERROR(insertIncident(conn, incident));
    }
    for (const EventToStore& item : batch->events) {
      if (const auto* gap = std::get_if<protocol::AgentGap>(&item.event->data)) {
        VIGIE_RETURN_IF_ERROR(explainGaps(conn, batch->device_id, gap->first_seq, gap->last_seq));
      }
    }
    auto head = conn.exec(
        "UPDATE devices SET last_seq = $1, last_mac = $2 WHERE device_id = $3",
        {std::to_string(batch->head.last_seq), macParam(batch->head.last_mac), batch->device_id});
    if (!head.isOk()) return head.status();
    return transaction->commit();
  }

  // (device, seq) is stored once: the caller holds the device's lock, so what is absent now
  // stays absent until commit.
  static Status refuseStored(Connection& conn, const BatchWrite& batch) {
    std::string seqs = "{";
    for (const EventToStore& item : batch.events) {
      if (seqs.size() > 1) seqs += ',';
      seqs += std::to_string(item.event->seq);
    }
    seqs += '}';
    auto found =
        conn.exec("SELECT seq FROM events WHERE device_id = $1 AND seq = ANY($2::bigint[]) LIMIT 1",
                  {batch.device_id, seqs});
    if (!found.isOk()) return found.status();
    if (PQntuples(found->get()) > 0) {
      return Status::failedPrecondition("store: event " + text(found->get(), 0, 0) + " of " +
                                        batch.device_id + " is already stored");
    }
    return Status::ok();
  }

  static Status insertEvents(Connection& conn, const BatchWrite& batch, const DeviceHead& device) {
    std::string body;
    for (size_t first = 0; first < batch.events.size(); first += kRowsPerInsert) {
      const size_t last = std::min(batch.events.size(), first + kRowsPerInsert);
      std::string sql =
          "INSERT INTO events(device_id, seq, time_ms, \"user\", type, record_id, integrity,"
          " received_ms, brand, mac, body, device_ref) VALUES ";
      std::vector<Param> params;
      params.reserve((last - first) * 12);
      for (size_t i = first; i < last; ++i) {
        const EventToStore& item = batch.events[i];
        const Event& event = *item.event;
        sql += i == first ? "(" : ",(";
        for (int column = 0; column < 12; ++column) {
          sql += (column == 0 ? "$" : ",$") +
                 std::to_string(params.size() + 1 + static_cast<size_t>(column));
        }
        sql += ")";
        if (item.json.empty()) {
          body.clear();
          protocol::appendJson(body, event);
        }
        params.insert(
            params.end(),
            {batch.device_id, std::to_string(event.seq), std::to_string(event.time_ms), event.user,
             std::string(protocol::typeName(event.type)), recordIdOf(event),
             std::to_string(static_cast<int>(item.integrity)), std::to_string(batch.received_ms),
             std::string(eventBrand(event, device.brand)), macParam(event.mac),
             item.json.empty() ? body : std::string(item.json), device.ref});
      }
      auto inserted = conn.exec(sql, params);
      if (!inserted.isOk()) return inserted.status();
    }
    return Status::ok();
  }

  static Status insertIncident(Connection& conn, const Incident& incident) {
    return conn
        .exec(
            "INSERT INTO incidents(device_id, seq, kind, detail, detected_ms, explained,"
            " first_missing, last_missing) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            {incident.device_id, std::to_string(incident.seq), incident.kind, incident.detail,
             std::to_string(incident.detected_ms), incident.explained ? "true" : "false",
             std::to_string(incident.first_missing), std::to_string(incident.last_missing)})
        .status();
  }

  // A gap whose missing range lies inside what the device reported dropping is explained.
  static Status explainGaps(Connection& conn, std::string_view device_id, uint64_t first,
                            uint64_t last) {
    if (first == 0) return Status::ok();
    return conn
        .exec(
            "UPDATE incidents SET explained = true WHERE device_id = $1 AND kind = 'gap'"
            " AND first_missing >= $2 AND last_missing <= $3",
            {std::string(device_id), std::to_string(first), std::to_string(last)})
        .status();
  }

  bool knownMonth(const std::string& name) {
    std::lock_guard lock(months_mutex_);
    return months_.count(name) > 0;
  }

  Status ensureMonth(Connection& conn, const pg::MonthPartition& month) {
    VIGIE_RETURN_IF_ERROR(pg::ensurePartition(conn, month));
    std::lock_guard lock(months_mutex_);
    months_.insert(month.name);
    return Status::ok();
  }

  pg::ConnectionPool pool_;
  std::mutex months_mutex_;
  std::set<std::string> months_;  // partitions known to exist
};

}  // namespace

StatusOr<std::unique_ptr<PostgresStore>> openPostgresStore(const PostgresOptions& options,
                                                           int64_t now_ms) {
  auto store = std::make_unique<Store>(options);
  VIGIE_RETURN_IF_ERROR(store->open(now_ms));
  return std::unique_ptr<PostgresStore>(std::move(store));
}

}  // namespace vigie::collector
