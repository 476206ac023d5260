#pragma once

// A real desktop notification service for end-to-end tests: a private D-Bus session bus
// (dbus-run-session) with the dunst notification daemon on a test desktop, both running as the
// user whose session it is, and what dunst received, read back with dunstctl.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "desktop_session.h"
#include "subprocess.h"

namespace vigie::testing {

struct ReceivedNotification {
  int64_t id = 0;
  std::string app_name;
  std::string summary;
  std::string body;
};

class NotificationDaemon {
 public:
  // Starts the bus and dunst as `uid`; ready() tells whether dunst answers on the bus.
  NotificationDaemon(const DesktopSession& desktop, int uid);
  ~NotificationDaemon();
  NotificationDaemon(const NotificationDaemon&) = delete;
  NotificationDaemon& operator=(const NotificationDaemon&) = delete;

  bool ready() const { return ready_; }
  // "DBUS_SESSION_BUS_ADDRESS=...", for the environment of the bus's clients.
  std::string busVariable() const { return "DBUS_SESSION_BUS_ADDRESS=" + address_; }
  // Every notification dunst was given (those displayed are closed into its history first).
  std::vector<ReceivedNotification> received() const;

 private:
  std::pair<int, std::string> dunstctl(const std::vector<std::string>& args) const;

  int uid_;
  std::string address_;
  std::unique_ptr<Subprocess> bus_;
  std::unique_ptr<Subprocess> dunst_;
  bool ready_ = false;
};

}  // namespace vigie::testing
