#pragma once

// Desktop notifications: how a session sensor tells the person something, visibly. One interface,
// one implementation per desktop system (platform/linux/: org.freedesktop.Notifications over the
// D-Bus session bus).

#include <cstdint>
#include <memory>
#include <string>

#include "vigie/protocol/status.h"

namespace vigie::platform {

class Notifier {
 public:
  virtual ~Notifier() = default;
  // Shows a notification (plain text; the implementation escapes what the desktop would read as
  // markup). Returns the id the notification service gave it: the proof that a service took it.
  // Fails (I/O error) when no notification service is reachable. Blocks at most a few
  // seconds. Not thread-safe.
  virtual StatusOr<uint32_t> show(const std::string& summary, const std::string& body) = 0;
};
using NotifierPtr = std::unique_ptr<Notifier>;

// The desktop session's notification service, reached on each show(): a service that starts or
// restarts after the sensor is found then. `app_name` is the sender shown by the desktop.
NotifierPtr newDesktopNotifier(std::string app_name);

}  // namespace vigie::platform
