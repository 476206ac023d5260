#include <gtest/gtest.h>

#include <algorithm>

#include "chained_events.h"
#include "store_backends.h"

namespace vigie::collector {
namespace {

using protocol::Event;

DeviceRecord sampleDevice(const std::string& id = "dev-5f3a") {
  DeviceRecord device;
  device.device_id = id;
  device.hostname = "ws-042";
  device.os = "Debian 12";
  device.chain_key = testing::fixedKey(7);
  device.certificate_fingerprint = std::string(64, 'a');
  device.enrolled_ms = 1764337698123;
  return device;
}

BatchWrite writeOf(const DeviceRecord& device, const std::vector<Event>& events) {
  BatchWrite write;
  write.device_id = device.device_id;
  for (const Event& event : events) write.events.push_back({&event, {}, Integrity::kOk});
  write.head = {events.back().seq, events.back().mac};
  write.received_ms = 1764337699000;
  return write;
}

class EventStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    auto opened = openEmptyStore(GetParam(), dir_);
    ASSERT_TRUE(opened.isOk()) << opened.status().toString();
    store_ = std::move(opened).value();
  }
  testing::TempDir dir_;
  EventStorePtr store_;
};

INSTANTIATE_TEST_SUITE_P(Backends, EventStoreTest, kBothBackends, backendName);

TEST_P(EventStoreTest, DevicesRoundTripAndRevocation) {
  ASSERT_TRUE(store_->putDevice(sampleDevice()).isOk());
  auto found = store_->findDevice("dev-5f3a");
  ASSERT_TRUE(found.isOk());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->hostname, "ws-042");
  EXPECT_TRUE((*found)->chain_key == testing::fixedKey(7));
  EXPECT_FALSE((*found)->revoked);

  ASSERT_TRUE(store_->setRevoked("dev-5f3a", true).isOk());
  EXPECT_TRUE(store_->findDevice("dev-5f3a").value()->revoked);
  EXPECT_EQ(store_->setRevoked("dev-none", true).code(), Status::Code::kNotFound);
  EXPECT_FALSE(store_->findDevice("dev-none")->has_value());
}

TEST_P(EventStoreTest, BatchIsStoredWithItsChainHeadAndAnsweredByRecordAndUser) {
  const DeviceRecord device = sampleDevice();
  ASSERT_TRUE(store_->putDevice(device).isOk());
  const auto events = testing::chainedCrmViews(device.chain_key, 20);
  ASSERT_TRUE(store_->write(writeOf(device, events)).isOk());

  EXPECT_EQ(store_->eventCount().value(), 20u);
  EXPECT_EQ(store_->chainHead(device.device_id).value(), (ChainHead{20, events.back().mac}));
  EXPECT_EQ(store_->storedMac(device.device_id, 7).value().value(), events[6].mac);
  EXPECT_FALSE(store_->storedMac(device.device_id, 21)->has_value());

  const auto& record = std::get<protocol::CrmView>(events[4].data).record_id;
  EventQuery by_record;
  by_record.record_id = record;
  std::vector<Event> found;
  ASSERT_TRUE(store_
                  ->forEachEvent(by_record,
                                 [&](const StoredEvent& stored) {
                                   found.push_back(stored.event);
                                   return true;
                                 })
                  .isOk());
  ASSERT_FALSE(found.empty());
  for (const Event& event : found) {
    EXPECT_EQ(std::get<protocol::CrmView>(event.data).record_id, record);
  }
  EXPECT_NE(std::find(found.begin(), found.end(), events[4]), found.end());

  EventQuery by_user;
  by_user.user = events[0].user;
  by_user.from_ms = events[5].time_ms;
  by_user.to_ms = events[10].time_ms;
  size_t count = 0;
  ASSERT_TRUE(store_
                  ->forEachEvent(by_user,
                                 [&](const StoredEvent& stored) {
                                   EXPECT_GE(stored.event.time_ms, by_user.from_ms);
                                   EXPECT_LT(stored.event.time_ms, by_user.to_ms);
                                   ++count;
                                   return true;
                                 })
                  .isOk());
  EXPECT_GT(count, 0u);
}

TEST_P(EventStoreTest, QueriesByTypeAnswerOnlyThoseTypes) {
  const DeviceRecord device = sampleDevice();
  ASSERT_TRUE(store_->putDevice(device).isOk());
  auto events = testing::chainedCrmViews(device.chain_key, 6);
  Event gap = testing::sampleEvent(protocol::EventType::kAgentGap);
  gap.device = device.device_id;
  gap.seq = 7;
  events.push_back(gap);
  ASSERT_TRUE(store_->write(writeOf(device, events)).isOk());
  const auto count = [&](std::vector<protocol::EventType> types) {
    EventQuery query;
    query.types = std::move(types);
    size_t found = 0;
    EXPECT_TRUE(store_
                    ->forEachEvent(query,
                                   [&](const StoredEvent& stored) {
                                     EXPECT_NE(std::find(query.types.begin(), query.types.end(),
                                                         stored.event.type),
                                               query.types.end());
                                     ++found;
                                     return true;
                                   })
                    .isOk());
    return found;
  };
  EXPECT_EQ(count({protocol::EventType::kCrmView}), 6u);
  EXPECT_EQ(count({protocol::EventType::kAgentGap}), 1u);
  EXPECT_EQ(count({protocol::EventType::kCrmView, protocol::EventType::kAgentGap}), 7u);
  EXPECT_EQ(count({protocol::EventType::kFileExport}), 0u);
}

TEST_P(EventStoreTest, SameSequenceTwiceIsRefusedAndNothingOfThatBatchStays) {
  const DeviceRecord device = sampleDevice();
  ASSERT_TRUE(store_->putDevice(device).isOk());
  const auto events = testing::chainedCrmViews(device.chain_key, 10);
  ASSERT_TRUE(store_->write(writeOf(device, {events.begin(), events.begin() + 5})).isOk());
  // Seq 5 again, with 6..10: the unique (device, seq) index refuses it and the whole batch.
  EXPECT_FALSE(store_->write(writeOf(device, {events.begin() + 4, events.end()})).isOk());
  EXPECT_EQ(store_->eventCount().value(), 5u);
  EXPECT_EQ(store_->chainHead(device.device_id)->last_seq, 5u);
}

TEST_P(EventStoreTest, GapIncidentIsExplainedByAgentGapCoveringIt) {
  const DeviceRecord device = sampleDevice();
  ASSERT_TRUE(store_->putDevice(device).isOk());
  BatchWrite first;
  first.device_id = device.device_id;
  Incident gap{device.device_id, 9, "gap", "3 event(s) missing", 1, false, 6, 8};
  first.incidents.push_back(gap);
  first.head = {9, {}};
  ASSERT_TRUE(store_->write(first).isOk());
  EXPECT_FALSE(store_->incidents(device.device_id)->front().explained);

  Event report = testing::sampleEvent(protocol::EventType::kAgentGap);
  report.device = device.device_id;
  report.seq = 10;
  std::get<protocol::AgentGap>(report.data).first_seq = 5;
  std::get<protocol::AgentGap>(report.data).last_seq = 8;
  BatchWrite second;
  second.device_id = device.device_id;
  second.events.push_back({&report, {}, Integrity::kOk});
  second.head = {10, {}};
  ASSERT_TRUE(store_->write(second).isOk());
  auto incidents = store_->incidents(device.device_id);
  ASSERT_EQ(incidents->size(), 1u);
  EXPECT_TRUE(incidents->front().explained);
}

TEST(SqlCipherStoreTest, ReopensWithTheKeyAndRefusesAnotherKey) {
  testing::TempDir dir_;
  auto opened = openSqlCipherStore(dir_.file("store.db"), testing::fixedKey(3));
  ASSERT_TRUE(opened.isOk()) << opened.status().toString();
  EventStorePtr store_ = std::move(opened).value();
  ASSERT_TRUE(store_->putDevice(sampleDevice()).isOk());
  store_.reset();
  auto reopened = openSqlCipherStore(dir_.file("store.db"), testing::fixedKey(3));
  ASSERT_TRUE(reopened.isOk()) << reopened.status().toString();
  EXPECT_TRUE(reopened.value()->findDevice("dev-5f3a")->has_value());
  reopened->reset();
  auto wrong = openSqlCipherStore(dir_.file("store.db"), testing::fixedKey(4));
  ASSERT_FALSE(wrong.isOk());
  EXPECT_EQ(wrong.status().code(), Status::Code::kCorruption);
}

}  // namespace
}  // namespace vigie::collector
