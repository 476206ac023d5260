// The Windows desktop watcher: one thread asleep in MsgWaitForMultipleObjects on its windows'
// messages, the watched directories, and a stop event; woken by events, by the listener's next
// timer, and — where window events do not come (wine) — by the foreground poll.
//
// Windows: a message-only window takes clipboard updates (AddClipboardFormatListener) and
// session lock/unlock (WTSRegisterSessionNotification); a hidden top-level window takes
// WM_DEVICECHANGE, which is broadcast to top-level windows only (removable drives). The
// foreground window comes from SetWinEventHook (EVENT_SYSTEM_FOREGROUND, name changes) on
// Windows, and from polling GetForegroundWindow under wine, which does not deliver those events.
// A WM_CLOSE (taskkill without /f) ends run() normally; the end of the Windows session ends it
// with an error, as the display closing does on Linux.

// clang-format off
#include <windows.h>  // first: the other win32 headers need its types
// clang-format on
#include "vigie/platform/desktop_watcher.h"

#include <dbt.h>
#include <wtsapi32.h>

#include <algorithm>
#include <iostream>

#include "clipboard_reader.h"
#include "directory_changes.h"
#include "spooler_jobs.h"
#include "vigie/platform/process_context.h"
#include "vigie/protocol/utf8.h"
#include "win32.h"

namespace vigie::platform {
namespace {

constexpr wchar_t kWindowClass[] = L"VigieSessionWatcher";
constexpr int64_t kForegroundPollMillis = 100;
constexpr size_t kMaxTitleBytes = 1024;
constexpr DWORD kClipboardTimeoutMillis = 2000;

// Whether window events are known not to come: wine exports wine_get_version from ntdll.
bool windowEventsMissing() {
  HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
  return ntdll != nullptr && GetProcAddress(ntdll, "wine_get_version") != nullptr;
}

ForegroundWindow describeWindow(HWND window) {
  ForegroundWindow out;
  out.window = reinterpret_cast<uintptr_t>(window);
  win32::WindowOwner owner = win32::windowOwner(window);
  out.pid = owner.pid;
  out.process = std::move(owner.process);
  out.window_class = std::move(owner.window_class);
  std::wstring title(static_cast<size_t>(GetWindowTextLengthW(window)) + 1, L'\0');
  const int length = GetWindowTextW(window, title.data(), static_cast<int>(title.size()));
  title.resize(static_cast<size_t>(std::max(length, 0)));
  out.title = protocol::truncateUtf8(win32::narrow(title), kMaxTitleBytes);
  return out;
}

class Win32DesktopWatcher;
Win32DesktopWatcher* g_hooked = nullptr;  // the watcher the window-event hook reports to

class Win32DesktopWatcher final : public DesktopWatcher {
 public:
  explicit Win32DesktopWatcher(const DesktopWatchOptions& options)
      : options_(options), stop_(CreateEventW(nullptr, TRUE, FALSE, nullptr)) {}

  Status run(DesktopListener& listener) override {
    listener_ = &listener;
    VIGIE_RETURN_IF_ERROR(createWindows());
    win32::DirectoryChanges places(options_.directories);
    places_ = &places;
    if (options_.clipboard && !AddClipboardFormatListener(message_window_)) {
      Status failed = win32::win32Error("listen to the clipboard");
      destroyWindows();
      return failed;
    }
    if (!WTSRegisterSessionNotification(message_window_, NOTIFY_FOR_THIS_SESSION)) {
      std::cerr << "vigie-session: lock/unlock not seen: "
                << win32::win32Error("WTSRegisterSessionNotification").message() << "\n";
    }
    std::unique_ptr<win32::SpoolerJobs> print;
    if (options_.print) {
      auto opened = win32::SpoolerJobs::open(currentUser().name);
      if (opened.isOk()) {
        print = std::move(opened).value();
      } else {
        std::cerr << "vigie-session: print jobs not followed: " << opened.status().message()
                  << "\n";
      }
    }
    const bool poll = windowEventsMissing();
    if (!poll) hookWindowEvents();
    checkForeground();

    Status ended;
    while (!ended_ && !close_requested_) {
      std::vector<HANDLE> handles = places.events();
      handles.insert(handles.begin(), stop_.get());
      if (print) handles.push_back(print->event());
      std::optional<int64_t> due = listener.nextTimerMillis();
      if (const auto files = places.deliver(listener); files && (!due || *files < *due)) {
        due = files;
      }
      const int64_t now = steadyMillis();
      if (poll && (!due || *due > now + kForegroundPollMillis)) due = now + kForegroundPollMillis;
      const DWORD timeout =
          !due ? INFINITE : static_cast<DWORD>(std::clamp<int64_t>(*due - now, 0, 60'000));
      const DWORD woken =
          MsgWaitForMultipleObjectsEx(static_cast<DWORD>(handles.size()), handles.data(), timeout,
                                      QS_ALLINPUT, MWMO_INPUTAVAILABLE);
      if (woken == WAIT_OBJECT_0) break;  // stop()
      if (woken > WAIT_OBJECT_0 && woken < WAIT_OBJECT_0 + handles.size()) {
        const HANDLE signalled = handles[woken - WAIT_OBJECT_0];
        if (print && signalled == print->event()) {
          print->onSignalled(listener);
        } else {
          places.onSignalled(signalled);
        }
      }
      MSG message;
      while (PeekMessageW(&message, nullptr, 0, 0, PM_REMOVE)) {
        if (message.message == WM_QUIT) ended_ = true;
        DispatchMessageW(&message);
      }
      if (poll) checkForeground();
      if (auto timer = listener.nextTimerMillis(); timer && steadyMillis() >= *timer) {
        listener.onTimer();
      }
    }
    if (ended_) ended = Status::ioError("desktop session ended");
    unhookWindowEvents();
    if (options_.clipboard) RemoveClipboardFormatListener(message_window_);
    WTSUnRegisterSessionNotification(message_window_);
    destroyWindows();
    places_ = nullptr;
    listener_ = nullptr;
    return ended;
  }

  void stop() override { SetEvent(stop_.get()); }

 private:
  Status createWindows() {
    WNDCLASSW window_class{};
    window_class.lpfnWndProc = &Win32DesktopWatcher::windowProc;
    window_class.hInstance = GetModuleHandleW(nullptr);
    window_class.lpszClassName = kWindowClass;
    RegisterClassW(&window_class);  // fails harmlessly when already registered
    message_window_ = CreateWindowExW(0, kWindowClass, L"Vigie", 0, 0, 0, 0, 0, HWND_MESSAGE,
                                      nullptr, GetModuleHandleW(nullptr), this);
    device_window_ = CreateWindowExW(WS_EX_TOOLWINDOW, kWindowClass, L"Vigie", WS_POPUP, 0, 0, 0, 0,
                                     nullptr, nullptr, GetModuleHandleW(nullptr), this);
    if (message_window_ == nullptr || device_window_ == nullptr) {
      Status failed = win32::win32Error("create the watcher's windows");
      destroyWindows();
      return failed;
    }
    return Status::ok();
  }

  void destroyWindows() {
    if (message_window_ != nullptr) DestroyWindow(message_window_);
    if (device_window_ != nullptr) DestroyWindow(device_window_);
    message_window_ = device_window_ = nullptr;
  }

  static LRESULT CALLBACK windowProc(HWND window, UINT message, WPARAM wparam, LPARAM lparam) {
    if (message == WM_NCCREATE) {
      const auto* create = reinterpret_cast<const CREATESTRUCTW*>(lparam);
      SetWindowLongPtrW(window, GWLP_USERDATA, reinterpret_cast<LONG_PTR>(create->lpCreateParams));
    }
    auto* self = reinterpret_cast<Win32DesktopWatcher*>(GetWindowLongPtrW(window, GWLP_USERDATA));
    if (self != nullptr && self->listener_ != nullptr) {
      if (std::optional<LRESULT> handled = self->onMessage(message, wparam)) return *handled;
    }
    return DefWindowProcW(window, message, wparam, lparam);
  }

  std::optional<LRESULT> onMessage(UINT message, WPARAM wparam) {
    switch (message) {
      case WM_CLIPBOARDUPDATE:
        onClipboardUpdate();
        return 0;
      case WM_WTSSESSION_CHANGE:
        if (wparam == WTS_SESSION_LOCK) listener_->onScreenLock(true);
        if (wparam == WTS_SESSION_UNLOCK) listener_->onScreenLock(false);
        return 0;
      case WM_DEVICECHANGE:
        if (wparam == DBT_DEVICEARRIVAL || wparam == DBT_DEVICEREMOVECOMPLETE) {
          places_->refreshDrives();
        }
        return TRUE;
      case WM_ENDSESSION:
        if (wparam != 0) ended_ = true;
        return 0;
      case WM_CLOSE:  // taskkill without /f: a request to stop, as SIGTERM is on Linux
        close_requested_ = true;
        return 0;
      default:
        return std::nullopt;
    }
  }

  void onClipboardUpdate() {
    // One copy can notify more than once (each format set): report each sequence number once.
    const DWORD sequence = GetClipboardSequenceNumber();
    if (sequence == last_clipboard_sequence_) return;
    last_clipboard_sequence_ = sequence;
    ClipboardChange change =
        win32::readClipboard(options_.max_clipboard_text_bytes, kClipboardTimeoutMillis);
    listener_->onClipboardChange(change);
    SecureZeroMemory(change.text.data(), change.text.size());
  }

  void checkForeground() {
    HWND window = GetForegroundWindow();
    if (window == nullptr) return;
    ForegroundWindow now = describeWindow(window);
    if (now.window == last_foreground_.window && now.title == last_foreground_.title) return;
    last_foreground_ = now;
    listener_->onForegroundWindow(now);
  }

  static void CALLBACK onWindowEvent(HWINEVENTHOOK, DWORD event, HWND window, LONG object, LONG,
                                     DWORD, DWORD) {
    if (g_hooked == nullptr || object != OBJID_WINDOW) return;
    if (event == EVENT_OBJECT_NAMECHANGE && window != GetForegroundWindow()) return;
    g_hooked->checkForeground();
  }

  void hookWindowEvents() {
    g_hooked = this;
    foreground_hook_ = SetWinEventHook(EVENT_SYSTEM_FOREGROUND, EVENT_SYSTEM_FOREGROUND, nullptr,
                                       onWindowEvent, 0, 0, WINEVENT_OUTOFCONTEXT);
    title_hook_ = SetWinEventHook(EVENT_OBJECT_NAMECHANGE, EVENT_OBJECT_NAMECHANGE, nullptr,
                                  onWindowEvent, 0, 0, WINEVENT_OUTOFCONTEXT);
  }

  void unhookWindowEvents() {
    if (foreground_hook_ != nullptr) UnhookWinEvent(foreground_hook_);
    if (title_hook_ != nullptr) UnhookWinEvent(title_hook_);
    foreground_hook_ = title_hook_ = nullptr;
    g_hooked = nullptr;
  }

  const DesktopWatchOptions options_;
  win32::UniqueHandle stop_;
  DesktopListener* listener_ = nullptr;
  win32::DirectoryChanges* places_ = nullptr;
  HWND message_window_ = nullptr;
  HWND device_window_ = nullptr;
  HWINEVENTHOOK foreground_hook_ = nullptr;
  HWINEVENTHOOK title_hook_ = nullptr;
  ForegroundWindow last_foreground_;
  DWORD last_clipboard_sequence_ = 0;
  bool ended_ = false;
  bool close_requested_ = false;
};

}  // namespace

StatusOr<DesktopWatcherPtr> openDesktopWatcher(const DesktopWatchOptions& options) {
  if (GetDesktopWindow() == nullptr) return Status::ioError("no desktop in this session");
  return DesktopWatcherPtr(new Win32DesktopWatcher(options));
}

}  // namespace vigie::platform
