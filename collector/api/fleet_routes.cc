// The fleet view: every enrolled workstation, its latest heartbeat and its status, decided now.
#include <map>

#include "api/json_out.h"
#include "api/route_functions.h"
#include "vigie/protocol/utc_time.h"
#include "vigie/version.h"

namespace vigie::collector::api {
namespace {

std::string timeOrNull(std::optional<int64_t> ms) {
  if (!ms) return "null";
  std::string quoted;
  protocol::json::appendString(quoted, protocol::formatUtcMillis(*ms));
  return quoted;
}

std::string policyJson(const protocol::HeartbeatPolicy& policy) {
  JsonOut out;
  out.number("serial", static_cast<int64_t>(policy.serial)).text("version", policy.version);
  if (!policy.error.empty()) out.text("error", policy.error);
  return out.done();
}

std::string queueJson(const protocol::Heartbeat& heartbeat, int64_t now_ms) {
  JsonOut out;
  out.number("events", static_cast<int64_t>(heartbeat.queue_events))
      .number("bytes", static_cast<int64_t>(heartbeat.queue_bytes))
      .raw("oldest_event", timeOrNull(heartbeat.oldest_event_ms));
  if (heartbeat.oldest_event_ms) {
    out.number("oldest_event_age_seconds",
               std::max<int64_t>(0, (now_ms - *heartbeat.oldest_event_ms) / 1000));
  } else {
    out.null("oldest_event_age_seconds");
  }
  return out.done();
}

// The session sensors, people shown by pseudonym as everywhere in the API.
std::string sessionsJson(const protocol::Heartbeat& heartbeat, const Pseudonyms& pseudonyms) {
  return jsonList(heartbeat.sessions, [&](const protocol::HeartbeatSession& session) {
    return JsonOut()
        .text("session", session.session)
        .text("person", pseudonyms.of(session.user))
        .text("since", protocol::formatUtcMillis(session.since_ms))
        .text("status", protocol::sensorStatusName(session.status))
        .done();
  });
}

std::string deviceJson(const FleetDevice& device, const std::optional<HeartbeatRecord>& latest,
                       const FleetHealth& health, int64_t now_ms, const Pseudonyms& pseudonyms) {
  JsonOut out;
  out.text("device", device.device_id)
      .text("host", latest ? latest->heartbeat.host : device.hostname)
      .text("os", latest ? latest->heartbeat.os : device.os)
      .text("brand", device.brand)
      .text("enrolled", protocol::formatUtcMillis(device.enrolled_ms))
      .number("last_seq", device.last_seq)
      .boolean("revoked", device.revoked)
      .text("status", fleetStatusName(health.status));
  if (!health.why.empty()) out.text("why", health.why);
  if (!latest) {
    for (const char* key : {"first_seen", "last_seen", "agent_version", "policy", "queue", "drops",
                            "last_upload", "sessions"}) {
      out.null(key);
    }
    return out.done();
  }
  const protocol::Heartbeat& heartbeat = latest->heartbeat;
  return out.text("first_seen", protocol::formatUtcMillis(latest->first_seen_ms))
      .text("last_seen", protocol::formatUtcMillis(latest->last_seen_ms))
      .text("agent_version", heartbeat.agent_version)
      .raw("policy", policyJson(heartbeat.policy))
      .raw("queue", queueJson(heartbeat, now_ms))
      .number("drops", static_cast<int64_t>(heartbeat.drops))
      .raw("last_upload", timeOrNull(heartbeat.last_upload_ms))
      .raw("sessions", sessionsJson(heartbeat, pseudonyms))
      .done();
}

// What a device is judged against: this collector's version and the policy in force (a store
// that cannot say leaves the policy out of the judgement rather than fail the view).
FleetReference reference(AuditService& audit) {
  auto serial = audit.policies.activeSerial();
  return {std::string(kVersion), serial.isOk() ? static_cast<uint64_t>(*serial) : 0};
}

}  // namespace

ApiReply fleetStatus(ApiCall& call, AuditService& audit) {
  std::optional<FleetStatus> wanted;
  if (const std::string* status = call.param("status")) {
    wanted = fleetStatusFromName(*status);
    if (!wanted) return error(400, "status must be healthy, late, silent, outdated or unknown");
  }
  auto devices = audit.directory.fleet();
  if (!devices.isOk()) return fromStatus(devices.status());
  auto heard = audit.heartbeats.all();
  if (!heard.isOk()) return fromStatus(heard.status());
  std::map<std::string, HeartbeatRecord, std::less<>> latest;
  for (HeartbeatRecord& record : *heard) latest.emplace(record.device_id, std::move(record));

  const int64_t now_ms = audit.clock.nowUnixMillis();
  const FleetReference compared_with = reference(audit);
  std::string items = "[";
  for (const FleetDevice& device : *devices) {
    std::optional<HeartbeatRecord> record;
    if (auto found = latest.find(device.device_id); found != latest.end()) record = found->second;
    const FleetHealth health = fleetHealth(record, now_ms, audit.fleet_settings, compared_with);
    if (wanted && health.status != *wanted) continue;
    if (items.size() > 1) items += ',';
    items += deviceJson(device, record, health, now_ms, audit.pseudonyms);
  }
  return json(200, JsonOut().raw("items", items + "]").done());
}

ApiReply fleetDevice(ApiCall& call, AuditService& audit) {
  auto devices = audit.directory.fleet();
  if (!devices.isOk()) return fromStatus(devices.status());
  const std::string& id = call.path_args[0];
  auto device = std::find_if(devices->begin(), devices->end(),
                             [&](const FleetDevice& d) { return d.device_id == id; });
  if (device == devices->end()) return error(404, "no enrolled device " + id);
  auto record = audit.heartbeats.find(id);
  if (!record.isOk()) return fromStatus(record.status());
  const int64_t now_ms = audit.clock.nowUnixMillis();
  const FleetHealth health = fleetHealth(*record, now_ms, audit.fleet_settings, reference(audit));
  ApiReply reply = json(200, deviceJson(*device, *record, health, now_ms, audit.pseudonyms));
  reply.trail_detail = JsonOut().text("device", id).done();
  return reply;
}

}  // namespace vigie::collector::api
