#pragma once

#include <map>
#include <string>
#include <vector>

#include "vigie/platform/desktop_watcher.h"
#include "vigie/platform/posix_error.h"

namespace vigie::platform {

// Watches directories for files finished being written (IN_CLOSE_WRITE) or moved in
// (IN_MOVED_TO) with inotify. Directories of mount points also have their subdirectories
// watched, re-scanned when the mount table changes (a USB stick mounted under /media/<user>).
// inotify does not say who wrote the file: writer_pid stays 0.
class InotifyPlaces {
 public:
  static StatusOr<std::unique_ptr<InotifyPlaces>> open(std::vector<WatchedDirectory> directories);

  int inotifyFd() const { return inotify_.get(); }
  int mountsFd() const { return mounts_.get(); }  // -1 when no directory holds mount points
  void onInotifyReadable(DesktopListener& listener);
  void onMountsChanged();

 private:
  explicit InotifyPlaces(std::vector<WatchedDirectory> directories, UniqueFd inotify,
                         UniqueFd mounts);
  void watchAll();
  void watch(const std::string& path, size_t place, bool root);

  struct Watch {
    std::string path;
    size_t place = 0;
    bool root = false;  // a configured directory, not a mount point under it
  };
  std::vector<WatchedDirectory> directories_;
  UniqueFd inotify_;
  UniqueFd mounts_;
  std::map<int, Watch> watches_;  // by watch descriptor
  std::vector<bool> reported_missing_;
};

}  // namespace vigie::platform
