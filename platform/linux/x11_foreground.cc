#include "x11_foreground.h"

#include <cstring>

#include "process_name.h"

namespace vigie::platform::x11 {
namespace {
constexpr size_t kMaxTitleBytes = 1024;
}

ForegroundTracker::ForegroundTracker(Connection& x)
    : x_(x),
      net_active_window_(x.atom("_NET_ACTIVE_WINDOW")),
      net_wm_name_(x.atom("_NET_WM_NAME")),
      net_wm_pid_(x.atom("_NET_WM_PID")) {}

void ForegroundTracker::start(DesktopListener& listener) {
  const uint32_t mask = XCB_EVENT_MASK_PROPERTY_CHANGE;
  xcb_change_window_attributes(x_.get(), x_.root(), XCB_CW_EVENT_MASK, &mask);
  refreshActive(listener);
}

bool ForegroundTracker::onPropertyNotify(const xcb_property_notify_event_t& event,
                                         DesktopListener& listener) {
  if (event.window == x_.root() && event.atom == net_active_window_) {
    refreshActive(listener);
    return true;
  }
  if (event.window == active_ && active_ != XCB_WINDOW_NONE &&
      (event.atom == net_wm_name_ || event.atom == XCB_ATOM_WM_NAME)) {
    report(listener);
    return true;
  }
  return false;
}

void ForegroundTracker::refreshActive(DesktopListener& listener) {
  const std::string value = x_.readProperty(x_.root(), net_active_window_, 4);
  xcb_window_t window = XCB_WINDOW_NONE;
  if (value.size() == 4) std::memcpy(&window, value.data(), 4);
  if (window == XCB_WINDOW_NONE) return;  // transient during a switch
  // Window ids are reused: select title changes on every activation, not only on new ids.
  const uint32_t mask = XCB_EVENT_MASK_PROPERTY_CHANGE;
  xcb_change_window_attributes(x_.get(), window, XCB_CW_EVENT_MASK, &mask);
  active_ = window;
  report(listener);
}

void ForegroundTracker::report(DesktopListener& listener) {
  ForegroundWindow info;
  info.window = active_;
  xcb_atom_t type = XCB_NONE;
  std::string title = x_.readProperty(active_, net_wm_name_, kMaxTitleBytes, &type);
  if (type == XCB_NONE) title = x_.readProperty(active_, XCB_ATOM_WM_NAME, kMaxTitleBytes);
  info.title = sanitizedUtf8(title, kMaxTitleBytes);
  // WM_CLASS is "instance\0class\0".
  const std::string wm_class = x_.readProperty(active_, XCB_ATOM_WM_CLASS, 512);
  const size_t split = wm_class.find('\0');
  if (split != std::string::npos) {
    info.window_class = sanitizedUtf8(wm_class.substr(split + 1).c_str(), 256);
  }
  const std::string pid = x_.readProperty(active_, net_wm_pid_, 4);
  if (pid.size() == 4) {
    uint32_t value = 0;
    std::memcpy(&value, pid.data(), 4);
    info.pid = static_cast<int32_t>(value);
  }
  if (info.pid <= 0) info.pid = x_.clientPid(active_);
  info.process = sanitizedUtf8(processName(info.pid), 256);
  listener.onForegroundWindow(info);
}

}  // namespace vigie::platform::x11
