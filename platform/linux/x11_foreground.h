#pragma once

#include <xcb/xcb.h>

#include "vigie/platform/desktop_watcher.h"
#include "x11_connection.h"

namespace vigie::platform::x11 {

// Follows _NET_ACTIVE_WINDOW on the root window and the title of the active window, reporting
// each change as it comes; the listener debounces (window managers pass through 0 and browsers
// through interim titles on each switch).
class ForegroundTracker {
 public:
  explicit ForegroundTracker(Connection& x);
  void start(DesktopListener& listener);  // selects the events, reports the current window
  // True when the event was about the foreground window (and was reported).
  bool onPropertyNotify(const xcb_property_notify_event_t& event, DesktopListener& listener);

 private:
  void refreshActive(DesktopListener& listener);
  void report(DesktopListener& listener);

  Connection& x_;
  xcb_atom_t net_active_window_;
  xcb_atom_t net_wm_name_;
  xcb_atom_t net_wm_pid_;
  xcb_window_t active_ = XCB_WINDOW_NONE;
};

}  // namespace vigie::platform::x11
