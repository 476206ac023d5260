#include "vigie/collector/collector_server.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/KeyConsoleHandler.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/ThreadPool.h>

#include "request_router.h"

namespace vigie::collector {

struct CollectorServer::Impl {
  Poco::ThreadPool threads;
  std::unique_ptr<Poco::Net::HTTPServer> server;
  uint16_t port = 0;

  Impl(int max_threads) : threads(2, max_threads) {}
  ~Impl() {
    if (server) server->stopAll(false);
    threads.joinAll();
  }
};

CollectorServer::CollectorServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CollectorServer::~CollectorServer() = default;
uint16_t CollectorServer::port() const { return impl_->port; }

StatusOr<std::unique_ptr<CollectorServer>> CollectorServer::start(const CollectorHome& home,
                                                                  const ServerOptions& options,
                                                                  ServerServices services) {
  try {
    // The client certificate is asked for and, when given, must chain to the collector CA;
    // enrollment works without one. TLS 1.2 at least; no session tickets to keep forward secrecy
    // simple; sessions are cached so reconnecting agents resume cheaply.
    Poco::Net::Context::Params params;
    params.privateKeyFile = home.server_key_file;
    params.certificateFile = home.server_certificate_file;
    params.caLocation = home.ca_certificate_file;
    params.verificationMode = Poco::Net::Context::VERIFY_RELAXED;
    params.verificationDepth = 2;
    params.loadDefaultCAs = false;
    params.cipherList = "HIGH:!aNULL:!eNULL:!MD5:!RC4:!3DES";
    Poco::Net::Context::Ptr context =
        new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, params);
    context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    context->enableSessionCache(true, "vigie-collector");
    // An invalid client certificate ends the handshake; nothing asks a console.
    Poco::Net::SSLManager::instance().initializeServer(
        new Poco::Net::KeyConsoleHandler(true), new Poco::Net::RejectCertificateHandler(true),
        context);

    Poco::Net::SecureServerSocket socket(Poco::Net::SocketAddress(options.host, options.port), 128,
                                         context);
    auto* server_params = new Poco::Net::HTTPServerParams;  // owned by the server (AutoPtr)
    server_params->setKeepAlive(true);
    server_params->setMaxKeepAliveRequests(0);  // unlimited: one connection per agent
    server_params->setKeepAliveTimeout(Poco::Timespan(options.keep_alive_seconds, 0));
    server_params->setMaxThreads(options.max_threads);
    server_params->setMaxQueued(256);
    server_params->setTimeout(Poco::Timespan(30, 0));
    server_params->setServerName("vigie-collector");

    auto impl = std::make_unique<Impl>(options.max_threads);
    impl->port = socket.address().port();
    impl->server = std::make_unique<Poco::Net::HTTPServer>(
        new http::RequestRouter(services, options.limits), impl->threads, socket, server_params);
    impl->server->start();
    return std::unique_ptr<CollectorServer>(new CollectorServer(std::move(impl)));
  } catch (const Poco::Exception& error) {
    return Status::ioError("cannot start the HTTPS server on " + options.host + ":" +
                           std::to_string(options.port) + ": " + error.displayText());
  }
}

}  // namespace vigie::collector
