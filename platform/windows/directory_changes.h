#pragma once

#include <windows.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vigie/platform/desktop_watcher.h"
#include "win32.h"

namespace vigie::platform::win32 {

// Watches directories with ReadDirectoryChangesW (overlapped, one event handle per directory for
// the watcher's wait). Windows says when a file is created, renamed in or changed, not when its
// writer is done: a file is reported once it has been quiet for kQuietMillis and can be opened
// without sharing (its writer has closed it). A directory with mount_points stands for the
// removable drives (GetDriveType DRIVE_REMOVABLE), each watched whole, found again whenever
// refreshDrives() is called (on WM_DEVICECHANGE). writer_pid stays 0: Windows does not say.
class DirectoryChanges {
 public:
  static constexpr int64_t kQuietMillis = 300;

  explicit DirectoryChanges(std::vector<WatchedDirectory> directories);
  ~DirectoryChanges();
  DirectoryChanges(const DirectoryChanges&) = delete;
  DirectoryChanges& operator=(const DirectoryChanges&) = delete;

  // The events to wait on, one per watched directory; valid until the next refreshDrives().
  std::vector<HANDLE> events() const;
  // Reads the changes of the directory whose event is signalled.
  void onSignalled(HANDLE event);
  // Reports the files whose writers are done; returns when it wants to be called again.
  std::optional<int64_t> deliver(DesktopListener& listener);
  void refreshDrives();

 private:
  struct Watch;
  void watch(const std::string& path, size_t place, bool subtree);
  bool arm(Watch& watch);

  std::vector<WatchedDirectory> directories_;
  std::vector<std::unique_ptr<Watch>> watches_;
  std::map<std::string, std::pair<size_t, int64_t>> pending_;  // path -> place, last change
  std::vector<bool> reported_missing_;
};

}  // namespace vigie::platform::win32
