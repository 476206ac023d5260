// The webhook output: one HTTPS POST per alert, its JSON as the body.

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/URI.h>

#include <filesystem>
#include <istream>
#include <memory>

#include "detect/alert_outputs.h"
#include "detect/tls_client.h"
#include "vigie/platform/atomic_file.h"

namespace vigie::collector {
namespace {

constexpr size_t kMaxSecretBytes = 4096;
constexpr std::streamsize kMaxAnswerBytes = 64 * 1024;  // read and dropped, so keep-alive works

class WebhookOutput final : public AlertOutput {
 public:
  WebhookOutput(std::string host, uint16_t port, std::string target, std::string secret,
                Poco::Net::Context::Ptr context, int64_t timeout_seconds)
      : host_(std::move(host)),
        port_(port),
        target_(std::move(target)),
        secret_(std::move(secret)),
        context_(std::move(context)),
        timeout_(Poco::Timespan(timeout_seconds, 0)) {}

  std::string_view name() const override { return kWebhookOutput; }

  Status deliver(std::span<const OutgoingAlert> alerts, const Settled& settled) override {
    for (size_t i = 0; i < alerts.size(); ++i) {
      auto status = post(alerts[i]);
      if (!status.isOk()) return status.status();
      const int code = *status;
      if (code >= 200 && code < 300) {
        VIGIE_RETURN_IF_ERROR(settled(i, ""));
      } else if (code >= 400 && code < 500 && code != 408 && code != 429) {
        // The receiver says this alert will never do: retrying it would block every later one.
        VIGIE_RETURN_IF_ERROR(settled(i, "HTTP " + std::to_string(code) + " from " + endpoint()));
      } else {
        return Status::ioError("HTTP " + std::to_string(code) + " from " + endpoint());
      }
    }
    return Status::ok();
  }

 private:
  // The URL's path may hold a token (many webhook receivers work that way): logs name the host.
  std::string endpoint() const { return "https://" + endpointName(host_, port_); }

  // The answer's status code, or why there is none.
  StatusOr<int> post(const OutgoingAlert& alert) {
    try {
      if (!session_) {
        session_ = std::make_unique<Poco::Net::HTTPSClientSession>(host_, port_, context_);
        session_->setTimeout(timeout_, timeout_, timeout_);
        session_->setKeepAlive(true);
        // Below what servers commonly keep an idle connection for, so a request rarely meets
        // one the server has just closed.
        session_->setKeepAliveTimeout(Poco::Timespan(4, 0));
      }
      Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, target_,
                                     Poco::Net::HTTPMessage::HTTP_1_1);
      request.setContentType("application/json");
      request.setContentLength(static_cast<std::streamsize>(alert.json.size()));
      request.set("User-Agent", "vigie-collector");
      request.set("X-Vigie-Alert-Id", std::to_string(alert.id));
      if (!secret_.empty()) request.set("X-Vigie-Signature", webhookSignature(secret_, alert.json));
      std::ostream& body = session_->sendRequest(request);
      body.write(alert.json.data(), static_cast<std::streamsize>(alert.json.size()));
      Poco::Net::HTTPResponse response;
      std::istream& answer = session_->receiveResponse(response);
      char drop[4096];
      for (std::streamsize read = 0; read < kMaxAnswerBytes && answer;) {
        answer.read(drop, sizeof drop);
        read += answer.gcount();
      }
      if (!answer.eof()) session_.reset();  // not read to the end: the connection is unusable
      return static_cast<int>(response.getStatus());
    } catch (const Poco::Exception& error) {
      session_.reset();
      return Status::ioError(endpoint() + ": " + error.displayText());
    } catch (const std::exception& error) {
      session_.reset();
      return Status::ioError(endpoint() + ": " + error.what());
    }
  }

  const std::string host_;
  const uint16_t port_;
  const std::string target_;  // path and query
  const std::string secret_;
  Poco::Net::Context::Ptr context_;
  const Poco::Timespan timeout_;
  std::unique_ptr<Poco::Net::HTTPSClientSession> session_;
};

// The secret is a key like the collector's own: refused when others may read it.
StatusOr<std::string> readSecret(const std::string& path) {
  const std::string name = "outputs.webhook.secret_file: " + path;
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (error) return Status::notFound(name + ": " + error.message());
  using std::filesystem::perms;
  if ((status.permissions() & (perms::group_all | perms::others_all)) != perms::none) {
    return Status::permissionDenied(name + ": group or others may access it; chmod 600 it");
  }
  auto secret = platform::readOneLineFile(path, kMaxSecretBytes);
  if (!secret.isOk()) return secret.status().withContext("outputs.webhook.secret_file");
  if (secret->size() < 16) return Status::invalidArgument(name + ": shorter than 16 characters");
  return secret;
}

}  // namespace

StatusOr<AlertOutputPtr> makeWebhookOutput(const WebhookConfig& config) {
  std::string host, target;
  uint16_t port = 443;
  try {
    const Poco::URI uri(config.url);
    if (uri.getScheme() != "https" || uri.getHost().empty() || !uri.getUserInfo().empty()) {
      return Status::invalidArgument("outputs.webhook.url: must be https://host[:port]/path");
    }
    host = uri.getHost();
    port = uri.getPort();
    target = uri.getPathAndQuery();
    if (target.empty()) target = "/";
  } catch (const Poco::Exception& error) {
    return Status::invalidArgument("outputs.webhook.url: " + error.displayText());
  }
  std::string secret;
  if (!config.secret_file.empty()) {
    auto read = readSecret(config.secret_file);
    if (!read.isOk()) return read.status();
    secret = std::move(read).value();
  }
  auto context = makeTlsClientContext("outputs.webhook", config.ca_file, host);
  if (!context.isOk()) return context.status();
  return AlertOutputPtr(std::make_unique<WebhookOutput>(
      host, port, target, std::move(secret), std::move(context).value(), config.timeout_seconds));
}

}  // namespace vigie::collector
