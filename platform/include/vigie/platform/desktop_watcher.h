#pragma once

// What a session sensor observes on the person's desktop: the foreground window and its title,
// clipboard copies, files written to watched places, and the screen being locked. One interface,
// one implementation per desktop system (platform/linux/: X11 + inotify). Event-driven: the
// implementation sleeps in the OS until something happens or a listener's timer is due.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vigie/protocol/status.h"

namespace vigie::platform {

struct ForegroundWindow {
  uint64_t window = 0;       // the desktop's window handle; ids may be reused over time
  int32_t pid = 0;           // 0 when unknown
  std::string process;       // executable name of pid ("" when unknown)
  std::string window_class;  // X11 WM_CLASS class part / Windows class name ("" when unknown)
  std::string title;         // UTF-8, at most 1024 bytes
};

// A copy to the clipboard. `text` holds the copied text only while the listener runs, for it to
// be classified in memory; the watcher wipes it afterwards. It is never stored or sent.
struct ClipboardChange {
  int32_t owner_pid = 0;
  std::string owner_process;
  std::string owner_class;
  std::vector<std::string> formats;  // offered targets / formats, at most 32
  uint64_t size_bytes = 0;           // of the main format (text when offered)
  std::optional<std::string> source_url;
  bool text_read = false;  // false when the text was too large, not offered or not answered
  std::string text;
};

struct WatchedDirectory {
  std::string path;
  // The directory holds mount points (removable media under /media/<user>): its subdirectories
  // are watched as well, and re-watched whenever the mount table changes.
  bool mount_points = false;
};

struct FileWritten {
  std::string path;
  size_t place = 0;        // index into DesktopWatchOptions::directories
  int32_t writer_pid = 0;  // 0 when the OS does not say (inotify)
};

// A print job of the session's user that the print system finished. The document's name is
// reduced to a class (its extension, or the kind of its format) before it gets here.
struct PrintJobDone {
  std::string printer;
  uint64_t pages = 0;  // per copy; 0 when the print system did not count them
  uint64_t copies = 1;
  std::string document_class;  // "pdf", "csv", "text", "image", "other", ...
};

class DesktopListener {
 public:
  virtual ~DesktopListener() = default;
  virtual void onForegroundWindow(const ForegroundWindow& window) = 0;
  virtual void onClipboardChange(const ClipboardChange& change) = 0;
  virtual void onFileWritten(const FileWritten& file) = 0;
  virtual void onScreenLock(bool locked) = 0;
  virtual void onPrintJob(const PrintJobDone& job) = 0;
  // Monotonic milliseconds (steadyMillis()) at which onTimer() is wanted; nullopt for none.
  virtual std::optional<int64_t> nextTimerMillis() const = 0;
  virtual void onTimer() = 0;
};

struct DesktopWatchOptions {
  std::string display;  // "" = the session's default ($DISPLAY)
  std::vector<WatchedDirectory> directories;
  bool clipboard = true;
  bool print = false;  // follow the print system's jobs of this user (CUPS on Linux)
  size_t max_clipboard_text_bytes = 1 << 20;  // larger copies are measured, not read
};

class DesktopWatcher {
 public:
  virtual ~DesktopWatcher() = default;
  // Delivers events to `listener` until stop() is called (returns OK) or the desktop session
  // ends (returns an I/O error "display closed"). Runs on the calling thread.
  virtual Status run(DesktopListener& listener) = 0;
  // Makes run() return. Async-signal-safe and thread-safe.
  virtual void stop() = 0;
};
using DesktopWatcherPtr = std::unique_ptr<DesktopWatcher>;

// Connects to the desktop. Fails with a clear message when there is no display. Watched
// directories that do not exist yet are reported on stderr and skipped.
StatusOr<DesktopWatcherPtr> openDesktopWatcher(const DesktopWatchOptions& options);

// Monotonic clock in milliseconds, the one nextTimerMillis() is compared against.
int64_t steadyMillis();

}  // namespace vigie::platform
