#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "notice_board.h"
#include "service_link.h"
#include "session_policy.h"
#include "vigie/platform/desktop_watcher.h"
#include "vigie/protocol/event.h"

namespace vigie::session {

// Turns what the desktop watcher sees into event drafts under the policy and hands them to the
// service link. Window changes are debounced (window managers and browsers pass through interim
// states on each switch) and a record is reported again only after another window was in front.
// Clipboard text is classified here, in memory, and never kept.
class SessionSensor final : public platform::DesktopListener {
 public:
  static constexpr int64_t kDefaultDebounceMillis = 150;

  SessionSensor(const SessionPolicy& policy, ServiceLink& link, std::string session_id,
                int64_t debounce_millis = kDefaultDebounceMillis);

  // The session.logon line, the link's greeting.
  static std::string logonLine(const std::string& session_id);
  // Sends session.logoff and closes the link.
  void end();
  // The notice.shown line for a notice the desktop accepted.
  static std::string noticeLine(const std::string& session_id, protocol::Notice notice);
  // Notices are shown on this sensor's timers; `board` outlives the sensor's run.
  void setNoticeBoard(NoticeBoard* board) { notices_ = board; }

  void onForegroundWindow(const platform::ForegroundWindow& window) override;
  void onClipboardChange(const platform::ClipboardChange& change) override;
  void onFileWritten(const platform::FileWritten& file) override;
  void onScreenLock(bool locked) override;
  void onPrintJob(const platform::PrintJobDone& job) override;
  std::optional<int64_t> nextTimerMillis() const override;
  void onTimer() override;

 private:
  void considerWindow(platform::ForegroundWindow window);
  void emit(protocol::EventType type, protocol::Payload data);

  const SessionPolicy& policy_;
  ServiceLink& link_;
  const std::string session_id_;
  const int64_t debounce_millis_;
  std::optional<platform::ForegroundWindow> pending_window_;
  int64_t window_due_ = 0;
  std::string last_window_event_;  // data of the last window event, "" after an unnamed window
  std::optional<bool> locked_;
  NoticeBoard* notices_ = nullptr;
};

}  // namespace vigie::session
