#pragma once

// The words of the notices the person is shown (docs/session-sensor.md, "Notices"): what the
// policy records, why, for how long, who reads it and whom to ask; and when calls may be
// recorded or listened to. Built from the policy only, so the text shown follows its version.

#include <string>

#include "recording_periods.h"
#include "session_policy.h"

namespace vigie::session {

// Notice ids recorded in notice.shown (docs/events.md).
inline constexpr char kProcessingNotice[] = "processing";
inline constexpr char kPeriodStartNotice[] = "recording_period_start";
inline constexpr char kPeriodEndNotice[] = "recording_period_end";

struct NoticeMessage {
  std::string id;
  std::string summary;
  std::string body;  // plain text, lines separated by '\n'
};

NoticeMessage processingNotice(const SessionPolicy& policy);
// `already_started`: the session began during the period (it is in progress, not starting).
NoticeMessage periodStartNotice(const RecordingPeriod& period, bool already_started);
NoticeMessage periodEndNotice(const RecordingPeriod& period);

}  // namespace vigie::session
