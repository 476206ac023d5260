#include "notice_board.h"

#include <algorithm>
#include <iostream>

namespace vigie::session {
namespace {
constexpr int64_t kFirstRetryMillis = 1000;
constexpr int64_t kMaxRetryMillis = 60'000;
}  // namespace

NoticeBoard::NoticeBoard(platform::Notifier& notifier, Recorder record, platform::Clock& clock,
                         const platform::TimeZone& zone)
    : notifier_(notifier), record_(std::move(record)), clock_(clock), zone_(zone) {}

void NoticeBoard::sessionStarted(const SessionPolicy& policy) {
  showProcessing(policy, /*session_start=*/true);
}

void NoticeBoard::policyChanged(const SessionPolicy& policy) {
  showProcessing(policy, /*session_start=*/false);
}

void NoticeBoard::followPeriods(int64_t now_ms, bool session_start) {
  const std::optional<PeriodSpan> current = periodAt(periods_, zone_, now_ms);
  next_boundary_ms_ = nextBoundaryAfter(periods_, zone_, now_ms);
  // Same occurrence, same words: nothing to tell (a new policy may keep the same period).
  auto same = [&](const Announced& announced) {
    return current && announced.span.start_ms == current->start_ms &&
           announced.span.end_ms == current->end_ms &&
           announced.period.what == periods_[current->index].what;
  };
  if (announced_ ? same(*announced_) : !current) return;
  supersede(/*period=*/true);
  if (announced_) pending_.push_back({periodEndNotice(announced_->period), version_});
  announced_.reset();
  if (!current) return;
  const RecordingPeriod& period = periods_[current->index];
  // Started before now by more than a timer's lateness: the person arrives during it.
  const bool in_progress = session_start && now_ms - current->start_ms > 1000;
  pending_.push_back({periodStartNotice(period, in_progress), version_});
  announced_ = Announced{*current, period};
}

void NoticeBoard::supersede(bool period) {
  // Notices of a kind still waiting are dropped for newer ones: only the present state is worth
  // telling (the processing notice of the policy in force, the period now starting or ended).
  std::erase_if(pending_, [period](const Pending& waiting) {
    return (waiting.message.id != kProcessingNotice) == period;
  });
}

void NoticeBoard::showProcessing(const SessionPolicy& policy, bool session_start) {
  periods_ = policy.recording_periods;
  version_ = noticeVersion(policy);
  Pending processing{processingNotice(policy), version_};
  const bool same = last_processing_ && last_processing_->version == processing.version &&
                    last_processing_->message.body == processing.message.body;
  if (session_start || !same) {
    supersede(/*period=*/false);
    pending_.push_back(processing);
    last_processing_ = std::move(processing);
  }
  followPeriods(clock_.nowUnixMillis(), session_start);
  deliver();
}

std::optional<int64_t> NoticeBoard::nextDueInMillis() const {
  std::optional<int64_t> due = next_boundary_ms_;
  if (!pending_.empty() && (!due || retry_due_ms_ < *due)) due = retry_due_ms_;
  if (!due) return std::nullopt;
  return std::max<int64_t>(0, *due - clock_.nowUnixMillis());
}

void NoticeBoard::onTime() {
  const int64_t now_ms = clock_.nowUnixMillis();
  const size_t waiting = pending_.size();
  if (next_boundary_ms_ && now_ms >= *next_boundary_ms_) followPeriods(now_ms, false);
  if (pending_.size() != waiting || (!pending_.empty() && now_ms >= retry_due_ms_)) deliver();
}

void NoticeBoard::deliver() {
  while (!pending_.empty()) {
    const Pending& next = pending_.front();
    auto shown = notifier_.show(next.message.summary, next.message.body);
    if (!shown.isOk()) {
      if (retry_delay_ms_ == 0) {
        std::cerr << "vigie-session: notice " << next.message.id << " not shown, "
                  << shown.status().message() << "; trying again\n";
      }
      retry_delay_ms_ = std::clamp(retry_delay_ms_ * 2, kFirstRetryMillis, kMaxRetryMillis);
      retry_due_ms_ = clock_.nowUnixMillis() + retry_delay_ms_;
      return;
    }
    retry_delay_ms_ = 0;
    std::cerr << "vigie-session: notice " << next.message.id << " shown (version " << next.version
              << ", notification " << *shown << ")\n";
    record_(protocol::Notice{next.message.id, next.version});
    pending_.pop_front();
  }
}

}  // namespace vigie::session
