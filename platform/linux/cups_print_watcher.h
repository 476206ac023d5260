#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "vigie/platform/desktop_watcher.h"
#include "vigie/platform/posix_error.h"

namespace vigie::platform {

// Learns of the person's finished print jobs from CUPS through an IPP subscription
// (job-completed events, pulled with Get-Notifications and notify-wait: the server answers when
// something happened). Runs on a thread of its own; jobs are handed to the watcher's loop
// through an eventfd. Only jobs whose originating user is `user` are reported; the job's name is
// reduced to a document class and never leaves. When CUPS is not reachable it says so once and
// tries again every 30 s.
class CupsPrintWatcher {
 public:
  static StatusOr<std::unique_ptr<CupsPrintWatcher>> start(std::string user);
  ~CupsPrintWatcher();  // stops the thread
  CupsPrintWatcher(const CupsPrintWatcher&) = delete;
  CupsPrintWatcher& operator=(const CupsPrintWatcher&) = delete;

  int readyFd() const { return ready_.get(); }
  void deliver(DesktopListener& listener);  // on the watcher's thread, when readyFd() is readable

 private:
  CupsPrintWatcher(std::string user, UniqueFd ready);
  void run();
  bool waitOrStop(int seconds);  // false when stopping

  const std::string user_;
  UniqueFd ready_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::vector<PrintJobDone> jobs_;  // GUARDED_BY(mu_)
  bool stopping_ = false;           // GUARDED_BY(mu_)
  void* http_ = nullptr;            // GUARDED_BY(mu_): the open connection, to shut it down
  std::thread thread_;
};

}  // namespace vigie::platform
