#pragma once

// A collector store with its audit tables on a manual clock, and helpers that put workstation
// events and CRM records in it, for the audit module tests. AuditFixture uses the embedded store;
// AuditFixtureOnBoth runs each test on both backends.

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "audit/audit_service.h"
#include "manual_clock.h"
#include "sample_events.h"
#include "store_backends.h"
#include "temp_dir.h"
#include "test_keys.h"
#include "vigie/collector/event_store.h"
#include "vigie/protocol/utc_time.h"

namespace vigie::collector {

inline constexpr int64_t kMinuteMs = 60 * 1000;
inline constexpr int64_t kHourMs = 60 * kMinuteMs;
inline constexpr int64_t kDayMs = 24 * kHourMs;

inline int64_t utc(const char* text) { return protocol::parseUtcMillis(text).value(); }

class AuditFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string conninfo;
    auto store = openEmptyStore(backend(), dir_, &conninfo);
    ASSERT_TRUE(store.isOk()) << store.status().toString();
    store_ = std::move(store).value();
    auto db = backend() == Backend::kSqlCipher ? AuditDb::open(path(), testing::fixedKey(3))
                                               : AuditDb::open(PostgresOptions{conninfo});
    ASSERT_TRUE(db.isOk()) << db.status().toString();
    auto audit = openAuditService(std::move(db).value(), testing::fixedKey(3), clock_);
    ASSERT_TRUE(audit.isOk()) << audit.status().toString();
    audit_ = std::move(audit).value();
  }

  virtual Backend backend() const { return Backend::kSqlCipher; }

  std::string path() const { return dir_.file("store.db"); }

  void addDevice(const std::string& id, const std::string& hostname) {
    DeviceRecord device;
    device.device_id = id;
    device.hostname = hostname;
    device.os = "Debian 12";
    device.chain_key = testing::fixedKey(7);
    device.certificate_fingerprint = std::string(64, 'a');
    device.enrolled_ms = 1764337698123;
    ASSERT_TRUE(store_->putDevice(device).isOk());
  }

  // Stores `events` as one batch of `device`, numbering them after the device's last.
  void writeEvents(const std::string& device, std::vector<protocol::Event> events,
                   std::vector<Incident> incidents = {}, Integrity integrity = Integrity::kOk) {
    uint64_t& seq = last_seq_[device];
    BatchWrite batch;
    batch.device_id = device;
    for (protocol::Event& event : events) {
      event.device = device;
      event.seq = ++seq;
    }
    for (const protocol::Event& event : events) batch.events.push_back({&event, {}, integrity});
    batch.incidents = std::move(incidents);
    batch.head = {seq, {}};
    batch.received_ms = clock_.nowUnixMillis();
    const Status written = store_->write(batch);
    ASSERT_TRUE(written.isOk()) << written.toString();
  }

  static protocol::Event makeEvent(protocol::EventType type, const std::string& user,
                                   int64_t time_ms) {
    protocol::Event made = testing::sampleEvent(type);
    made.user = user;
    made.time_ms = time_ms;
    return made;
  }

  static protocol::Event crmView(const std::string& user, int64_t time_ms,
                                 const std::string& record_id, const std::string& brand = "") {
    protocol::Event view = makeEvent(protocol::EventType::kCrmView, user, time_ms);
    auto& data = std::get<protocol::CrmView>(view.data);
    data.record_id = record_id;
    data.brand = brand;
    data.mode = protocol::CrmMode::kView;
    data.title.reset();
    return view;
  }

  static protocol::Event clipboardCopy(const std::string& user, int64_t time_ms, bool pii) {
    protocol::Event copy = makeEvent(protocol::EventType::kClipboardCopy, user, time_ms);
    auto& data = std::get<protocol::ClipboardCopy>(copy.data);
    data.source_url.reset();
    data.pii = pii ? protocol::PiiCounts{0, 0, 1, 0, 0} : protocol::PiiCounts{};
    return copy;
  }

  static CrmRecord crmRecord(const std::string& id, int64_t time_ms, const std::string& user,
                             const std::string& record_id, const std::string& action,
                             std::vector<std::string> fields = {}) {
    return CrmRecord{id, time_ms, user, record_id, action, std::move(fields)};
  }

  void storeCrm(const std::string& brand, const std::vector<CrmRecord>& records) {
    auto stored = audit_->crm.store(brand, records);
    ASSERT_TRUE(stored.isOk()) << stored.status().toString();
    ASSERT_EQ(stored->accepted, records.size());
  }

  // The single integer a query answers.
  int64_t count(const std::string& sql) {
    int64_t n = -1;
    const Status read = audit_->db->with(
        [&](Sql& db) { return db.run(sql, {}, [&](const SqlRow& s) { n = s.integer(0); }); });
    EXPECT_TRUE(read.isOk()) << read.toString();
    return n;
  }

  testing::TempDir dir_;
  testing::ManualClock clock_;
  EventStorePtr store_;
  std::unique_ptr<AuditService> audit_;
  std::map<std::string, uint64_t> last_seq_;
};

class AuditFixtureOnBoth : public AuditFixture, public ::testing::WithParamInterface<Backend> {
 protected:
  Backend backend() const override { return GetParam(); }
};

}  // namespace vigie::collector
