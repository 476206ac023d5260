#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "notice_text.h"
#include "recording_periods.h"
#include "session_policy.h"
#include "vigie/platform/clock.h"
#include "vigie/platform/local_time.h"
#include "vigie/platform/notifier.h"
#include "vigie/protocol/event.h"

namespace vigie::session {

// Tells the person, on the desktop, what the policy records (at session start and whenever a new
// policy is in force) and when calls may be recorded or listened to (at the start and end of each
// recording period, and at session start during one). A notice counts as shown only when the
// notification service accepted it; then `record` is called with its notice.shown data (version
// = noticeVersion of the policy). A notice the service could not take is said on stderr and
// tried again later (1 s, doubling up to 60 s) until shown or superseded by a newer one of its
// kind. Driven by the sensor's event loop: nextDueInMillis() and onTime(); no thread of its own.
// Not thread-safe.
class NoticeBoard {
 public:
  using Recorder = std::function<void(protocol::Notice)>;

  NoticeBoard(platform::Notifier& notifier, Recorder record, platform::Clock& clock,
              const platform::TimeZone& zone);

  void sessionStarted(const SessionPolicy& policy);
  // A new policy is in force: its processing notice is shown (unless it says word for word what
  // the last one said, under the same version), periods follow the new schedule.
  void policyChanged(const SessionPolicy& policy);

  // Milliseconds from now until onTime() is wanted (0 when overdue); nullopt for never.
  std::optional<int64_t> nextDueInMillis() const;
  // Shows what became due: period boundaries passed, notices waiting for another try.
  void onTime();

 private:
  struct Pending {
    NoticeMessage message;
    std::string version;
  };
  // The period occurrence announced as in progress, with the words it was announced with.
  struct Announced {
    PeriodSpan span;
    RecordingPeriod period;
  };

  void showProcessing(const SessionPolicy& policy, bool session_start);
  // Compares the period in progress with the one announced; queues end and start notices.
  void followPeriods(int64_t now_ms, bool session_start);
  void supersede(bool period);
  void deliver();

  platform::Notifier& notifier_;
  const Recorder record_;
  platform::Clock& clock_;
  const platform::TimeZone& zone_;
  std::vector<RecordingPeriod> periods_;
  std::string version_;
  std::optional<Announced> announced_;
  std::optional<int64_t> next_boundary_ms_;
  std::deque<Pending> pending_;
  std::optional<Pending> last_processing_;  // the processing notice last queued
  int64_t retry_due_ms_ = 0;
  int64_t retry_delay_ms_ = 0;  // 0 while the notification service takes notices
};

}  // namespace vigie::session
