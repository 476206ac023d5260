#include "directory_changes.h"

#include <iostream>

namespace vigie::platform::win32 {

struct DirectoryChanges::Watch {
  std::string path;
  size_t place = 0;
  bool subtree = false;
  UniqueHandle directory;
  UniqueHandle event;
  OVERLAPPED overlapped{};
  alignas(DWORD) unsigned char buffer[32 * 1024];
};

DirectoryChanges::DirectoryChanges(std::vector<WatchedDirectory> directories)
    : directories_(std::move(directories)), reported_missing_(directories_.size(), false) {
  for (size_t place = 0; place < directories_.size(); ++place) {
    if (!directories_[place].mount_points) watch(directories_[place].path, place, false);
  }
  refreshDrives();
}

DirectoryChanges::~DirectoryChanges() {
  for (auto& w : watches_) {
    CancelIoEx(w->directory.get(), &w->overlapped);
    DWORD ignored = 0;
    GetOverlappedResult(w->directory.get(), &w->overlapped, &ignored, TRUE);
  }
}

void DirectoryChanges::watch(const std::string& path, size_t place, bool subtree) {
  auto w = std::make_unique<Watch>();
  w->path = path;
  while (w->path.size() > 3 && (w->path.back() == '\\' || w->path.back() == '/')) {
    w->path.pop_back();
  }
  w->place = place;
  w->subtree = subtree;
  w->directory = UniqueHandle(
      CreateFileW(widen(w->path).c_str(), FILE_LIST_DIRECTORY,
                  FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr, OPEN_EXISTING,
                  FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OVERLAPPED, nullptr));
  if (!w->directory.valid()) {
    if (!reported_missing_[place]) {
      std::cerr << "vigie-session: not watching " << path << ": " << win32Error("open").message()
                << "\n";
      reported_missing_[place] = true;
    }
    return;
  }
  w->event = UniqueHandle(CreateEventW(nullptr, TRUE, FALSE, nullptr));
  if (arm(*w)) watches_.push_back(std::move(w));
}

bool DirectoryChanges::arm(Watch& w) {
  ResetEvent(w.event.get());
  w.overlapped = OVERLAPPED{};
  w.overlapped.hEvent = w.event.get();
  constexpr DWORD kFilter =
      FILE_NOTIFY_CHANGE_FILE_NAME | FILE_NOTIFY_CHANGE_LAST_WRITE | FILE_NOTIFY_CHANGE_SIZE;
  return ReadDirectoryChangesW(w.directory.get(), w.buffer, sizeof w.buffer,
                               w.subtree ? TRUE : FALSE, kFilter, nullptr, &w.overlapped,
                               nullptr) != 0;
}

std::vector<HANDLE> DirectoryChanges::events() const {
  std::vector<HANDLE> handles;
  for (const auto& w : watches_) handles.push_back(w->event.get());
  return handles;
}

void DirectoryChanges::onSignalled(HANDLE event) {
  for (auto& w : watches_) {
    if (w->event.get() != event) continue;
    DWORD size = 0;
    if (GetOverlappedResult(w->directory.get(), &w->overlapped, &size, FALSE) && size > 0) {
      const int64_t now = steadyMillis();
      for (DWORD offset = 0;;) {
        const auto* info = reinterpret_cast<const FILE_NOTIFY_INFORMATION*>(w->buffer + offset);
        if (info->Action == FILE_ACTION_ADDED || info->Action == FILE_ACTION_MODIFIED ||
            info->Action == FILE_ACTION_RENAMED_NEW_NAME) {
          const std::string name =
              narrow(std::wstring_view(info->FileName, info->FileNameLength / sizeof(wchar_t)));
          const std::string separator = w->path.ends_with('\\') ? "" : "\\";
          pending_[w->path + separator + name] = {w->place, now};
        }
        if (info->NextEntryOffset == 0) break;
        offset += info->NextEntryOffset;
      }
    }
    // Size 0: the buffer overflowed and the changes were lost; nothing to name.
    arm(*w);
    return;
  }
}

std::optional<int64_t> DirectoryChanges::deliver(DesktopListener& listener) {
  std::optional<int64_t> next;
  const int64_t now = steadyMillis();
  for (auto it = pending_.begin(); it != pending_.end();) {
    const auto& [path, change] = *it;
    const int64_t due = change.second + kQuietMillis;
    if (due > now) {
      next = next ? std::min(*next, due) : due;
      ++it;
      continue;
    }
    const std::wstring wide = widen(path);
    const DWORD attributes = GetFileAttributesW(wide.c_str());
    if (attributes == INVALID_FILE_ATTRIBUTES || (attributes & FILE_ATTRIBUTE_DIRECTORY) != 0) {
      it = pending_.erase(it);  // gone again, or a folder
      continue;
    }
    // No sharing: fails while the writer (or anyone) still has the file open.
    UniqueHandle probe(CreateFileW(wide.c_str(), GENERIC_READ, 0, nullptr, OPEN_EXISTING,
                                   FILE_ATTRIBUTE_NORMAL, nullptr));
    if (!probe.valid()) {
      it->second.second = now;
      next = next ? std::min(*next, now + kQuietMillis) : now + kQuietMillis;
      ++it;
      continue;
    }
    probe.reset();
    listener.onFileWritten(FileWritten{path, change.first, 0});
    it = pending_.erase(it);
  }
  return next;
}

void DirectoryChanges::refreshDrives() {
  size_t removable_place = directories_.size();
  for (size_t place = 0; place < directories_.size(); ++place) {
    if (directories_[place].mount_points) removable_place = place;
  }
  if (removable_place == directories_.size()) return;
  std::erase_if(watches_, [&](const std::unique_ptr<Watch>& w) {
    if (w->place != removable_place) return false;
    CancelIoEx(w->directory.get(), &w->overlapped);
    DWORD ignored = 0;
    GetOverlappedResult(w->directory.get(), &w->overlapped, &ignored, TRUE);
    return true;
  });
  const DWORD drives = GetLogicalDrives();
  for (int letter = 0; letter < 26; ++letter) {
    if ((drives & (1u << letter)) == 0) continue;
    const std::string root = std::string(1, static_cast<char>('A' + letter)) + ":\\";
    if (GetDriveTypeW(widen(root).c_str()) == DRIVE_REMOVABLE) watch(root, removable_place, true);
  }
}

}  // namespace vigie::platform::win32
