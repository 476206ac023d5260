#pragma once

// The agent's side of enrollment (docs/collector-protocol.md). What enrollment leaves in
// `<data_dir>/enrollment/` (0700, files 0600):
//   collector.url  device.id  secret   the collector, this device's id, the site secret (kept to
//                                      re-enroll by itself when the collector answers 401)
//   ca.pem                             the collector CA: the only certificate trusted from now on
//   client.pem client.key              this device's client certificate and key (mTLS)

#include <optional>
#include <string>

#include "vigie/agent/http_transport.h"
#include "vigie/crypto/secret_key.h"
#include "vigie/protocol/status.h"

namespace vigie::agent {

struct EnrollmentSettings {
  std::string collector_url;  // https://host:port
  std::string ca_file;        // the collector CA certificate, given by the installer
  std::string secret;         // the site's enrollment secret
  std::string device_id;
  bool reenroll = false;  // replace the certificate of a device the collector already knows
};

struct Enrollment {
  std::string collector_url;
  std::string device_id;
  std::string secret;
  std::string ca_file;
  std::string certificate_file;
  std::string key_file;
  TlsSettings tls() const;
};

std::string enrollmentDirectory(const std::string& data_dir);

// The enrollment kept in `data_dir`, or nullopt when this agent never enrolled.
StatusOr<std::optional<Enrollment>> loadEnrollment(const std::string& data_dir);

// Enrolls with the collector: new key pair and certificate request, POST /v1/enroll over TLS
// verified against settings.ca_file, checks the answer (certificate for our device id, CA
// fingerprint equal to the CA we trusted), then saves everything. Nothing is saved on failure.
StatusOr<Enrollment> enroll(const std::string& data_dir, const EnrollmentSettings& settings,
                            const crypto::SecretKey& chain_key);

// Enrolls again with what `enrollment` kept (reenroll = true): used when the collector no longer
// accepts our certificate (401).
StatusOr<Enrollment> reenroll(const std::string& data_dir, const Enrollment& enrollment,
                              const crypto::SecretKey& chain_key);

}  // namespace vigie::agent
