#include "notice_board.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fixed_zone.h"
#include "manual_clock.h"

namespace vigie::session {
namespace {

using testing::FixedZone;
using testing::ManualClock;
using testing::utcMillis;

// A notification service that takes notices (numbering them) or is unreachable.
class FakeNotifier final : public platform::Notifier {
 public:
  struct Shown {
    std::string summary;
    std::string body;
  };
  StatusOr<uint32_t> show(const std::string& summary, const std::string& body) override {
    if (!reachable) return Status::ioError("no D-Bus session bus");
    shown.push_back({summary, body});
    return static_cast<uint32_t>(shown.size());
  }
  bool reachable = true;
  std::vector<Shown> shown;
};

SessionPolicy policyWithPeriods(const std::string& version = "2026-12-a", uint64_t serial = 3) {
  SessionPolicy policy;
  policy.version = version;
  policy.serial = serial;
  policy.notice = NoticeText{"Acme Contact SAS", "dpo@acme.example", {"Security of data"}, {}};
  policy.retention_days = {{"access", 183}, {"alerts", 365}};
  // Monday to Friday, 09:00-12:30 local.
  policy.recording_periods = {{0b0011111, 9 * 60, 12 * 60 + 30, "Calls recorded for quality"}};
  return policy;
}

class NoticeBoardTest : public ::testing::Test {
 protected:
  NoticeBoard& board() { return board_; }
  std::vector<std::string> recordedIds() const {
    std::vector<std::string> ids;
    for (const protocol::Notice& notice : recorded_) ids.push_back(notice.notice_id);
    return ids;
  }
  // Moves the clock to `ms` and runs the board's timer if it is due by then.
  void runUntil(int64_t ms) {
    while (true) {
      auto due_in = board_.nextDueInMillis();
      if (!due_in || clock_.nowUnixMillis() + *due_in > ms) break;
      clock_.advance(*due_in);
      board_.onTime();
    }
    clock_.set(ms);
  }

  FixedZone zone_{60};                               // UTC+1
  ManualClock clock_{utcMillis(2026, 12, 7, 7, 0)};  // Monday 08:00 local
  FakeNotifier notifier_;
  std::vector<protocol::Notice> recorded_;
  NoticeBoard board_{notifier_, [this](protocol::Notice n) { recorded_.push_back(std::move(n)); },
                     clock_, zone_};
};

TEST_F(NoticeBoardTest, SessionStartShowsWhatIsRecordedWhyForHowLongAndWhomToAsk) {
  board().sessionStarted(policyWithPeriods());
  ASSERT_EQ(notifier_.shown.size(), 1u);
  const std::string& body = notifier_.shown[0].body;
  EXPECT_NE(body.find("Purposes: Security of data."), std::string::npos) << body;
  EXPECT_NE(body.find("183 days: screens and records viewed; 365 days: alerts"), std::string::npos)
      << body;
  EXPECT_NE(body.find("dpo@acme.example"), std::string::npos) << body;
  EXPECT_NE(body.find("Never keystrokes"), std::string::npos) << body;
  ASSERT_EQ(recorded_.size(), 1u);
  EXPECT_EQ(recorded_[0], (protocol::Notice{"processing", "3/2026-12-a"}));
  // Outside a period: the next thing due is its start, at 09:00 local.
  EXPECT_EQ(board().nextDueInMillis(), 3600 * 1000);
}

TEST_F(NoticeBoardTest, ThePeriodsStartAndEndAreShownWhenTheyCome) {
  board().sessionStarted(policyWithPeriods());
  runUntil(utcMillis(2026, 12, 7, 8, 0) + 10);  // 09:00 local
  ASSERT_EQ(recordedIds(), (std::vector<std::string>{"processing", "recording_period_start"}));
  EXPECT_EQ(notifier_.shown[1].summary, "Calls may now be recorded or listened to");
  EXPECT_NE(notifier_.shown[1].body.find("Calls recorded for quality"), std::string::npos);
  EXPECT_NE(notifier_.shown[1].body.find("09:00 to 12:30"), std::string::npos);
  EXPECT_EQ(board().nextDueInMillis(), (3 * 3600 + 1800) * 1000 - 10);
  runUntil(utcMillis(2026, 12, 7, 11, 30));  // 12:30 local
  ASSERT_EQ(recordedIds().size(), 3u);
  EXPECT_EQ(recorded_[2], (protocol::Notice{"recording_period_end", "3/2026-12-a"}));
  EXPECT_EQ(notifier_.shown[2].summary, "Calls are no longer recorded or listened to");
  // Then Tuesday's period.
  EXPECT_EQ(board().nextDueInMillis(), (20 * 3600 + 1800) * 1000);
}

TEST_F(NoticeBoardTest, ASessionStartingDuringAPeriodIsToldAtOnce) {
  clock_.set(utcMillis(2026, 12, 7, 10, 0));  // 11:00 local
  board().sessionStarted(policyWithPeriods());
  ASSERT_EQ(recordedIds(), (std::vector<std::string>{"processing", "recording_period_start"}));
  EXPECT_EQ(notifier_.shown[1].summary,
            "Calls may be recorded or listened to (period in progress)");
  EXPECT_EQ(board().nextDueInMillis(), (3600 + 1800) * 1000);
}

TEST_F(NoticeBoardTest, ADayWithoutPeriodShowsOnlyTheProcessingNotice) {
  clock_.set(utcMillis(2026, 12, 5, 10, 0));  // Saturday 11:00 local
  board().sessionStarted(policyWithPeriods());
  EXPECT_EQ(recordedIds(), std::vector<std::string>{"processing"});
  // Monday 09:00 local is 46 hours away.
  EXPECT_EQ(board().nextDueInMillis(), 46 * 3600 * 1000);
  runUntil(utcMillis(2026, 12, 6, 23, 0));
  EXPECT_EQ(recordedIds(), std::vector<std::string>{"processing"});
}

TEST_F(NoticeBoardTest, WithoutANotificationServiceNothingIsRecordedAndItIsTriedAgain) {
  notifier_.reachable = false;
  board().sessionStarted(policyWithPeriods());
  EXPECT_TRUE(recorded_.empty());
  EXPECT_EQ(board().nextDueInMillis(), 1000);
  runUntil(clock_.nowUnixMillis() + 1000);
  EXPECT_EQ(board().nextDueInMillis(), 2000);  // backing off
  notifier_.reachable = true;
  runUntil(clock_.nowUnixMillis() + 2000);
  EXPECT_EQ(recordedIds(), std::vector<std::string>{"processing"});
  EXPECT_EQ(notifier_.shown.size(), 1u);
}

TEST_F(NoticeBoardTest, ANewerPeriodNoticeSupersedesOneNeverShown) {
  notifier_.reachable = false;
  clock_.set(utcMillis(2026, 12, 7, 11, 0));  // 12:00 local, period in progress
  board().sessionStarted(policyWithPeriods());
  runUntil(utcMillis(2026, 12, 7, 11, 30) + 1);  // the period ended meanwhile
  notifier_.reachable = true;
  runUntil(clock_.nowUnixMillis() + 60'000);
  EXPECT_EQ(recordedIds(), (std::vector<std::string>{"processing", "recording_period_end"}));
}

TEST_F(NoticeBoardTest, ANewPolicyIsToldAgainAndItsPeriodsFollowed) {
  clock_.set(utcMillis(2026, 12, 7, 10, 0));  // 11:00 local, in the period
  board().sessionStarted(policyWithPeriods());
  ASSERT_EQ(recorded_.size(), 2u);

  // The same document again (a file rewritten): nothing new to tell.
  board().policyChanged(policyWithPeriods());
  ASSERT_EQ(recorded_.size(), 2u);

  // The same period under a new version: the processing notice only.
  board().policyChanged(policyWithPeriods("2026-12-b", 4));
  ASSERT_EQ(recorded_.size(), 3u);
  EXPECT_EQ(recorded_[2], (protocol::Notice{"processing", "4/2026-12-b"}));

  // A policy without periods ends the one in progress.
  SessionPolicy without = policyWithPeriods("2026-12-c", 5);
  without.recording_periods.clear();
  board().policyChanged(without);
  ASSERT_EQ(recorded_.size(), 5u);
  EXPECT_EQ(recorded_[3], (protocol::Notice{"processing", "5/2026-12-c"}));
  EXPECT_EQ(recorded_[4], (protocol::Notice{"recording_period_end", "5/2026-12-c"}));
  EXPECT_FALSE(board().nextDueInMillis().has_value());
}

TEST(NoticeTextTest, APolicyWithoutNoticeStillSaysWhatIsRecorded) {
  SessionPolicy policy;
  policy.version = "local";
  policy.print = true;
  policy.clipboard = ClipboardSources::kNone;
  const NoticeMessage message = processingNotice(policy);
  EXPECT_EQ(message.id, "processing");
  EXPECT_NE(message.body.find("print jobs"), std::string::npos) << message.body;
  EXPECT_EQ(message.body.find("copies"), std::string::npos) << message.body;
  EXPECT_NE(message.body.find("Kept: as your employer's policy states."), std::string::npos);
  EXPECT_EQ(message.body.find("Purposes"), std::string::npos);
  // Copies "from the applications of the policy" when it names none: none are recorded.
  policy.clipboard = ClipboardSources::kNamed;
  EXPECT_EQ(processingNotice(policy).body.find("copies"), std::string::npos);
}

}  // namespace
}  // namespace vigie::session
