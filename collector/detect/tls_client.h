#pragma once

// The TLS client side of the network alert outputs (webhook, syslog). Internal to their
// implementations: Poco types do not leave collector/detect/*_output.cc.

#include <Poco/Net/Context.h>

#include <string>

#include "vigie/protocol/status.h"

namespace vigie::collector {

// A client context that trusts `ca_file` (PEM; "": the system's CAs) and accepts only a server
// whose certificate chains to it and names `host` (a DNS name, or an IP address matched against
// the certificate's IP addresses). TLS 1.2 at least. OpenSSL checks both during the handshake,
// whatever certificate handler the process has given Poco's SSLManager. `where` prefixes errors.
StatusOr<Poco::Net::Context::Ptr> makeTlsClientContext(const std::string& where,
                                                       const std::string& ca_file,
                                                       const std::string& host);

// "host:port" for logs, IPv6 addresses in brackets.
std::string endpointName(const std::string& host, uint16_t port);

}  // namespace vigie::collector
