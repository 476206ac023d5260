#include "inotify_places.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

namespace vigie::platform {
namespace {
constexpr uint32_t kFileMask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_ONLYDIR;
constexpr uint32_t kMountRootMask = kFileMask | IN_CREATE;
}  // namespace

StatusOr<std::unique_ptr<InotifyPlaces>> InotifyPlaces::open(
    std::vector<WatchedDirectory> directories) {
  UniqueFd inotify(inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
  if (!inotify.valid()) return posixError("inotify_init1", errno);
  UniqueFd mounts;
  for (const WatchedDirectory& directory : directories) {
    if (directory.mount_points && !mounts.valid()) {
      // The kernel flags this file (POLLPRI) whenever the mount table changes.
      mounts = UniqueFd(::open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC));
      if (!mounts.valid()) return posixError("open /proc/self/mountinfo", errno);
    }
  }
  std::unique_ptr<InotifyPlaces> places(
      new InotifyPlaces(std::move(directories), std::move(inotify), std::move(mounts)));
  places->watchAll();
  return places;
}

InotifyPlaces::InotifyPlaces(std::vector<WatchedDirectory> directories, UniqueFd inotify,
                             UniqueFd mounts)
    : directories_(std::move(directories)),
      inotify_(std::move(inotify)),
      mounts_(std::move(mounts)),
      reported_missing_(directories_.size(), false) {}

void InotifyPlaces::watch(const std::string& path, size_t place, bool root) {
  const uint32_t mask = root && directories_[place].mount_points ? kMountRootMask : kFileMask;
  const int wd = inotify_add_watch(inotify_.get(), path.c_str(), mask);
  if (wd < 0) {
    if (root && !reported_missing_[place]) {
      std::cerr << "vigie-session: not watching " << path << ": " << std::strerror(errno) << "\n";
      reported_missing_[place] = true;
    }
    return;
  }
  watches_[wd] = Watch{path, place, root};
}

void InotifyPlaces::watchAll() {
  for (size_t place = 0; place < directories_.size(); ++place) {
    const WatchedDirectory& directory = directories_[place];
    watch(directory.path, place, true);
    if (!directory.mount_points) continue;
    DIR* dir = opendir(directory.path.c_str());
    if (dir == nullptr) continue;
    while (const dirent* entry = readdir(dir)) {
      const std::string name = entry->d_name;
      if (name == "." || name == "..") continue;
      if (entry->d_type == DT_DIR || entry->d_type == DT_UNKNOWN) {
        watch(directory.path + "/" + name, place, false);
      }
    }
    closedir(dir);
  }
}

void InotifyPlaces::onMountsChanged() {
  char scratch[4096];
  (void)lseek(mounts_.get(), 0, SEEK_SET);
  while (read(mounts_.get(), scratch, sizeof scratch) > 0) {
  }
  // A new mount on a watched path is a new inode: adding the watch again picks it up.
  watchAll();
}

void InotifyPlaces::onInotifyReadable(DesktopListener& listener) {
  alignas(inotify_event) char buffer[16 * 1024];
  while (true) {
    const ssize_t got = read(inotify_.get(), buffer, sizeof buffer);
    if (got <= 0) return;  // EAGAIN: drained
    for (ssize_t offset = 0; offset < got;) {
      const auto* event = reinterpret_cast<const inotify_event*>(buffer + offset);
      offset += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
      if ((event->mask & IN_IGNORED) != 0) {
        watches_.erase(event->wd);
        continue;
      }
      const auto found = watches_.find(event->wd);
      if (found == watches_.end() || event->len == 0) continue;
      const Watch where = found->second;
      const std::string path = where.path + "/" + event->name;
      if ((event->mask & IN_ISDIR) != 0) {
        if ((event->mask & IN_CREATE) != 0 && where.root) watch(path, where.place, false);
        continue;
      }
      if ((event->mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) != 0) {
        listener.onFileWritten(FileWritten{path, where.place, 0});
      }
    }
  }
}

}  // namespace vigie::platform
