// Desktop notifications on Linux: org.freedesktop.Notifications.Notify on the D-Bus session bus
// (sd-bus; DBUS_SESSION_BUS_ADDRESS, else $XDG_RUNTIME_DIR/bus), as notify-send does.

#include <systemd/sd-bus.h>

#include <cstring>
#include <memory>
#include <string>

#include "vigie/platform/notifier.h"

namespace vigie::platform {
namespace {

constexpr char kService[] = "org.freedesktop.Notifications";
constexpr char kPath[] = "/org/freedesktop/Notifications";
constexpr uint64_t kCallTimeoutUsec = 5'000'000;  // the sensor's thread waits on it

struct BusClose {
  void operator()(sd_bus* bus) const { sd_bus_flush_close_unref(bus); }
};
using BusPtr = std::unique_ptr<sd_bus, BusClose>;

struct MessageUnref {
  void operator()(sd_bus_message* message) const { sd_bus_message_unref(message); }
};
using MessagePtr = std::unique_ptr<sd_bus_message, MessageUnref>;

// An sd_bus_error freed on every path.
struct BusError {
  sd_bus_error error = SD_BUS_ERROR_NULL;
  ~BusError() { sd_bus_error_free(&error); }
  std::string describe(int result) const {
    if (sd_bus_error_is_set(&error)) {
      return std::string(error.name) + (error.message ? std::string(": ") + error.message : "");
    }
    return std::strerror(-result);
  }
};

// Servers that announce "body-markup" read <, > and & in the body as markup.
std::string escapeMarkup(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c == '&') {
      out += "&amp;";
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else {
      out += c;
    }
  }
  return out;
}

class DbusNotifier final : public Notifier {
 public:
  explicit DbusNotifier(std::string app_name) : app_name_(std::move(app_name)) {}

  StatusOr<uint32_t> show(const std::string& summary, const std::string& body) override {
    if (!bus_) {
      sd_bus* opened = nullptr;
      if (const int r = sd_bus_open_user(&opened); r < 0) {
        return Status::ioError(std::string("no D-Bus session bus: ") + std::strerror(-r));
      }
      bus_.reset(opened);
      markup_ = serverReadsMarkup();
    }
    BusError error;
    sd_bus_message* raw_reply = nullptr;
    const std::string text = markup_ ? escapeMarkup(body) : body;
    MessagePtr call;
    {
      sd_bus_message* raw_call = nullptr;
      int r = sd_bus_message_new_method_call(bus_.get(), &raw_call, kService, kPath, kService,
                                             "Notify");
      call.reset(raw_call);
      // app_name, replaces_id, app_icon, summary, body, actions, hints, expire_timeout (default)
      if (r >= 0) {
        r = sd_bus_message_append(call.get(), "susssasa{sv}i", app_name_.c_str(), 0u, "",
                                  summary.c_str(), text.c_str(), 0, 0, -1);
      }
      if (r < 0) return Status::ioError(std::string("Notify: ") + std::strerror(-r));
    }
    const int r = sd_bus_call(bus_.get(), call.get(), kCallTimeoutUsec, &error.error, &raw_reply);
    MessagePtr reply(raw_reply);
    if (r < 0) {
      // A broken connection is opened again next time; a service that answered keeps it.
      if (!sd_bus_is_open(bus_.get())) bus_.reset();
      return Status::ioError("no notification service: " + error.describe(r));
    }
    uint32_t id = 0;
    if (const int read = sd_bus_message_read(reply.get(), "u", &id); read < 0) {
      return Status::ioError(std::string("Notify reply: ") + std::strerror(-read));
    }
    return id;
  }

 private:
  bool serverReadsMarkup() {
    BusError error;
    sd_bus_message* raw_reply = nullptr;
    if (sd_bus_call_method(bus_.get(), kService, kPath, kService, "GetCapabilities", &error.error,
                           &raw_reply, "") < 0) {
      return false;
    }
    MessagePtr reply(raw_reply);
    if (sd_bus_message_enter_container(reply.get(), 'a', "s") < 0) return false;
    const char* capability = nullptr;
    while (sd_bus_message_read(reply.get(), "s", &capability) > 0) {
      if (std::strcmp(capability, "body-markup") == 0) return true;
    }
    return false;
  }

  const std::string app_name_;
  BusPtr bus_;
  bool markup_ = false;
};

}  // namespace

NotifierPtr newDesktopNotifier(std::string app_name) {
  return std::make_unique<DbusNotifier>(std::move(app_name));
}

}  // namespace vigie::platform
