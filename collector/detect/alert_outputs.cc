#include "detect/alert_outputs.h"

#include <initializer_list>

#include "vigie/crypto/digest.h"
#include "vigie/protocol/hex.h"
#include "vigie/protocol/utc_time.h"

namespace vigie::collector {
namespace {

using protocol::json::Value;

constexpr int64_t kMaxTimeoutSeconds = 300;

Status checkMembers(const Value& value, const std::string& where,
                    std::initializer_list<std::string_view> allowed) {
  if (value.kind != Value::Kind::kObject) {
    return Status::invalidArgument(where + ": expected an object, not " +
                                   std::string(protocol::json::kindName(value.kind)));
  }
  for (const auto& member : value.object) {
    bool known = false;
    for (std::string_view name : allowed) known = known || member.first == name;
    if (!known) {
      return Status::invalidArgument(where + ": unknown member \"" + member.first.substr(0, 64) +
                                     "\"");
    }
  }
  return Status::ok();
}

// Printable US-ASCII without spaces: what RFC 5424 allows in its header fields, and all a host
// name or a file path in this file needs.
bool isPrintableWord(std::string_view text) {
  for (char c : text) {
    if (c < 33 || c > 126) return false;
  }
  return !text.empty();
}

// The string at `key` of `object`, if present: non-empty, at most `max` bytes, printable.
StatusOr<std::optional<std::string>> word(const Value& object, const std::string& where,
                                          std::string_view key, size_t max) {
  const Value* found = object.find(key);
  if (found == nullptr) return std::optional<std::string>();
  const std::string name = where + "." + std::string(key);
  if (found->kind != Value::Kind::kString) {
    return Status::invalidArgument(name + ": expected a string");
  }
  if (found->string.size() > max) {
    return Status::invalidArgument(name + ": longer than " + std::to_string(max) + " bytes");
  }
  if (!isPrintableWord(found->string)) {
    return Status::invalidArgument(name + ": must be non-empty, printable ASCII, no spaces");
  }
  return std::optional<std::string>(found->string);
}

StatusOr<std::optional<int64_t>> integer(const Value& object, const std::string& where,
                                         std::string_view key, int64_t low, int64_t high) {
  const Value* found = object.find(key);
  if (found == nullptr) return std::optional<int64_t>();
  const std::string name = where + "." + std::string(key);
  const auto out_of_range = [&] {
    return Status::invalidArgument(name + ": expected an integer from " + std::to_string(low) +
                                   " to " + std::to_string(high));
  };
  if (found->kind != Value::Kind::kInteger || found->magnitude > uint64_t{INT64_MAX}) {
    return out_of_range();
  }
  const auto magnitude = static_cast<int64_t>(found->magnitude);
  const int64_t number = found->negative ? -magnitude : magnitude;
  if (number < low || number > high) return out_of_range();
  return std::optional<int64_t>(number);
}

Status checkAbsolutePath(const std::string& name, const std::string& path) {
  if (path.front() != '/') return Status::invalidArgument(name + ": must be an absolute path");
  return Status::ok();
}

// Assigns the optional string member `key` to `out` when present.
Status readWord(const Value& object, const std::string& where, std::string_view key, size_t max,
                std::string& out) {
  auto read = word(object, where, key, max);
  if (!read.isOk()) return read.status();
  if (*read) out = **read;
  return Status::ok();
}

Status readFile(const Value& object, const std::string& where, std::string_view key,
                std::string& out) {
  VIGIE_RETURN_IF_ERROR(readWord(object, where, key, 4096, out));
  if (!out.empty()) VIGIE_RETURN_IF_ERROR(checkAbsolutePath(where + "." + std::string(key), out));
  return Status::ok();
}

Status readTimeout(const Value& object, const std::string& where, int64_t& out) {
  auto timeout = integer(object, where, "timeout_seconds", 1, kMaxTimeoutSeconds);
  if (!timeout.isOk()) return timeout.status();
  if (*timeout) out = **timeout;
  return Status::ok();
}

// "https://host[:port]/path?query", no user information (it would be a password in a log).
Status checkWebhookUrl(const std::string& name, const std::string& url) {
  constexpr std::string_view kScheme = "https://";
  if (url.size() < kScheme.size() || url.compare(0, kScheme.size(), kScheme) != 0) {
    return Status::invalidArgument(name + ": must be an https:// URL");
  }
  const std::string_view rest = std::string_view(url).substr(kScheme.size());
  const std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.empty() || authority.front() == ':') {
    return Status::invalidArgument(name + ": has no host");
  }
  if (authority.find('@') != std::string_view::npos) {
    return Status::invalidArgument(name +
                                   ": must not carry user information (use secret_file to sign)");
  }
  if (rest.find('#') != std::string_view::npos) {
    return Status::invalidArgument(name + ": must not have a fragment");
  }
  return Status::ok();
}

StatusOr<WebhookConfig> parseWebhook(const Value& value) {
  const std::string where = "outputs.webhook";
  VIGIE_RETURN_IF_ERROR(
      checkMembers(value, where, {"url", "ca_file", "secret_file", "timeout_seconds"}));
  WebhookConfig config;
  VIGIE_RETURN_IF_ERROR(readWord(value, where, "url", 2048, config.url));
  if (config.url.empty()) return Status::invalidArgument(where + ".url: is required");
  VIGIE_RETURN_IF_ERROR(checkWebhookUrl(where + ".url", config.url));
  VIGIE_RETURN_IF_ERROR(readFile(value, where, "ca_file", config.ca_file));
  VIGIE_RETURN_IF_ERROR(readFile(value, where, "secret_file", config.secret_file));
  VIGIE_RETURN_IF_ERROR(readTimeout(value, where, config.timeout_seconds));
  return config;
}

StatusOr<SyslogConfig> parseSyslog(const Value& value) {
  const std::string where = "outputs.syslog";
  VIGIE_RETURN_IF_ERROR(checkMembers(
      value, where, {"host", "port", "ca_file", "hostname", "app_name", "timeout_seconds"}));
  SyslogConfig config;
  VIGIE_RETURN_IF_ERROR(readWord(value, where, "host", 255, config.host));
  if (config.host.empty()) return Status::invalidArgument(where + ".host: is required");
  auto port = integer(value, where, "port", 1, 65535);
  if (!port.isOk()) return port.status();
  if (*port) config.port = static_cast<uint16_t>(**port);
  VIGIE_RETURN_IF_ERROR(readFile(value, where, "ca_file", config.ca_file));
  // RFC 5424 limits: HOSTNAME 255, APP-NAME 48 printable characters.
  VIGIE_RETURN_IF_ERROR(readWord(value, where, "hostname", 255, config.hostname));
  VIGIE_RETURN_IF_ERROR(readWord(value, where, "app_name", 48, config.app_name));
  VIGIE_RETURN_IF_ERROR(readTimeout(value, where, config.timeout_seconds));
  return config;
}

StatusOr<JsonlConfig> parseJsonl(const Value& value) {
  const std::string where = "outputs.jsonl";
  VIGIE_RETURN_IF_ERROR(checkMembers(value, where, {"path"}));
  JsonlConfig config;
  VIGIE_RETURN_IF_ERROR(readFile(value, where, "path", config.path));
  if (config.path.empty()) return Status::invalidArgument(where + ".path: is required");
  return config;
}

}  // namespace

StatusOr<OutputsConfig> parseOutputsConfig(const protocol::json::Value& outputs) {
  if (outputs.kind == Value::Kind::kNull) return OutputsConfig{};  // no "outputs" member
  VIGIE_RETURN_IF_ERROR(checkMembers(outputs, "outputs", {"webhook", "syslog", "jsonl"}));
  OutputsConfig config;
  if (const Value* webhook = outputs.find("webhook")) {
    auto parsed = parseWebhook(*webhook);
    if (!parsed.isOk()) return parsed.status();
    config.webhook = std::move(parsed).value();
  }
  if (const Value* syslog = outputs.find("syslog")) {
    auto parsed = parseSyslog(*syslog);
    if (!parsed.isOk()) return parsed.status();
    config.syslog = std::move(parsed).value();
  }
  if (const Value* jsonl = outputs.find("jsonl")) {
    auto parsed = parseJsonl(*jsonl);
    if (!parsed.isOk()) return parsed.status();
    config.jsonl = std::move(parsed).value();
  }
  return config;
}

StatusOr<std::vector<AlertOutputPtr>> makeAlertOutputs(const OutputsConfig& config) {
  std::vector<AlertOutputPtr> outputs;
  if (config.webhook) {
    auto made = makeWebhookOutput(*config.webhook);
    if (!made.isOk()) return made.status();
    outputs.push_back(std::move(made).value());
  }
  if (config.syslog) {
    auto made = makeSyslogOutput(*config.syslog);
    if (!made.isOk()) return made.status();
    outputs.push_back(std::move(made).value());
  }
  if (config.jsonl) {
    auto made = makeJsonlOutput(*config.jsonl);
    if (!made.isOk()) return made.status();
    outputs.push_back(std::move(made).value());
  }
  return outputs;
}

std::string webhookSignature(std::string_view secret, std::string_view body) {
  const auto* key = reinterpret_cast<const uint8_t*>(secret.data());
  const crypto::Digest mac = crypto::hmacSha256({key, secret.size()}, body);
  return "sha256=" + protocol::toHex(mac);
}

int syslogPriority(Severity severity) {
  constexpr int kAuthpriv = 10;
  constexpr int kCritical = 2, kWarning = 4, kNotice = 5;
  int level = kWarning;
  switch (severity) {
    case Severity::kHigh:
      level = kCritical;
      break;
    case Severity::kMedium:
      level = kWarning;
      break;
    case Severity::kLow:
      level = kNotice;
      break;
  }
  return kAuthpriv * 8 + level;
}

std::string syslogMessage(const OutgoingAlert& alert, std::string_view hostname,
                          std::string_view app_name) {
  // PROCID and STRUCTURED-DATA are nil: the alert's JSON in MSG says everything, and MSGID
  // (the rule) is enough for a receiver to route on. No BOM: MSG is sent as MSG-ANY so that a
  // SIEM can parse it as JSON as it comes.
  std::string message = "<" + std::to_string(syslogPriority(alert.severity)) + ">1 ";
  message += protocol::formatUtcMillis(alert.raised_ms);
  message += ' ';
  // A field that does not fit its RFC 5424 syntax is nil rather than a broken header.
  const auto field = [](std::string_view text, size_t max) {
    return isPrintableWord(text) && text.size() <= max ? text : std::string_view("-");
  };
  message += field(hostname, 255);
  message += ' ';
  message += field(app_name, 48);
  message += " - ";
  message += field(alert.rule, 32);
  message += " - ";
  message += alert.json;
  return message;
}

}  // namespace vigie::collector
