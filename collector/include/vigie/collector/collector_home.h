#pragma once

// The collector's data directory and what it creates there on first start (docs/collector.md):
//
//   <dir>/                 0700
//     ca.pem  ca.key       the collector CA (key 0600); or the configured ones
//     server.pem server.key the TLS server certificate, issued by the CA for `server_names`
//     enrollment.secret    0600: what installers give agents to enroll
//     keys/store.key       0600: the embedded store's encryption key
//     store.db             the embedded store (SQLCipher)
//
// Existing files are kept: restarting never changes the CA, the secret or the store key.

#include <string>
#include <vector>

#include "vigie/crypto/secret_key.h"
#include "vigie/crypto/x509.h"
#include "vigie/protocol/status.h"

namespace vigie::collector {

struct HomeOptions {
  std::string data_dir = "/var/lib/vigie-collector";
  // Names the server certificate is valid for; the first is its CN.
  std::vector<std::string> server_names = {"localhost", "127.0.0.1"};
  int certificate_days = 825;
};

struct CollectorHome {
  std::string data_dir;
  std::string ca_certificate_file;
  std::string server_certificate_file;
  std::string server_key_file;
  std::string enrollment_secret_file;
  std::string store_file;
  std::string enrollment_secret;
  crypto::SecretKey store_key;
  crypto::CertificateAuthority authority;
};

// Creates what is missing and loads everything. Refuses a data directory or key file others can
// read, saying how to fix it.
StatusOr<CollectorHome> prepareCollectorHome(const HomeOptions& options);

// Opens an existing home without creating anything (for the admin commands).
StatusOr<CollectorHome> openCollectorHome(const std::string& data_dir);

}  // namespace vigie::collector
