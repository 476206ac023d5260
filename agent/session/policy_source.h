#pragma once

// Where vigie-session takes its policy from, and noticing when it changes. By default the
// policy the agent service published (signed by the collector, docs/fleet.md) wins over the
// local file; either being replaced ends the current watch so that the session goes on under
// the new policy, without a restart and without a logoff.

#include <atomic>
#include <string>
#include <vector>

#include "session_policy.h"
#include "vigie/platform/desktop_watcher.h"

namespace vigie::session {

class PolicySource {
 public:
  // `candidates`, in order of preference; the first that exists is used.
  explicit PolicySource(std::vector<std::string> candidates) : candidates_(std::move(candidates)) {}

  // Loads the first candidate that exists (the last one's error when none does).
  StatusOr<SessionPolicy> load(const UserDirectories& user, std::string& loaded_from) const;
  // The directories to watch for a replaced candidate (those of existing candidates' folders).
  std::vector<platform::WatchedDirectory> directories() const;
  bool isCandidate(const std::string& path) const;

 private:
  std::vector<std::string> candidates_;
};

// Hands every desktop event to the sensor, except files written to the policy's own folders
// (places from `first_policy_place` on): a candidate replaced there stops the watcher.
class PolicyChangeListener final : public platform::DesktopListener {
 public:
  PolicyChangeListener(platform::DesktopListener& sensor, platform::DesktopWatcher& watcher,
                       const PolicySource& source, size_t first_policy_place)
      : sensor_(sensor),
        watcher_(watcher),
        source_(source),
        first_policy_place_(first_policy_place) {}

  bool changed() const { return changed_; }

  void onForegroundWindow(const platform::ForegroundWindow& window) override {
    sensor_.onForegroundWindow(window);
  }
  void onClipboardChange(const platform::ClipboardChange& change) override {
    sensor_.onClipboardChange(change);
  }
  void onFileWritten(const platform::FileWritten& file) override;
  void onScreenLock(bool locked) override { sensor_.onScreenLock(locked); }
  void onPrintJob(const platform::PrintJobDone& job) override { sensor_.onPrintJob(job); }
  std::optional<int64_t> nextTimerMillis() const override { return sensor_.nextTimerMillis(); }
  void onTimer() override { sensor_.onTimer(); }

 private:
  platform::DesktopListener& sensor_;
  platform::DesktopWatcher& watcher_;
  const PolicySource& source_;
  const size_t first_policy_place_;
  bool changed_ = false;
};

}  // namespace vigie::session
