#include "vigie/agent/event_queue.h"

#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "manual_clock.h"
#include "queue_test_util.h"
#include "temp_dir.h"

namespace vigie::agent {
namespace {

using protocol::Event;
using protocol::EventType;
using testing::openOrDie;
using testing::queueOptions;
using testing::readAll;
using testing::typicalCrmViews;
using vigie::testing::ManualClock;
using vigie::testing::TempDir;

std::vector<Event> ofType(const std::vector<Event>& events, EventType type) {
  std::vector<Event> out;
  for (const auto& event : events) {
    if (event.type == type) out.push_back(event);
  }
  return out;
}

TEST(EventQueue, StoresChainsAndSurvivesReopen) {
  TempDir dir;
  const auto options = queueOptions(dir.file("queue.db"));
  {
    auto queue = openOrDie(options);
    auto batch = typicalCrmViews(10);
    ASSERT_TRUE(queue->append(batch).isOk());
    EXPECT_EQ(batch[0].seq, 1u);
    EXPECT_EQ(batch[9].seq, 10u);
    EXPECT_EQ(batch[0].device, "dev-test");
  }
  auto queue = openOrDie(options);
  auto more = typicalCrmViews(5, 10);
  ASSERT_TRUE(queue->append(more).isOk());
  EXPECT_EQ(more[0].seq, 11u) << "sequence numbers carry on after a restart";
  const auto events = readAll(*queue);
  ASSERT_EQ(events.size(), 15u);
  EXPECT_EQ(crypto::verifyChain(options.chain_key, events), std::nullopt);
  EXPECT_EQ(std::get<protocol::CrmView>(events[14].data).record_id, "C-100014");
  EXPECT_EQ(queue->stats().events, 15u);
}

TEST(EventQueue, CreatesFilesOnlyTheServiceCanRead) {
  TempDir dir;
  auto queue = openOrDie(queueOptions(dir.file("queue.db")));
  auto batch = typicalCrmViews(3);
  ASSERT_TRUE(queue->append(batch).isOk());
  for (const char* name : {"queue.db", "queue.db-wal", "queue.db-shm", "queue.db.seq"}) {
    struct stat st {};
    ASSERT_EQ(::stat(dir.file(name).c_str(), &st), 0) << name;
    EXPECT_EQ(st.st_mode & 077, 0u) << name << " is open to group or others";
  }
}

TEST(EventQueue, LeaseAckAndRelease) {
  TempDir dir;
  auto queue = openOrDie(queueOptions(dir.file("queue.db")));
  auto batch = typicalCrmViews(25);
  ASSERT_TRUE(queue->append(batch).isOk());

  auto first = queue->lease(10, 1 << 20);
  ASSERT_TRUE(first.isOk());
  ASSERT_EQ(first->events.size(), 10u);
  EXPECT_EQ(first->events.front().seq, 1u);
  EXPECT_FALSE(queue->lease(10, 1 << 20).isOk()) << "one lease at a time";
  ASSERT_TRUE(queue->ack(first->id).isOk());
  EXPECT_FALSE(queue->ack(first->id).isOk()) << "a lease is acknowledged once";
  EXPECT_EQ(queue->stats().events, 15u);

  auto second = queue->lease(10, 1 << 20);
  ASSERT_TRUE(second.isOk());
  EXPECT_EQ(second->events.front().seq, 11u);
  ASSERT_TRUE(queue->release(second->id).isOk());
  auto again = queue->lease(10, 1 << 20);
  ASSERT_TRUE(again.isOk());
  EXPECT_EQ(again->events.front().seq, 11u) << "a released lease comes back";

  // Byte limit: at least one event, never more than the bytes asked for beyond the first.
  ASSERT_TRUE(queue->release(again->id).isOk());
  auto small = queue->lease(100, 1);
  ASSERT_TRUE(small.isOk());
  EXPECT_EQ(small->events.size(), 1u);
}

TEST(EventQueue, UnacknowledgedLeaseComesBackAfterRestart) {
  TempDir dir;
  const auto options = queueOptions(dir.file("queue.db"));
  {
    auto queue = openOrDie(options);
    auto batch = typicalCrmViews(5);
    ASSERT_TRUE(queue->append(batch).isOk());
    auto lease = queue->lease(3, 1 << 20);
    ASSERT_TRUE(lease.isOk());
    ASSERT_EQ(lease->events.size(), 3u);
  }  // "crash" with the lease outstanding
  auto queue = openOrDie(options);
  auto lease = queue->lease(100, 1 << 20);
  ASSERT_TRUE(lease.isOk());
  ASSERT_EQ(lease->events.size(), 5u);
  EXPECT_EQ(lease->events.front().seq, 1u);
}

TEST(EventQueue, InvalidEventRejectsTheBatchAndKeepsWhatIsStored) {
  TempDir dir;
  auto queue = openOrDie(queueOptions(dir.file("queue.db")));
  auto good = typicalCrmViews(3);
  ASSERT_TRUE(queue->append(good).isOk());
  auto batch = typicalCrmViews(3, 3);
  std::get<protocol::CrmView>(batch[1].data).record_id = std::string(1000, 'x');
  const Status status = queue->append(batch);
  EXPECT_EQ(status.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(status.message(), "event 1: field data.record_id: longer than 256 bytes");
  EXPECT_EQ(readAll(*queue).size(), 3u);
  auto next = typicalCrmViews(1, 9);
  ASSERT_TRUE(queue->append(next).isOk());
  EXPECT_EQ(next[0].seq, 4u) << "a rejected batch consumes no sequence number";
}

TEST(EventQueue, RefusesAnEventWhoseJsonWouldBeTooLargeWithoutCountingItAsLost) {
  TempDir dir;
  auto queue = openOrDie(queueOptions(dir.file("queue.db")));
  auto batch = typicalCrmViews(1);
  // 32 formats of 256 control characters: every field within its limit, but each character
  // escapes to six bytes of JSON.
  Event copy = vigie::testing::sampleEvent(EventType::kClipboardCopy);
  std::get<protocol::ClipboardCopy>(copy.data).formats.assign(32, std::string(256, '\x01'));
  batch.push_back(copy);
  const Status status = queue->append(batch);
  EXPECT_EQ(status.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(status.message().find("over 16384"), std::string::npos) << status.message();
  EXPECT_EQ(queue->stats().unstored_total, 0u) << "refused input is not a loss";
  EXPECT_TRUE(readAll(*queue).empty());
  auto next = typicalCrmViews(1);
  ASSERT_TRUE(queue->append(next).isOk());
  EXPECT_EQ(next[0].seq, 1u);
  EXPECT_TRUE(ofType(readAll(*queue), EventType::kAgentGap).empty());
}

TEST(EventQueue, WhenFullDropsOldestLowestPriorityFirstAndCountsThem) {
  TempDir dir;
  auto options = queueOptions(dir.file("queue.db"));
  options.limits.max_events = 100;
  auto queue = openOrDie(options);
  // 40 low-priority focus events, then 70 normal-priority CRM views: 10 over the limit.
  std::vector<Event> batch;
  for (int i = 0; i < 40; ++i) batch.push_back(vigie::testing::sampleEvent(EventType::kAppFocus));
  for (auto& event : typicalCrmViews(70)) batch.push_back(event);
  ASSERT_TRUE(queue->append(batch).isOk());

  const auto events = readAll(*queue);
  EXPECT_LE(events.size(), 100u);
  const auto gaps = ofType(events, EventType::kAgentGap);
  ASSERT_EQ(gaps.size(), 1u);
  const auto& gap = std::get<protocol::AgentGap>(gaps[0].data);
  EXPECT_EQ(gap.reason, protocol::GapReason::kQueueFull);
  ASSERT_EQ(gap.dropped.size(), 1u);
  EXPECT_EQ(gap.dropped[0].type, EventType::kAppFocus) << "low priority goes first";
  const uint64_t dropped = gap.dropped[0].count;
  EXPECT_EQ(gap.first_seq, 1u);
  EXPECT_EQ(gap.last_seq, dropped);
  // Exact accounting: what is stored plus what was dropped is what was recorded, plus the gap.
  EXPECT_EQ(events.size() + dropped, batch.size() + 1);
  EXPECT_EQ(ofType(events, EventType::kCrmView).size(), 70u);
  EXPECT_EQ(queue->stats().dropped_total, dropped);
  // The survivors still verify from the gap onwards (the dropped prefix is the reported gap).
  crypto::ChainVerifier verifier(options.chain_key);
  const auto broken = verifier.check(events[0]);
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->kind, crypto::ChainBreak::Kind::kGap);
  EXPECT_EQ(crypto::verifyChain(options.chain_key, std::span(events).subspan(1), events[0].seq,
                                events[0].mac),
            std::nullopt);
}

TEST(EventQueue, ByteLimitDropsToo) {
  TempDir dir;
  auto options = queueOptions(dir.file("queue.db"));
  options.limits.max_bytes = 64 * 1024;
  auto queue = openOrDie(options);
  for (int round = 0; round < 10; ++round) {
    auto batch = typicalCrmViews(50, static_cast<uint64_t>(round) * 50);
    ASSERT_TRUE(queue->append(batch).isOk());
  }
  EXPECT_LE(queue->stats().bytes, options.limits.max_bytes);
  uint64_t dropped = 0;
  for (const auto& gap : ofType(readAll(*queue), EventType::kAgentGap)) {
    for (const auto& entry : std::get<protocol::AgentGap>(gap.data).dropped) dropped += entry.count;
  }
  EXPECT_EQ(dropped, queue->stats().dropped_total);
  EXPECT_GT(dropped, 0u);
}

TEST(EventQueue, LeasedEventsAreNotDropped) {
  TempDir dir;
  auto options = queueOptions(dir.file("queue.db"));
  options.limits.max_events = 100;
  auto queue = openOrDie(options);
  auto batch = typicalCrmViews(90);
  ASSERT_TRUE(queue->append(batch).isOk());
  auto lease = queue->lease(20, 1 << 20);
  ASSERT_TRUE(lease.isOk());
  auto more = typicalCrmViews(30, 90);
  ASSERT_TRUE(queue->append(more).isOk());
  ASSERT_TRUE(queue->ack(lease->id).isOk());
  const auto gaps = ofType(readAll(*queue), EventType::kAgentGap);
  ASSERT_EQ(gaps.size(), 1u);
  EXPECT_GT(std::get<protocol::AgentGap>(gaps[0].data).first_seq, 20u);
}

TEST(EventQueue, PurgesEventsOlderThanThePolicyAge) {
  TempDir dir;
  ManualClock clock;
  auto options = queueOptions(dir.file("queue.db"), &clock);
  options.limits.max_age_ms = 1000;
  auto queue = openOrDie(options);
  std::vector<Event> old_events = typicalCrmViews(4);
  for (auto& event : old_events) event.time_ms = clock.nowUnixMillis() - 5000;
  std::vector<Event> recent = typicalCrmViews(2, 4);
  for (auto& event : recent) event.time_ms = clock.nowUnixMillis();
  ASSERT_TRUE(queue->append(old_events).isOk());
  ASSERT_TRUE(queue->append(recent).isOk());
  ASSERT_TRUE(queue->purgeExpired().isOk());
  const auto events = readAll(*queue);
  ASSERT_EQ(events.size(), 3u);
  const auto& gap = std::get<protocol::AgentGap>(events.back().data);
  EXPECT_EQ(gap.reason, protocol::GapReason::kAgeLimit);
  EXPECT_EQ(gap.dropped, (std::vector<protocol::DroppedCount>{{EventType::kCrmView, 4}}));
  EXPECT_EQ(gap.first_seq, 1u);
  EXPECT_EQ(gap.last_seq, 4u);
  ASSERT_TRUE(queue->purgeExpired().isOk());
  EXPECT_EQ(readAll(*queue).size(), 3u) << "nothing more to purge, no new gap";
}

// Reads an agent.integrity event and checks the file it names was kept.
void expectMovedAside(const std::vector<Event>& events, protocol::IntegrityIncident incident) {
  const auto incidents = ofType(events, EventType::kAgentIntegrity);
  ASSERT_EQ(incidents.size(), 1u);
  const auto& integrity = std::get<protocol::AgentIntegrity>(incidents[0].data);
  EXPECT_EQ(integrity.incident, incident);
  ASSERT_TRUE(integrity.moved_to);
  EXPECT_TRUE(std::filesystem::exists(*integrity.moved_to)) << *integrity.moved_to;
}

TEST(EventQueue, WrongKeyMovesTheFileAsideAndNeverReusesSequenceNumbers) {
  TempDir dir;
  auto options = queueOptions(dir.file("queue.db"));
  {
    auto queue = openOrDie(options);
    auto batch = typicalCrmViews(7);
    ASSERT_TRUE(queue->append(batch).isOk());
  }
  options.database_key = testing::fixedKey(0x99);
  auto queue = openOrDie(options);
  const auto events = readAll(*queue);
  ASSERT_EQ(events.size(), 1u);
  expectMovedAside(events, protocol::IntegrityIncident::kQueueUnreadable);
  EXPECT_GT(events[0].seq, 7u) << "the fresh queue resumes above every number ever issued";
  // The old file still opens with the old key: nothing was destroyed.
  const auto& moved = *std::get<protocol::AgentIntegrity>(events[0].data).moved_to;
  auto old = EventQueue::openForReading(moved, testing::fixedKey(0x11));
  ASSERT_TRUE(old.isOk()) << old.status().toString();
  EXPECT_EQ(readAll(**old).size(), 7u);
}

TEST(EventQueue, CorruptedFileIsMovedAsideNotACrashLoop) {
  TempDir dir;
  const auto options = queueOptions(dir.file("queue.db"));
  {
    auto queue = openOrDie(options);
    auto batch = typicalCrmViews(20);
    ASSERT_TRUE(queue->append(batch).isOk());
  }
  {
    std::fstream file(dir.file("queue.db"), std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(0);
    file << std::string(64, 'Z');
  }
  std::filesystem::remove(dir.file("queue.db-wal"));
  for (int start = 0; start < 3; ++start) {  // each restart opens cleanly
    auto queue = openOrDie(options);
    ASSERT_NE(queue, nullptr);
    expectMovedAside(readAll(*queue), protocol::IntegrityIncident::kQueueUnreadable);
  }
}

TEST(EventQueue, DeletedQueueFileIsReportedAndSequenceResumesAbove) {
  TempDir dir;
  const auto options = queueOptions(dir.file("queue.db"));
  {
    auto queue = openOrDie(options);
    auto batch = typicalCrmViews(3);
    ASSERT_TRUE(queue->append(batch).isOk());
  }
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(dir.file(std::string("queue.db") + suffix));
  }
  auto queue = openOrDie(options);
  const auto events = readAll(*queue);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(std::get<protocol::AgentIntegrity>(events[0].data).incident,
            protocol::IntegrityIncident::kChainRestarted);
  EXPECT_GT(events[0].seq, 3u);
}

// Every byte the queue wrote: database, WAL, shared memory, reservation and any temporary file.
std::string allBytesUnder(const std::string& dir) {
  std::string bytes;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream file(entry.path(), std::ios::binary);
    bytes.append(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  }
  return bytes;
}

TEST(EventQueue, NoPlaintextOnDisk) {
  TempDir dir;
  const std::string marker = "MARKER-7c1d-plaintext-must-not-appear";
  auto queue = openOrDie(queueOptions(dir.file("queue.db")));
  auto batch = typicalCrmViews(200);
  for (auto& event : batch) std::get<protocol::CrmView>(event.data).record_id = marker;
  ASSERT_TRUE(queue->append(batch).isOk());
  auto lease = queue->lease(50, 1 << 20);  // reading must not spill either
  ASSERT_TRUE(lease.isOk());
  ASSERT_NE(lease->events.front().json.find(marker), std::string::npos);
  const std::string on_disk = allBytesUnder(dir.path());
  EXPECT_GT(on_disk.size(), 200u * 300u);
  EXPECT_EQ(on_disk.find(marker), std::string::npos);
  EXPECT_EQ(on_disk.find("crm.view"), std::string::npos);
  EXPECT_EQ(on_disk.find("SQLite format"), std::string::npos);
}

TEST(EventQueue, ALeftoverHalfCreatedFileIsDiscarded) {
  TempDir dir;
  // What a crash while creating the queue leaves: the temporary file, never queue.db itself.
  { std::ofstream(dir.file("queue.db.new")) << "half-written"; }
  auto queue = openOrDie(queueOptions(dir.file("queue.db")));
  auto batch = typicalCrmViews(2);
  ASSERT_TRUE(queue->append(batch).isOk());
  EXPECT_EQ(batch[0].seq, 1u);
  EXPECT_FALSE(std::filesystem::exists(dir.file("queue.db.new")));
}

TEST(EventQueue, RejectsBadOptions) {
  TempDir dir;
  auto options = queueOptions(dir.file("queue.db"));
  options.device_id.clear();
  EXPECT_EQ(EventQueue::open(options).status().code(), Status::Code::kInvalidArgument);
  options = queueOptions(dir.file("missing-dir/queue.db"));
  EXPECT_FALSE(EventQueue::open(options).isOk());
  EXPECT_EQ(
      EventQueue::openForReading(dir.file("nothing.db"), testing::fixedKey(1)).status().code(),
      Status::Code::kNotFound);
}

// A small tmpfs mount: a real disk that really fills up.
class SmallDisk {
 public:
  explicit SmallDisk(const std::string& path) : path_(path) {
    std::filesystem::create_directories(path);
    mounted_ = ::mount("tmpfs", path.c_str(), "tmpfs", 0, "size=1m,mode=0700") == 0;
  }
  ~SmallDisk() {
    if (mounted_) ::umount2(path_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }

 private:
  std::string path_;
  bool mounted_ = false;
};

TEST(EventQueue, DiskFullCountsWhatItCouldNotStoreAndRecovers) {
  TempDir dir;
  SmallDisk disk(dir.file("disk"));
  if (!disk.mounted()) GTEST_SKIP() << "mounting a tmpfs needs root (CI runs as root)";
  auto queue = openOrDie(queueOptions(dir.file("disk/queue.db")));
  auto first = typicalCrmViews(10);
  ASSERT_TRUE(queue->append(first).isOk());
  {  // take the rest of the disk
    std::ofstream filler(dir.file("disk/filler"), std::ios::binary);
    const std::string block(4096, 'f');
    while (filler.write(block.data(), static_cast<std::streamsize>(block.size()))) {
    }
  }
  uint64_t refused = 0;
  Status last;
  for (int i = 0; i < 50 && refused < 3; ++i) {
    auto batch = typicalCrmViews(100, 1000 + static_cast<uint64_t>(i) * 100);
    last = queue->append(batch);
    if (!last.isOk()) refused += batch.size();
  }
  ASSERT_GT(refused, 0u) << "the disk never filled";
  EXPECT_EQ(last.code(), Status::Code::kResourceExhausted) << last.toString();
  EXPECT_EQ(queue->stats().unstored_total, refused);

  std::filesystem::remove(dir.file("disk/filler"));
  auto after = typicalCrmViews(1, 99999);
  ASSERT_TRUE(queue->append(after).isOk()) << "recovers when space returns";
  const auto events = readAll(*queue);
  const auto gaps = ofType(events, EventType::kAgentGap);
  ASSERT_EQ(gaps.size(), 1u);
  const auto& gap = std::get<protocol::AgentGap>(gaps[0].data);
  EXPECT_EQ(gap.reason, protocol::GapReason::kDiskFull);
  EXPECT_EQ(gap.dropped, (std::vector<protocol::DroppedCount>{{EventType::kCrmView, refused}}));
  EXPECT_EQ(crypto::verifyChain(testing::fixedKey(0x22), events), std::nullopt)
      << "nothing half-written: the chain holds";
}

}  // namespace
}  // namespace vigie::agent
