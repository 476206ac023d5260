#pragma once

#include <xcb/xcb.h>

#include <cstdint>
#include <optional>

#include "vigie/platform/desktop_watcher.h"
#include "x11_connection.h"

namespace vigie::platform::x11 {

// Learns of each new CLIPBOARD owner through XFixes, then asks the owner, one request at a time,
// for its TARGETS, Chromium's source URL when offered, and the text (measured first; read only
// when it is text and not larger than the limit). PRIMARY, which changes on every selection, is
// not watched. An owner that does not answer within a second is reported with what is known.
class ClipboardTracker {
 public:
  ClipboardTracker(Connection& x, size_t max_text_bytes);
  ~ClipboardTracker();
  Status start();  // REQUIRES: XFixes present (error otherwise)

  // True when the event belonged to the clipboard tracker.
  bool onEvent(const xcb_generic_event_t& event, DesktopListener& listener);
  std::optional<int64_t> deadline() const;
  void onTimer(DesktopListener& listener);  // finishes a copy whose owner did not answer

 private:
  enum class Step { kIdle, kTargets, kUrl, kContent };
  void begin(xcb_window_t owner, xcb_timestamp_t time, DesktopListener& listener);
  void request(Step step, xcb_atom_t target);
  void onSelectionNotify(const xcb_selection_notify_event_t& event, DesktopListener& listener);
  void chooseTargets(const std::string& atoms);
  void readText();
  void afterTargets(DesktopListener& listener);
  void finish(DesktopListener& listener);

  Connection& x_;
  const size_t max_text_bytes_;
  xcb_window_t window_ = XCB_WINDOW_NONE;  // ours: receives the conversions
  uint8_t xfixes_first_event_ = 0;
  xcb_atom_t clipboard_, targets_, incr_, property_, source_url_;
  xcb_atom_t content_target_ = XCB_ATOM_NONE;
  bool content_is_text_ = false;

  Step step_ = Step::kIdle;
  xcb_timestamp_t time_ = XCB_CURRENT_TIME;
  int64_t deadline_ = 0;
  ClipboardChange change_;
};

}  // namespace vigie::platform::x11
