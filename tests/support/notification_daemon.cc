#include "notification_daemon.h"

#include <signal.h>

#include <chrono>
#include <thread>

#include "vigie/protocol/json.h"

namespace vigie::testing {
namespace {

namespace json = protocol::json;

// dunstctl history gives each field as {"type": ..., "data": value}.
const json::Value* field(const json::Value& notification, std::string_view name) {
  const json::Value* wrapped = notification.find(name);
  if (wrapped == nullptr || wrapped->kind != json::Value::Kind::kObject) return nullptr;
  return wrapped->find("data");
}

std::string textField(const json::Value& notification, std::string_view name) {
  const json::Value* value = field(notification, name);
  return value != nullptr && value->kind == json::Value::Kind::kString ? value->string : "";
}

}  // namespace

NotificationDaemon::NotificationDaemon(const DesktopSession& desktop, int uid) : uid_(uid) {
  // The bus lives as long as its first client: a shell that tells its address, then waits to
  // be killed with its process group.
  bus_ = std::make_unique<Subprocess>(
      std::vector<std::string>{"/usr/bin/dbus-run-session", "--", "/bin/sh", "-c",
                               "echo \"$DBUS_SESSION_BUS_ADDRESS\"; exec sleep 86400"},
      uid);
  address_ = bus_->readLine();
  if (address_.empty()) return;
  dunst_ = desktop.start({busVariable(), "/usr/bin/dunst"}, uid);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!ready_ && std::chrono::steady_clock::now() < deadline) {
    ready_ = dunstctl({"is-paused"}).first == 0;
    if (!ready_) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

NotificationDaemon::~NotificationDaemon() {
  for (auto* process : {&dunst_, &bus_}) {
    if (!*process) continue;
    (*process)->signal(SIGTERM);
  }
  // The destructors kill what is left of each process group and reap it.
}

std::pair<int, std::string> NotificationDaemon::dunstctl(
    const std::vector<std::string>& args) const {
  std::vector<std::string> argv{"/usr/bin/env", busVariable(), "/usr/bin/dunstctl"};
  argv.insert(argv.end(), args.begin(), args.end());
  return runToEnd(argv, uid_);
}

std::vector<ReceivedNotification> NotificationDaemon::received() const {
  std::vector<ReceivedNotification> out;
  (void)dunstctl({"close-all"});
  auto [status, output] = dunstctl({"history"});
  if (status != 0) return out;
  auto history = json::parse(output);
  if (!history.isOk() || history->kind != json::Value::Kind::kObject) return out;
  const json::Value* data = history->find("data");
  if (data == nullptr || data->kind != json::Value::Kind::kArray || data->array.empty()) {
    return out;
  }
  for (const json::Value& notification : data->array.front().array) {
    ReceivedNotification received;
    const json::Value* id = field(notification, "id");
    if (id != nullptr && id->kind == json::Value::Kind::kInteger) {
      received.id = static_cast<int64_t>(id->magnitude);
    }
    received.app_name = textField(notification, "appname");
    received.summary = textField(notification, "summary");
    received.body = textField(notification, "body");
    out.push_back(std::move(received));
  }
  return out;
}

}  // namespace vigie::testing
