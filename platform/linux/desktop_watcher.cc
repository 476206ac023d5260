// The Linux desktop watcher: one thread asleep in poll() on the X connection, inotify, the mount
// table and a wake-up eventfd; woken only by events or by the listener's next timer.

#include "vigie/platform/desktop_watcher.h"

#include <poll.h>
#include <pwd.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <xcb/screensaver.h>

#include <cerrno>
#include <iostream>

#include "cups_print_watcher.h"
#include "inotify_places.h"
#include "x11_clipboard.h"
#include "x11_connection.h"
#include "x11_foreground.h"

namespace vigie::platform {
namespace {

class X11DesktopWatcher final : public DesktopWatcher {
 public:
  X11DesktopWatcher(std::unique_ptr<x11::Connection> x, std::unique_ptr<InotifyPlaces> places,
                    std::unique_ptr<CupsPrintWatcher> print, UniqueFd wake,
                    const DesktopWatchOptions& options)
      : x_(std::move(x)),
        places_(std::move(places)),
        print_(std::move(print)),
        wake_(std::move(wake)),
        foreground_(*x_),
        clipboard_(*x_, options.max_clipboard_text_bytes),
        watch_clipboard_(options.clipboard) {}

  Status run(DesktopListener& listener) override {
    if (watch_clipboard_) {
      if (Status started = clipboard_.start(); !started.isOk()) return started;
    }
    selectScreenSaverEvents();
    foreground_.start(listener);
    xcb_flush(x_->get());

    while (true) {
      // Replies read by the handlers may have queued events the fd will not signal again.
      if (xcb_generic_event_t* queued = xcb_poll_for_queued_event(x_->get())) {
        dispatch(*queued, listener);
        std::free(queued);
        continue;
      }
      // A negative descriptor is ignored by poll(): no print watcher, no mount points.
      pollfd fds[5] = {{xcb_get_file_descriptor(x_->get()), POLLIN, 0},
                       {wake_.get(), POLLIN, 0},
                       {places_->inotifyFd(), POLLIN, 0},
                       {places_->mountsFd(), POLLPRI, 0},
                       {print_ ? print_->readyFd() : -1, POLLIN, 0}};
      const int timeout = pollTimeout(listener);
      const int ready = poll(fds, 5, timeout);
      if (ready < 0 && errno != EINTR) return posixError("poll", errno);
      if ((fds[1].revents & POLLIN) != 0) return Status::ok();  // stop()
      if ((fds[2].revents & POLLIN) != 0) places_->onInotifyReadable(listener);
      if ((fds[3].revents & (POLLPRI | POLLERR)) != 0) places_->onMountsChanged();
      if ((fds[4].revents & POLLIN) != 0) print_->deliver(listener);
      while (xcb_generic_event_t* event = xcb_poll_for_event(x_->get())) {
        dispatch(*event, listener);
        std::free(event);
      }
      if (x_->broken()) return Status::ioError("display closed");
      clipboard_.onTimer(listener);
      if (auto due = listener.nextTimerMillis(); due && steadyMillis() >= *due) {
        listener.onTimer();
      }
      xcb_flush(x_->get());
    }
  }

  void stop() override {
    const uint64_t one = 1;
    (void)!write(wake_.get(), &one, sizeof one);
  }

 private:
  void selectScreenSaverEvents() {
    const xcb_query_extension_reply_t* saver =
        xcb_get_extension_data(x_->get(), &xcb_screensaver_id);
    if (saver == nullptr || saver->present == 0) {
      std::cerr << "vigie-session: no MIT-SCREEN-SAVER extension: lock/unlock not seen\n";
      return;
    }
    screensaver_first_event_ = saver->first_event;
    xcb_screensaver_select_input(x_->get(), x_->root(), XCB_SCREENSAVER_EVENT_NOTIFY_MASK);
  }

  int pollTimeout(const DesktopListener& listener) const {
    std::optional<int64_t> due = listener.nextTimerMillis();
    if (auto clipboard = clipboard_.deadline(); clipboard && (!due || *clipboard < *due)) {
      due = clipboard;
    }
    if (!due) return -1;
    const int64_t wait = *due - steadyMillis();
    return wait <= 0 ? 0 : static_cast<int>(std::min<int64_t>(wait, 60'000));
  }

  void dispatch(const xcb_generic_event_t& event, DesktopListener& listener) {
    const uint8_t type = event.response_type & 0x7f;
    if (type == 0) return;  // an error, e.g. a window that vanished while being read
    if (type == XCB_PROPERTY_NOTIFY) {
      foreground_.onPropertyNotify(reinterpret_cast<const xcb_property_notify_event_t&>(event),
                                   listener);
      return;
    }
    if (screensaver_first_event_ != 0 &&
        type == screensaver_first_event_ + XCB_SCREENSAVER_NOTIFY) {
      const auto& notify = reinterpret_cast<const xcb_screensaver_notify_event_t&>(event);
      if (notify.state == XCB_SCREENSAVER_STATE_ON) listener.onScreenLock(true);
      if (notify.state == XCB_SCREENSAVER_STATE_OFF) listener.onScreenLock(false);
      return;
    }
    clipboard_.onEvent(event, listener);
  }

  std::unique_ptr<x11::Connection> x_;
  std::unique_ptr<InotifyPlaces> places_;
  std::unique_ptr<CupsPrintWatcher> print_;  // null when print jobs are not followed
  UniqueFd wake_;
  x11::ForegroundTracker foreground_;
  x11::ClipboardTracker clipboard_;
  bool watch_clipboard_;
  uint8_t screensaver_first_event_ = 0;
};

}  // namespace

StatusOr<DesktopWatcherPtr> openDesktopWatcher(const DesktopWatchOptions& options) {
  auto x = x11::Connection::open(options.display);
  if (!x.isOk()) return x.status();
  auto places = InotifyPlaces::open(options.directories);
  if (!places.isOk()) return places.status();
  std::unique_ptr<CupsPrintWatcher> print;
  if (options.print) {
    const passwd* account = getpwuid(getuid());
    auto started =
        CupsPrintWatcher::start(account != nullptr ? account->pw_name : std::to_string(getuid()));
    if (!started.isOk()) return started.status();
    print = std::move(started).value();
  }
  UniqueFd wake(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!wake.valid()) return posixError("eventfd", errno);
  return DesktopWatcherPtr(new X11DesktopWatcher(std::move(x).value(), std::move(places).value(),
                                                 std::move(print), std::move(wake), options));
}

}  // namespace vigie::platform
