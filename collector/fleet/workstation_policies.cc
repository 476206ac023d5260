#include "fleet/workstation_policies.h"

#include <algorithm>

#include "vigie/protocol/hex.h"
#include "vigie/protocol/json.h"
#include "vigie/protocol/utc_time.h"
#include "workstation_policy.h"

namespace vigie::collector {
namespace {

namespace json = protocol::json;

constexpr size_t kMaxPolicyBytes = 1 << 20;

json::Value integer(int64_t value) {
  json::Value out;
  out.kind = json::Value::Kind::kInteger;
  out.negative = value < 0;
  out.magnitude = static_cast<uint64_t>(value < 0 ? -value : value);
  return out;
}

json::Value text(std::string value) {
  json::Value out;
  out.kind = json::Value::Kind::kString;
  out.string = std::move(value);
  return out;
}

// The administrator's document with what the collector vouches for put first.
StatusOr<std::string> completeDocument(std::string_view document, int64_t serial,
                                       int64_t activated_ms,
                                       const std::vector<RetentionClass>& retention) {
  auto parsed = json::parse(document);
  if (!parsed.isOk()) return Status::invalidArgument("policy: " + parsed.status().message());
  if (parsed->kind != json::Value::Kind::kObject) {
    return Status::invalidArgument("policy: must be a JSON object");
  }
  for (const char* reserved : {"serial", "activated", "retention_days"}) {
    if (parsed->find(reserved) != nullptr) {
      return Status::invalidArgument(std::string("policy: ") + reserved +
                                     ": set by the collector when it activates the policy");
    }
  }
  json::Value days;
  days.kind = json::Value::Kind::kObject;
  for (const RetentionClass& each : retention)
    days.object.push_back({each.name, integer(each.days)});
  json::Value complete;
  complete.kind = json::Value::Kind::kObject;
  complete.object.push_back({"serial", integer(serial)});
  complete.object.push_back({"activated", text(protocol::formatUtcMillis(activated_ms))});
  complete.object.push_back({"retention_days", std::move(days)});
  for (json::Member& member : parsed->object) complete.object.push_back(std::move(member));
  std::string out;
  json::appendValue(out, complete);
  return out;
}

// A signed document without its activation (serial and time): what an agent would apply.
std::string withoutActivation(const std::string& document) {
  auto parsed = json::parse(document);
  if (!parsed.isOk()) return document;
  std::erase_if(parsed->object, [](const json::Member& member) {
    return member.first == "serial" || member.first == "activated";
  });
  std::string out;
  json::appendValue(out, *parsed);
  return out;
}

SignedPolicy readPolicy(const SqlRow& s, bool with_document) {
  SignedPolicy policy;
  policy.serial = s.integer(0);
  policy.version = s.text(1);
  policy.activated_ms = s.integer(2);
  policy.activated_by = s.text(3);
  if (with_document) {
    policy.document = s.text(4);
    policy.signature = s.text(5);
  }
  return policy;
}

}  // namespace

StatusOr<Activation> WorkstationPolicies::activate(std::string_view document,
                                                   const std::vector<RetentionClass>& retention,
                                                   const crypto::CertificateAuthority& signer,
                                                   std::string_view by) {
  if (document.size() > kMaxPolicyBytes) {
    return Status::invalidArgument("policy: larger than 1 MiB");
  }
  Activation activation;
  SignedPolicy& policy = activation.policy;
  policy.activated_ms = clock_.nowUnixMillis();
  policy.activated_by = std::string(by);
  VIGIE_RETURN_IF_ERROR(db_.transaction([&](Sql& db) -> Status {
    std::optional<SignedPolicy> in_force;
    VIGIE_RETURN_IF_ERROR(
        db.run("SELECT serial, version, activated_ms, activated_by, document, signature"
               " FROM workstation_policies ORDER BY serial DESC LIMIT 1",
               {}, [&](const SqlRow& s) { in_force = readPolicy(s, true); }));
    policy.serial = in_force ? in_force->serial + 1 : 1;
    auto complete = completeDocument(document, policy.serial, policy.activated_ms, retention);
    if (!complete.isOk()) return complete.status();
    // Checked as the agent will check it, after completion.
    auto parsed = policy::parseWorkstationPolicy(*complete);
    if (!parsed.isOk()) return parsed.status();
    // The same rules and retention again would have every workstation apply them and notify
    // every person anew, for nothing.
    if (in_force && withoutActivation(in_force->document) == withoutActivation(*complete)) {
      activation.policy = std::move(*in_force);
      activation.unchanged = true;
      return Status::ok();
    }
    policy.version = parsed->version;
    policy.document = std::move(complete).value();
    auto signature = signer.sign(policy.document);
    if (!signature.isOk()) return signature.status();
    policy.signature = protocol::toHex(*signature);
    return db.run(
        "INSERT INTO workstation_policies(serial, version, activated_ms, activated_by, document,"
        " signature) VALUES (?, ?, ?, ?, ?, ?)",
        {policy.serial, std::string_view(policy.version), policy.activated_ms,
         std::string_view(policy.activated_by), std::string_view(policy.document),
         std::string_view(policy.signature)});
  }));
  return activation;
}

StatusOr<std::optional<SignedPolicy>> WorkstationPolicies::active() {
  std::optional<SignedPolicy> found;
  VIGIE_RETURN_IF_ERROR(db_.with([&](Sql& db) {
    return db.run(
        "SELECT serial, version, activated_ms, activated_by, document, signature"
        " FROM workstation_policies ORDER BY serial DESC LIMIT 1",
        {}, [&](const SqlRow& s) { found = readPolicy(s, true); });
  }));
  return found;
}

StatusOr<int64_t> WorkstationPolicies::activeSerial() {
  int64_t serial = 0;
  VIGIE_RETURN_IF_ERROR(db_.with([&](Sql& db) {
    return db.run("SELECT coalesce(max(serial), 0) FROM workstation_policies", {},
                  [&](const SqlRow& s) { serial = s.integer(0); });
  }));
  return serial;
}

StatusOr<std::vector<SignedPolicy>> WorkstationPolicies::history() {
  std::vector<SignedPolicy> all;
  VIGIE_RETURN_IF_ERROR(db_.with([&](Sql& db) {
    return db.run(
        "SELECT serial, version, activated_ms, activated_by"
        " FROM workstation_policies ORDER BY serial DESC",
        {}, [&](const SqlRow& s) { all.push_back(readPolicy(s, false)); });
  }));
  return all;
}

}  // namespace vigie::collector
