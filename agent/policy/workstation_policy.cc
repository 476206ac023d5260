#include "workstation_policy.h"

#include <filesystem>

#include "session_policy.h"
#include "vigie/protocol/json.h"

namespace vigie::policy {
namespace {

namespace json = protocol::json;
using Kind = json::Value::Kind;

Status invalid(std::string_view where, std::string_view why) {
  return Status::invalidArgument("policy: " + std::string(where) + ": " + std::string(why));
}

// The member `name` of `object` as a whole number in [min, max]; nullopt when absent.
StatusOr<std::optional<int64_t>> number(const json::Value& object, std::string_view where,
                                        std::string_view name, int64_t min, int64_t max) {
  const json::Value* value = object.find(name);
  if (value == nullptr) return std::optional<int64_t>();
  const std::string path = std::string(where) + "." + std::string(name);
  if (value->kind != Kind::kInteger) return invalid(path, "must be a whole number");
  const uint64_t magnitude = value->magnitude;
  if (value->negative || magnitude < static_cast<uint64_t>(min) ||
      magnitude > static_cast<uint64_t>(max)) {
    return invalid(path, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return std::optional<int64_t>(static_cast<int64_t>(magnitude));
}

// The object member `name`, checked to hold only `known` members; nullptr when absent.
StatusOr<const json::Value*> section(const json::Value& document, std::string_view name,
                                     std::initializer_list<std::string_view> known) {
  const json::Value* value = document.find(name);
  if (value == nullptr) return value;
  if (value->kind != Kind::kObject) return invalid(name, "must be an object");
  for (const json::Member& member : value->object) {
    bool found = false;
    for (const std::string_view each : known) found = found || member.first == each;
    if (!found) return invalid(std::string(name) + "." + member.first, "unknown member");
  }
  return value;
}

}  // namespace

std::string publishedPolicyPath(const std::string& socket_path) {
  if (socket_path.starts_with(R"(\\.\pipe\)")) {
    return (std::filesystem::path(kLocalPolicyFile).parent_path() / "policy.json").string();
  }
  const auto dir = std::filesystem::path(socket_path).parent_path();
  return (dir.empty() ? std::filesystem::path("policy.json") : dir / "policy.json").string();
}

StatusOr<WorkstationPolicy> parseWorkstationPolicy(std::string_view text) {
  // Paths are checked as the sensor of an ordinary account would expand them.
  auto session = session::parseSessionPolicy(text, session::UserDirectories{"/home/user", "user"});
  if (!session.isOk()) return session.status();
  auto document = json::parse(text);
  if (!document.isOk()) return Status::invalidArgument("policy: " + document.status().message());
  WorkstationPolicy policy;
  policy.version = session->version;
  if (const json::Value* serial = document->find("serial")) {
    if (serial->kind != Kind::kInteger || serial->negative || serial->magnitude == 0) {
      return invalid("serial", "must be a positive whole number");
    }
    policy.serial = serial->magnitude;
  }
  auto upload = section(*document, "upload", {"batch_events", "linger_ms", "heartbeat_seconds"});
  if (!upload.isOk()) return upload.status();
  if (*upload != nullptr) {
    auto batch = number(**upload, "upload", "batch_events", 1, 20'000);
    auto linger = number(**upload, "upload", "linger_ms", 0, 600'000);
    auto heartbeat = number(**upload, "upload", "heartbeat_seconds", 10, 3600);
    for (const Status& s : {batch.status(), linger.status(), heartbeat.status()}) {
      if (!s.isOk()) return s;
    }
    if (*batch) policy.batch_events = static_cast<uint64_t>(**batch);
    policy.linger_ms = *linger;
    policy.heartbeat_seconds = *heartbeat;
  }
  auto queue = section(*document, "queue", {"max_age_days"});
  if (!queue.isOk()) return queue.status();
  if (*queue != nullptr) {
    auto age = number(**queue, "queue", "max_age_days", 1, 3650);
    if (!age.isOk()) return age.status();
    policy.queue_max_age_days = *age;
  }
  return policy;
}

}  // namespace vigie::policy
