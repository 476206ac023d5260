// Notices on Windows: a balloon from Vigie's icon in the notification area (Shell_NotifyIcon),
// the icon staying there while the sensor runs so that the person sees it is recording. The
// shell accepting the icon is the proof that the notice was shown.

// clang-format off
#include <windows.h>  // first: the other win32 headers need its types
// clang-format on
#include <shellapi.h>

#include "vigie/platform/notifier.h"
#include "win32.h"

namespace vigie::platform {
namespace {

constexpr UINT kIconId = 1;
constexpr wchar_t kWindowClass[] = L"VigieNoticeWindow";

// Fits `text` into a fixed wide buffer of `N` characters, with an ellipsis when it is cut.
template <size_t N>
void copyInto(wchar_t (&target)[N], const std::string& text) {
  std::wstring wide = win32::widen(text);
  if (wide.size() >= N) {
    wide.resize(N - 2);
    wide += L"\u2026";
  }
  std::copy(wide.begin(), wide.end(), target);
  target[wide.size()] = L'\0';
}

class TrayNotifier final : public Notifier {
 public:
  explicit TrayNotifier(std::string app_name) : app_name_(std::move(app_name)) {}
  ~TrayNotifier() override {
    if (icon_added_) {
      NOTIFYICONDATAW data = iconData();
      Shell_NotifyIconW(NIM_DELETE, &data);
    }
    if (window_ != nullptr) DestroyWindow(window_);
  }

  StatusOr<uint32_t> show(const std::string& summary, const std::string& body) override {
    if (window_ == nullptr) {
      WNDCLASSW window_class{};
      window_class.lpfnWndProc = DefWindowProcW;
      window_class.hInstance = GetModuleHandleW(nullptr);
      window_class.lpszClassName = kWindowClass;
      RegisterClassW(&window_class);  // fails harmlessly when already registered
      window_ = CreateWindowExW(0, kWindowClass, L"Vigie", 0, 0, 0, 0, 0, HWND_MESSAGE, nullptr,
                                GetModuleHandleW(nullptr), nullptr);
      if (window_ == nullptr) return win32::win32Error("create the notice window");
    }
    NOTIFYICONDATAW data = iconData();
    data.uFlags = NIF_ICON | NIF_TIP | NIF_INFO;
    data.hIcon = LoadIconW(nullptr, IDI_INFORMATION);
    copyInto(data.szTip, app_name_);
    copyInto(data.szInfoTitle, summary);
    copyInto(data.szInfo, body);
    data.dwInfoFlags = NIIF_INFO;
    // The icon is re-added when the shell restarted (or was not there at the last notice).
    if (!icon_added_ || !Shell_NotifyIconW(NIM_MODIFY, &data)) {
      if (!Shell_NotifyIconW(NIM_ADD, &data)) {
        icon_added_ = false;
        return Status::ioError("the notification area did not take the notice");
      }
      icon_added_ = true;
    }
    return ++shown_;
  }

 private:
  NOTIFYICONDATAW iconData() const {
    NOTIFYICONDATAW data{};
    data.cbSize = sizeof data;
    data.hWnd = window_;
    data.uID = kIconId;
    return data;
  }

  const std::string app_name_;
  HWND window_ = nullptr;
  bool icon_added_ = false;
  uint32_t shown_ = 0;
};

}  // namespace

NotifierPtr newDesktopNotifier(std::string app_name) {
  return std::make_unique<TrayNotifier>(std::move(app_name));
}

}  // namespace vigie::platform
