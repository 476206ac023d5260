#include "vigie/protocol/heartbeat.h"

#include "message_fields.h"
#include "vigie/protocol/event.h"

namespace vigie::protocol {
namespace {

constexpr size_t kMaxVersionBytes = 64;
constexpr size_t kMaxPolicyErrorBytes = 1024;

using Kind = json::Value::Kind;

bool hasControl(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  }
  return false;
}

// Text members are names and short explanations: shown in consoles, never multi-line.
void cleanText(FieldReader& reader, std::string_view name, std::string& out, size_t max,
               bool required) {
  if (required) {
    reader.text(name, out, max);
  } else {
    reader.optionalText(name, out, max);
  }
  if (hasControl(out)) reader.fail(reader.field(name) + ": control characters are not allowed");
}

void appendTime(std::string& out, std::string_view name, std::optional<int64_t> ms) {
  if (ms) {
    appendField(out, name, static_cast<uint64_t>(*ms));
  } else {
    appendRawField(out, name, "null");
  }
}

std::optional<SensorStatus> sensorStatusFromName(std::string_view name) {
  if (name == "connected") return SensorStatus::kConnected;
  if (name == "lost") return SensorStatus::kLost;
  return std::nullopt;
}

void readPolicy(FieldReader& outer, const json::Value& object, HeartbeatPolicy& policy) {
  FieldReader reader(object, "policy.");
  reader.number("serial", policy.serial);
  cleanText(reader, "version", policy.version, kMaxShortText, true);
  cleanText(reader, "error", policy.error, kMaxPolicyErrorBytes, false);
  outer.fail(reader.finish());
}

void readQueue(FieldReader& outer, const json::Value& object, Heartbeat& heartbeat) {
  FieldReader reader(object, "queue.");
  reader.number("events", heartbeat.queue_events);
  reader.number("bytes", heartbeat.queue_bytes);
  reader.time("oldest_event_ms", heartbeat.oldest_event_ms, true);
  outer.fail(reader.finish());
  if (heartbeat.queue_events == 0 && heartbeat.oldest_event_ms) {
    outer.fail("field queue.oldest_event_ms: must be null when the queue is empty");
  }
}

void readSessions(FieldReader& outer, const json::Value& list,
                  std::vector<HeartbeatSession>& sessions) {
  if (list.array.size() > kMaxHeartbeatSessions) {
    outer.fail("field sessions: more than " + std::to_string(kMaxHeartbeatSessions) + " sessions");
    return;
  }
  for (size_t i = 0; i < list.array.size(); ++i) {
    const json::Value& item = list.array[i];
    const std::string where = "sessions[" + std::to_string(i) + "].";
    if (item.kind != Kind::kObject) {
      outer.fail("field sessions[" + std::to_string(i) + "]: expected an object");
      return;
    }
    FieldReader reader(item, where);
    HeartbeatSession session;
    cleanText(reader, "session", session.session, kMaxShortText, true);
    cleanText(reader, "user", session.user, kMaxShortText, true);
    std::optional<int64_t> since;
    reader.time("since_ms", since, false);
    session.since_ms = since.value_or(0);
    std::string status;
    reader.text("status", status, 16);
    if (auto known = sensorStatusFromName(status)) {
      session.status = *known;
    } else {
      reader.fail(reader.field("status") + ": expected \"connected\" or \"lost\"");
    }
    outer.fail(reader.finish());
    sessions.push_back(std::move(session));
  }
}

}  // namespace

std::string_view sensorStatusName(SensorStatus status) {
  return status == SensorStatus::kConnected ? "connected" : "lost";
}

std::string toJson(const Heartbeat& heartbeat) {
  std::string policy = "{";
  appendField(policy, "serial", heartbeat.policy.serial);
  appendField(policy, "version", heartbeat.policy.version);
  if (!heartbeat.policy.error.empty()) appendField(policy, "error", heartbeat.policy.error);
  policy += '}';
  std::string queue = "{";
  appendField(queue, "events", heartbeat.queue_events);
  appendField(queue, "bytes", heartbeat.queue_bytes);
  appendTime(queue, "oldest_event_ms", heartbeat.oldest_event_ms);
  queue += '}';
  std::string sessions = "[";
  for (const HeartbeatSession& session : heartbeat.sessions) {
    if (sessions.size() > 1) sessions += ',';
    std::string item = "{";
    appendField(item, "session", session.session);
    appendField(item, "user", session.user);
    appendField(item, "since_ms", static_cast<uint64_t>(session.since_ms));
    appendField(item, "status", sensorStatusName(session.status));
    sessions += item + '}';
  }
  sessions += ']';

  std::string out = "{";
  appendField(out, "agent_version", heartbeat.agent_version);
  appendField(out, "os", heartbeat.os);
  appendField(out, "host", heartbeat.host);
  appendRawField(out, "policy", policy);
  appendRawField(out, "queue", queue);
  appendField(out, "drops", heartbeat.drops);
  appendTime(out, "last_upload_ms", heartbeat.last_upload_ms);
  appendRawField(out, "sessions", sessions);
  appendField(out, "sent_ms", static_cast<uint64_t>(heartbeat.sent_ms));
  out += '}';
  return out;
}

StatusOr<Heartbeat> heartbeatFromJson(std::string_view text) {
  auto object = parseObject(text, kMaxHeartbeatBytes);
  if (!object.isOk()) return object.status();
  Heartbeat heartbeat;
  FieldReader reader(*object);
  cleanText(reader, "agent_version", heartbeat.agent_version, kMaxVersionBytes, true);
  cleanText(reader, "os", heartbeat.os, kMaxShortText, true);
  cleanText(reader, "host", heartbeat.host, kMaxShortText, true);
  if (const json::Value* policy = reader.member("policy", Kind::kObject)) {
    readPolicy(reader, *policy, heartbeat.policy);
  }
  if (const json::Value* queue = reader.member("queue", Kind::kObject)) {
    readQueue(reader, *queue, heartbeat);
  }
  reader.number("drops", heartbeat.drops);
  reader.time("last_upload_ms", heartbeat.last_upload_ms, true);
  if (const json::Value* sessions = reader.member("sessions", Kind::kArray)) {
    readSessions(reader, *sessions, heartbeat.sessions);
  }
  std::optional<int64_t> sent;
  reader.time("sent_ms", sent, false);
  heartbeat.sent_ms = sent.value_or(0);
  VIGIE_RETURN_IF_ERROR(reader.finish());
  if (heartbeat.agent_version.empty()) {
    return Status::invalidArgument("field agent_version: must not be empty");
  }
  return heartbeat;
}

std::string heartbeatAnswerJson(int64_t heartbeat_seconds) {
  std::string out = "{";
  appendField(out, "heartbeat_seconds", static_cast<uint64_t>(heartbeat_seconds));
  return out + '}';
}

}  // namespace vigie::protocol
