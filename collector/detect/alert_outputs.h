#pragma once

// Where alerts go besides the API and the console (docs/alert-outputs.md): a webhook (HTTPS POST
// of the alert's JSON), syslog (RFC 5424 over TLS, RFC 5425 framing) and a JSON-lines file for a
// SIEM to pick up. Configured by the "outputs" member of the collector's detection.json; the
// AlertDispatcher (alert_dispatcher.h) feeds them. Poco stays inside the implementations: nothing
// here throws.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "detect/alerts.h"
#include "vigie/protocol/json.h"
#include "vigie/protocol/status.h"

namespace vigie::collector {

// Output names: the store keeps one delivery cursor under each.
inline constexpr std::string_view kWebhookOutput = "webhook";
inline constexpr std::string_view kSyslogOutput = "syslog";
inline constexpr std::string_view kJsonlOutput = "jsonl";

struct WebhookConfig {
  std::string url;          // https only
  std::string ca_file;      // PEM bundle the server's certificate must chain to; "": system CAs
  std::string secret_file;  // HMAC key of the X-Vigie-Signature header; "": unsigned
  int64_t timeout_seconds = 10;
};

struct SyslogConfig {
  std::string host;
  uint16_t port = 6514;  // RFC 5425
  std::string ca_file;   // as for the webhook
  std::string hostname;  // the HOSTNAME field; "": this machine's name
  std::string app_name = "vigie";
  int64_t timeout_seconds = 10;
};

struct JsonlConfig {
  std::string path;
};

struct OutputsConfig {
  std::optional<WebhookConfig> webhook;
  std::optional<SyslogConfig> syslog;
  std::optional<JsonlConfig> jsonl;
};

// The "outputs" object of detection.json. Every output is optional; within one, unknown members,
// wrong types and bad values are refused (kInvalidArgument naming the member, e.g.
// "outputs.webhook.url: ..."). Null (no "outputs" in the file) means no output. Files are not
// read here (makeAlertOutputs() does).
StatusOr<OutputsConfig> parseOutputsConfig(const protocol::json::Value& outputs);

// An alert ready to leave: what outputs may see of it. The person is in `json` as a pseudonym
// (alert_json.h); the login is not here at all, so no output can send it.
struct OutgoingAlert {
  int64_t id = 0;
  std::string rule;
  Severity severity = Severity::kMedium;
  int64_t raised_ms = 0;
  std::string json;  // alertJson(), one line
};

// One destination. Used by one thread at a time (the dispatcher's thread for it).
class AlertOutput {
 public:
  // Alerts [0, through] are delivered for good; `refusal` non-empty when the receiver refused
  // alerts[through] permanently (it is skipped, not retried). A non-ok answer stops delivery.
  using Settled = std::function<Status(size_t through, std::string_view refusal)>;

  virtual ~AlertOutput() = default;
  // kWebhookOutput, kSyslogOutput or kJsonlOutput.
  virtual std::string_view name() const = 0;
  // Sends `alerts` (in id order), calling `settled` as they are delivered: after each one for the
  // network outputs, after the sync for the file. Returns the failure that stopped it (the rest
  // is retried later), ok once every alert is settled. Each network step (connect, handshake,
  // send, answer) is bounded by the output's timeout.
  virtual Status deliver(std::span<const OutgoingAlert> alerts, const Settled& settled) = 0;
};
using AlertOutputPtr = std::unique_ptr<AlertOutput>;

// Each output ready to deliver: reads the secret and CA files, prepares the TLS contexts, opens
// the file. Nothing connects yet. kInvalidArgument / kNotFound / kPermissionDenied name the
// setting or file at fault.
StatusOr<std::vector<AlertOutputPtr>> makeAlertOutputs(const OutputsConfig& config);

StatusOr<AlertOutputPtr> makeWebhookOutput(const WebhookConfig& config);
StatusOr<AlertOutputPtr> makeSyslogOutput(const SyslogConfig& config);
StatusOr<AlertOutputPtr> makeJsonlOutput(const JsonlConfig& config);

// The webhook's signature header value: "sha256=" + hex HMAC-SHA256(secret, body).
std::string webhookSignature(std::string_view secret, std::string_view body);

// RFC 5424 PRI: facility authpriv (10), severity high -> crit (2), medium -> warning (4),
// low -> notice (5).
int syslogPriority(Severity severity);
// One RFC 5424 message (without the RFC 5425 length prefix):
// "<PRI>1 TIMESTAMP HOSTNAME APP-NAME - RULE - JSON".
std::string syslogMessage(const OutgoingAlert& alert, std::string_view hostname,
                          std::string_view app_name);

}  // namespace vigie::collector
