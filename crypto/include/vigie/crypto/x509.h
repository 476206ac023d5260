#pragma once

// Certificates for enrollment and mutual TLS: the collector's own certificate authority, the
// server certificate it issues itself, and the client certificates it signs for enrolled
// workstations. EC P-256 keys, SHA-256 signatures, PEM text everywhere. OpenSSL only, no OS.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vigie/protocol/status.h"

namespace vigie::crypto {

// A new EC P-256 private key, PKCS#8 PEM. The caller stores it with the narrowest permissions.
StatusOr<std::string> generatePrivateKeyPem();

// A PKCS#10 request for `common_name`, signed with `private_key_pem`.
StatusOr<std::string> makeCertificateRequest(std::string_view private_key_pem,
                                             std::string_view common_name);

// What a certificate says about itself. Nothing here is verified: trust comes from the TLS chain
// check (or the caller's own) against the collector CA; an empty common_name means it has none.
struct CertificateInfo {
  std::string common_name;
  std::string sha256_fingerprint;  // of the DER certificate, lower-case hex, 64 characters
  int64_t not_after_unix = 0;
};

// Parses one PEM certificate. Invalid PEM -> kInvalidArgument naming the problem.
StatusOr<CertificateInfo> inspectCertificate(std::string_view certificate_pem);

// SHA-256 over the DER encoding of the PEM certificate, lower-case hex (what `openssl x509
// -fingerprint -sha256` prints, without colons, in lower case).
StatusOr<std::string> certificateFingerprint(std::string_view certificate_pem);

// Checks that `signature` (DER ECDSA / SHA-256) over `data` was made with the key of the
// certificate in `certificate_pem`. kInvalidArgument when it was not or the input is malformed.
Status verifySignature(std::string_view certificate_pem, std::string_view data,
                       std::span<const uint8_t> signature);

class CertificateAuthority {
 public:
  // A new self-signed CA (basicConstraints CA:TRUE, keyCertSign) valid for `days`.
  static StatusOr<CertificateAuthority> create(std::string_view common_name, int days);
  // An existing CA; fails if the key does not match the certificate or it is not a CA.
  static StatusOr<CertificateAuthority> load(std::string certificate_pem,
                                             std::string private_key_pem);

  const std::string& certificatePem() const { return certificate_pem_; }
  const std::string& privateKeyPem() const { return private_key_pem_; }

  // A TLS server certificate for the key in `private_key_pem`: CN = names[0], subjectAltName
  // with every name (IP addresses as iPAddress entries, others as dNSName), extendedKeyUsage
  // serverAuth. REQUIRES: names not empty.
  StatusOr<std::string> issueServerCertificate(std::string_view private_key_pem,
                                               const std::vector<std::string>& names,
                                               int days) const;

  // A TLS client certificate for a workstation: checks the request's own signature, takes its
  // public key, and sets CN = `common_name` (the device id chosen by the collector, never the
  // request's subject), extendedKeyUsage clientAuth, a random 128-bit serial.
  StatusOr<std::string> issueClientCertificate(std::string_view certificate_request_pem,
                                               std::string_view common_name, int days) const;

  // ECDSA P-256 / SHA-256 signature (DER) of `data` with the CA key: what the collector puts on
  // the documents it sends agents (the workstation policy), checked with verifySignature().
  StatusOr<std::vector<uint8_t>> sign(std::string_view data) const;

 private:
  CertificateAuthority(std::string certificate_pem, std::string private_key_pem)
      : certificate_pem_(std::move(certificate_pem)),
        private_key_pem_(std::move(private_key_pem)) {}
  std::string certificate_pem_;
  std::string private_key_pem_;
};

}  // namespace vigie::crypto
