// The syslog output: RFC 5424 messages over TLS (RFC 5425), one connection kept open.

#include <Poco/Exception.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>

#include <memory>

#include "detect/alert_outputs.h"
#include "detect/tls_client.h"
#include "vigie/platform/host_name.h"

namespace vigie::collector {
namespace {

class SyslogOutput final : public AlertOutput {
 public:
  SyslogOutput(const SyslogConfig& config, std::string hostname, Poco::Net::Context::Ptr context)
      : host_(config.host),
        port_(config.port),
        hostname_(std::move(hostname)),
        app_name_(config.app_name),
        context_(std::move(context)),
        timeout_(Poco::Timespan(config.timeout_seconds, 0)) {}

  ~SyslogOutput() override { disconnect(); }

  std::string_view name() const override { return kSyslogOutput; }

  Status deliver(std::span<const OutgoingAlert> alerts, const Settled& settled) override {
    for (size_t i = 0; i < alerts.size(); ++i) {
      VIGIE_RETURN_IF_ERROR(connectUnlessOpen());
      const std::string message = syslogMessage(alerts[i], hostname_, app_name_);
      // RFC 5425 octet counting: "MSG-LEN SP SYSLOG-MSG", no trailer.
      VIGIE_RETURN_IF_ERROR(send(std::to_string(message.size()) + " " + message));
      VIGIE_RETURN_IF_ERROR(settled(i, ""));
    }
    return Status::ok();
  }

 private:
  Status connectUnlessOpen() {
    if (socket_ && !closedByPeer()) return Status::ok();
    disconnect();
    try {
      auto socket = std::make_unique<Poco::Net::SecureStreamSocket>(context_);
      socket->setPeerHostName(host_);
      // The handshake, with the certificate checks, happens within connect().
      socket->connect(Poco::Net::SocketAddress(host_, port_), timeout_);
      socket->setSendTimeout(timeout_);
      socket->setReceiveTimeout(timeout_);
      socket_ = std::move(socket);
      return Status::ok();
    } catch (const Poco::Exception& error) {
      return Status::ioError("syslog " + endpointName(host_, port_) +
                             ": cannot connect: " + error.displayText());
    }
  }

  // The receiver never writes to us, so a readable connection is one it has closed (restarted,
  // idle timeout), or TLS housekeeping (session tickets). A message written to a closed
  // connection would be lost without an error: this is checked before each one.
  bool closedByPeer() {
    try {
      if (!socket_->poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_READ)) return false;
      // Blocking with a 1 ms timeout: Poco's TLS reads wait out WANT_READ by themselves, so a
      // non-blocking socket would not return early.
      socket_->setReceiveTimeout(Poco::Timespan(0, 1000));
      char drop[512];
      const int read = socket_->receiveBytes(drop, sizeof drop);
      socket_->setReceiveTimeout(timeout_);
      return read <= 0;  // orderly close (close_notify)
    } catch (const Poco::TimeoutException&) {
      // Only housekeeping was there; the connection is alive.
      try {
        socket_->setReceiveTimeout(timeout_);
        return false;
      } catch (const Poco::Exception&) {
        return true;
      }
    } catch (const Poco::Exception&) {
      return true;  // reset, or closed without close_notify
    }
  }

  Status send(const std::string& frame) {
    try {
      for (size_t sent = 0; sent < frame.size();) {
        const int wrote =
            socket_->sendBytes(frame.data() + sent, static_cast<int>(frame.size() - sent));
        if (wrote <= 0) throw Poco::IOException("the connection refused more data");
        sent += static_cast<size_t>(wrote);
      }
      return Status::ok();
    } catch (const Poco::Exception& error) {
      disconnect();
      return Status::ioError("syslog " + endpointName(host_, port_) + ": " + error.displayText());
    }
  }

  void disconnect() {
    if (!socket_) return;
    try {
      socket_->close();
    } catch (const Poco::Exception&) {
      // Closing a broken connection may fail; it is gone either way.
    }
    socket_.reset();
  }

  const std::string host_;
  const uint16_t port_;
  const std::string hostname_;
  const std::string app_name_;
  Poco::Net::Context::Ptr context_;
  const Poco::Timespan timeout_;
  std::unique_ptr<Poco::Net::SecureStreamSocket> socket_;
};

}  // namespace

StatusOr<AlertOutputPtr> makeSyslogOutput(const SyslogConfig& config) {
  std::string hostname = config.hostname;
  if (hostname.empty()) hostname = platform::hostName();
  auto context = makeTlsClientContext("outputs.syslog", config.ca_file, config.host);
  if (!context.isOk()) return context.status();
  return AlertOutputPtr(
      std::make_unique<SyslogOutput>(config, std::move(hostname), std::move(context).value()));
}

}  // namespace vigie::collector
