#include "vigie/collector/batch_ingestor.h"

#include <gtest/gtest.h>

#include <numeric>

#include "chained_events.h"
#include "manual_clock.h"
#include "store_backends.h"
#include "vigie/protocol/json_codec.h"

namespace vigie::collector {
namespace {

using protocol::Event;

class BatchIngestorTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    auto opened = openEmptyStore(GetParam(), dir_);
    ASSERT_TRUE(opened.isOk()) << opened.status().toString();
    store_ = std::move(opened).value();
    device_.device_id = "dev-5f3a";
    device_.hostname = "ws-042";
    device_.chain_key = testing::fixedKey(7);
    ASSERT_TRUE(store_->putDevice(device_).isOk());
    ingestor_ = std::make_unique<BatchIngestor>(*store_, clock_);
    events_ = testing::chainedCrmViews(device_.chain_key, 30);
  }

  IngestResult ingest(size_t from, size_t to) {
    auto result = ingestor_->ingest(device_, std::span(events_).subspan(from, to - from));
    EXPECT_TRUE(result.isOk()) << result.status().toString();
    return result.isOk() ? *result : IngestResult{};
  }

  std::vector<uint64_t> storedSeqs() {
    std::vector<uint64_t> seqs;
    EXPECT_TRUE(store_
                    ->forEachEvent({},
                                   [&](const StoredEvent& stored) {
                                     seqs.push_back(stored.event.seq);
                                     return true;
                                   })
                    .isOk());
    std::sort(seqs.begin(), seqs.end());
    return seqs;
  }

  testing::TempDir dir_;
  testing::ManualClock clock_;
  EventStorePtr store_;
  DeviceRecord device_;
  std::unique_ptr<BatchIngestor> ingestor_;
  std::vector<Event> events_;
};

INSTANTIATE_TEST_SUITE_P(Backends, BatchIngestorTest, kBothBackends, backendName);

TEST_P(BatchIngestorTest, ReplayedAndOverlappingBatchesAreStoredOnce) {
  IngestResult first = ingest(0, 10);
  EXPECT_EQ(first.stored, 10u);
  EXPECT_EQ(first.acked_through, 10u);
  EXPECT_TRUE(first.incidents.empty());

  IngestResult replay = ingest(0, 10);
  EXPECT_EQ(replay.stored, 0u);
  EXPECT_EQ(replay.duplicates, 10u);
  EXPECT_TRUE(replay.incidents.empty());

  IngestResult overlap = ingest(5, 20);
  EXPECT_EQ(overlap.stored, 10u);
  EXPECT_EQ(overlap.duplicates, 5u);
  EXPECT_TRUE(overlap.incidents.empty());

  std::vector<uint64_t> expected(20);
  std::iota(expected.begin(), expected.end(), 1);
  EXPECT_EQ(storedSeqs(), expected);
  EXPECT_TRUE(store_->incidents(std::nullopt)->empty());
}

TEST_P(BatchIngestorTest, ChainContinuesAcrossIngestorRestarts) {
  ingest(0, 10);
  ingestor_ = std::make_unique<BatchIngestor>(*store_, clock_);
  IngestResult next = ingest(10, 20);
  EXPECT_EQ(next.stored, 10u);
  EXPECT_TRUE(next.incidents.empty());
}

TEST_P(BatchIngestorTest, MissingEventsBecomeAGapIncident) {
  ingest(0, 10);
  IngestResult after_hole = ingest(13, 20);  // seqs 11..13 never arrive
  ASSERT_EQ(after_hole.incidents.size(), 1u);
  EXPECT_EQ(after_hole.incidents[0].kind, "gap");
  EXPECT_EQ(after_hole.incidents[0].seq, 14u);
  EXPECT_EQ(after_hole.incidents[0].first_missing, 11u);
  EXPECT_EQ(after_hole.incidents[0].last_missing, 13u);
  EXPECT_EQ(store_->incidents(device_.device_id)->size(), 1u);

  // The hole filled late: stored, marked late, no new incident.
  IngestResult late = ingest(10, 13);
  EXPECT_EQ(late.stored, 3u);
  EXPECT_TRUE(late.incidents.empty());
  EXPECT_EQ(storedSeqs().size(), 20u);
}

TEST_P(BatchIngestorTest, AlteredEventIsKeptAsEvidenceWithOneIncident) {
  auto& view = std::get<protocol::CrmView>(events_[4].data);
  view.record_id += "X";  // altered after it was sealed
  IngestResult result = ingest(0, 10);
  ASSERT_EQ(result.incidents.size(), 1u);
  EXPECT_EQ(result.incidents[0].kind, "bad_mac");
  EXPECT_EQ(result.incidents[0].seq, 5u);
  EXPECT_EQ(result.stored, 10u);

  bool seen = false;
  ASSERT_TRUE(store_
                  ->forEachEvent({},
                                 [&](const StoredEvent& stored) {
                                   if (stored.event.seq == 5) {
                                     EXPECT_EQ(stored.integrity, Integrity::kBadMac);
                                     seen = true;
                                   } else {
                                     EXPECT_EQ(stored.integrity, Integrity::kOk);
                                   }
                                   return true;
                                 })
                  .isOk());
  EXPECT_TRUE(seen);
}

TEST_P(BatchIngestorTest, RewrittenHistoryIsAForkAndNotStored) {
  ingest(0, 10);
  std::vector<Event> rewritten(events_.begin() + 2, events_.begin() + 3);
  std::get<protocol::CrmView>(rewritten[0].data).record_id = "someone-else";
  crypto::ChainSigner signer(device_.chain_key);
  std::string scratch;
  signer.seal(rewritten[0], rewritten[0].prev, scratch);  // a valid MAC, another content
  auto result = ingestor_->ingest(device_, rewritten);
  ASSERT_TRUE(result.isOk());
  ASSERT_EQ(result->incidents.size(), 1u);
  EXPECT_EQ(result->incidents[0].kind, "fork");
  EXPECT_EQ(result->stored, 0u);
  bool original_kept = false;
  ASSERT_TRUE(store_
                  ->forEachEvent({},
                                 [&](const StoredEvent& stored) {
                                   if (stored.event.seq == 3)
                                     original_kept = stored.event == events_[2];
                                   return true;
                                 })
                  .isOk());
  EXPECT_TRUE(original_kept);
}

TEST_P(BatchIngestorTest, EventOfAnotherDeviceRefusesTheWholeBatch) {
  events_[3].device = "dev-other";
  auto result = ingestor_->ingest(device_, std::span(events_).subspan(0, 10));
  ASSERT_FALSE(result.isOk());
  EXPECT_EQ(result.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(store_->eventCount().value(), 0u);
}

TEST_P(BatchIngestorTest, ASequenceNumberBeyondWhatStoresHoldRefusesTheWholeBatch) {
  events_[4].seq = static_cast<uint64_t>(INT64_MAX) + 1;
  auto result = ingestor_->ingest(device_, std::span(events_).subspan(0, 5));
  ASSERT_FALSE(result.isOk());
  EXPECT_EQ(result.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(store_->eventCount().value(), 0u);
}

TEST_P(BatchIngestorTest, ChainSignedWithAnotherKeyIsAllBadMac) {
  device_.chain_key = testing::fixedKey(8);
  IngestResult result = ingest(0, 3);
  ASSERT_EQ(result.incidents.size(), 3u);
  for (const Incident& incident : result.incidents) EXPECT_EQ(incident.kind, "bad_mac");
}

TEST_P(BatchIngestorTest, ReceivedJsonIsStoredAsSentAndMustMatchTheEvents) {
  std::vector<std::string> json;
  for (size_t i = 0; i < 5; ++i) json.push_back(protocol::toJson(events_[i]));
  std::vector<std::string_view> lines(json.begin(), json.end());
  auto result = ingestor_->ingest(device_, std::span(events_).subspan(0, 5), lines);
  ASSERT_TRUE(result.isOk()) << result.status().toString();
  size_t seen = 0;
  ASSERT_TRUE(store_
                  ->forEachEvent({},
                                 [&](const StoredEvent& stored) {
                                   EXPECT_EQ(stored.event, events_[stored.event.seq - 1]);
                                   ++seen;
                                   return true;
                                 })
                  .isOk());
  EXPECT_EQ(seen, 5u);

  lines.pop_back();
  EXPECT_EQ(ingestor_->ingest(device_, std::span(events_).subspan(5, 5), lines).status().code(),
            Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace vigie::collector
