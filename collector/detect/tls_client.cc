#include "detect/tls_client.h"

#include <Poco/Exception.h>
#include <Poco/Net/IPAddress.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <filesystem>

namespace vigie::collector {

StatusOr<Poco::Net::Context::Ptr> makeTlsClientContext(const std::string& where,
                                                       const std::string& ca_file,
                                                       const std::string& host) {
  if (!ca_file.empty()) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(ca_file, error)) {
      return Status::notFound(where + ".ca_file: " + ca_file + " is not a readable file");
    }
  }
  Poco::Net::Context::Ptr context;
  try {
    Poco::Net::Context::Params params;
    params.caLocation = ca_file;
    params.loadDefaultCAs = ca_file.empty();
    params.verificationMode = Poco::Net::Context::VERIFY_STRICT;
    params.verificationDepth = 9;
    params.cipherList = "HIGH:!aNULL:!eNULL:!MD5:!RC4:!3DES";
    context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
    context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    // Poco's own post-handshake name check skips "localhost" and asks the SSLManager's
    // certificate handler on failure; OpenSSL's check below does neither.
    context->enableExtendedCertificateVerification(false);
  } catch (const Poco::Exception& error) {
    return Status::invalidArgument(where + ": cannot prepare TLS" +
                                   (ca_file.empty() ? "" : " with " + ca_file) + ": " +
                                   error.displayText());
  }
  SSL_CTX* ssl = context->sslContext();
  // No callback: OpenSSL's own verdict on the chain stands, and a failure ends the handshake.
  SSL_CTX_set_verify(ssl, SSL_VERIFY_PEER, nullptr);
  X509_VERIFY_PARAM* param = SSL_CTX_get0_param(ssl);
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  Poco::Net::IPAddress address;
  const int named = Poco::Net::IPAddress::tryParse(host, address)
                        ? X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str())
                        : X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size());
  if (named != 1) return Status::invalidArgument(where + ": cannot check the name " + host);
  return context;
}

std::string endpointName(const std::string& host, uint16_t port) {
  const bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

}  // namespace vigie::collector
