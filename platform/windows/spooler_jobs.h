#pragma once

#include <windows.h>

#include <map>
#include <memory>
#include <string>

#include "vigie/platform/desktop_watcher.h"
#include "win32.h"

namespace vigie::platform::win32 {

// Print jobs of one account on the local print server, from the spooler's change notifications
// (FindFirstPrinterChangeNotification with job fields): a job is reported once, when the
// spooler marks it printed, with its printer, pages, copies and the class of its document —
// never the document's name. The watcher waits on event() with its other handles.
class SpoolerJobs {
 public:
  // Fails with a clear message when the spooler gives no change notifications (wine's does not).
  static StatusOr<std::unique_ptr<SpoolerJobs>> open(std::string user);
  ~SpoolerJobs();
  SpoolerJobs(const SpoolerJobs&) = delete;
  SpoolerJobs& operator=(const SpoolerJobs&) = delete;

  HANDLE event() const { return change_; }
  void onSignalled(DesktopListener& listener);

 private:
  struct Job {
    std::string printer;
    std::string user;
    std::string document;
    uint64_t pages = 0;
    uint64_t copies = 1;
    DWORD status = 0;
    bool reported = false;
  };
  SpoolerJobs(HANDLE server, HANDLE change, std::string user)
      : server_(server), change_(change), user_(std::move(user)) {}
  void deliver(DesktopListener& listener);

  HANDLE server_;
  HANDLE change_;
  const std::string user_;
  std::map<DWORD, Job> jobs_;  // by spooler job id
};

}  // namespace vigie::platform::win32
