#include "vigie/crypto/x509.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

#include "vigie/protocol/hex.h"

namespace vigie::crypto {
namespace {

template <auto Free>
struct Deleter {
  template <typename T>
  void operator()(T* handle) const {
    Free(handle);
  }
};
using Bio = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using Certificate = std::unique_ptr<X509, Deleter<X509_free>>;
using Request = std::unique_ptr<X509_REQ, Deleter<X509_REQ_free>>;
using Name = std::unique_ptr<X509_NAME, Deleter<X509_NAME_free>>;
using Extension = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;
using Serial = std::unique_ptr<BIGNUM, Deleter<BN_free>>;

// The OpenSSL error queue as text, emptied.
std::string openSslErrors() {
  std::string text;
  for (unsigned long code = ERR_get_error(); code != 0; code = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    if (!text.empty()) text += "; ";
    text += buffer;
  }
  return text.empty() ? "unknown OpenSSL error" : text;
}

Status failure(const std::string& what) {
  return Status::invalidArgument(what + " (" + openSslErrors() + ")");
}

Bio readBio(std::string_view pem) {
  return Bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

std::string bioText(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return size > 0 ? std::string(data, static_cast<size_t>(size)) : std::string();
}

StatusOr<Key> parsePrivateKey(std::string_view pem) {
  Bio bio = readBio(pem);
  Key key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) return failure("not a PEM private key");
  return key;
}

StatusOr<Certificate> parseCertificate(std::string_view pem) {
  Bio bio = readBio(pem);
  Certificate certificate(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!certificate) return failure("not a PEM certificate");
  return certificate;
}

StatusOr<std::string> certificateToPem(X509* certificate) {
  Bio bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), certificate) != 1) {
    return failure("cannot encode the certificate");
  }
  return bioText(bio.get());
}

Status addExtension(X509* certificate, X509* issuer, int nid, const char* value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer, certificate, nullptr, nullptr, 0);
  Extension extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value));
  if (!extension || X509_add_ext(certificate, extension.get(), -1) != 1) {
    return failure(std::string("cannot add extension ") + OBJ_nid2sn(nid) + "=" + value);
  }
  return Status::ok();
}

Status setRandomSerial(X509* certificate) {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return failure("no random serial");
  bytes[0] &= 0x7F;  // positive
  Serial serial(BN_bin2bn(bytes, sizeof bytes, nullptr));
  if (!serial || BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(certificate)) == nullptr) {
    return failure("cannot set the serial");
  }
  return Status::ok();
}

Status setCommonName(X509_NAME* name, std::string_view common_name) {
  if (common_name.empty() || common_name.size() > 64) {
    return Status::invalidArgument("common name must be 1-64 bytes");
  }
  if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(common_name.data()),
                                 static_cast<int>(common_name.size()), -1, 0) != 1) {
    return failure("cannot set the common name");
  }
  return Status::ok();
}

// A certificate skeleton: version 3, random serial, validity from 5 minutes ago (clock skew)
// for `days`, subject CN, subject public key.
StatusOr<Certificate> newCertificate(std::string_view common_name, EVP_PKEY* subject_key,
                                     int days) {
  if (days < 1 || days > 36500) return Status::invalidArgument("validity must be 1-36500 days");
  Certificate certificate(X509_new());
  if (!certificate || X509_set_version(certificate.get(), 2) != 1) return failure("X509_new");
  VIGIE_RETURN_IF_ERROR(setRandomSerial(certificate.get()));
  if (X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -300) == nullptr ||
      X509_gmtime_adj(X509_getm_notAfter(certificate.get()), static_cast<long>(days) * 86400) ==
          nullptr) {
    return failure("cannot set the validity");
  }
  VIGIE_RETURN_IF_ERROR(setCommonName(X509_get_subject_name(certificate.get()), common_name));
  if (X509_set_pubkey(certificate.get(), subject_key) != 1) return failure("cannot set the key");
  return certificate;
}

Status checkRequestKey(EVP_PKEY* key) {
  const int type = EVP_PKEY_get_base_id(key);
  if (type == EVP_PKEY_EC) {
    char group[64] = {};
    size_t length = 0;
    if (EVP_PKEY_get_utf8_string_param(key, "group", group, sizeof group, &length) != 1 ||
        std::string_view(group) != "prime256v1") {
      return Status::invalidArgument("certificate request: EC keys must be P-256");
    }
    return Status::ok();
  }
  if (type == EVP_PKEY_RSA && EVP_PKEY_get_bits(key) >= 2048) return Status::ok();
  return Status::invalidArgument("certificate request: key must be EC P-256 or RSA >= 2048 bits");
}

}  // namespace

StatusOr<std::string> generatePrivateKeyPem() {
  Key key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!key) return failure("cannot generate an EC P-256 key");
  Bio bio(BIO_new(BIO_s_mem()));
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return failure("cannot encode the private key");
  }
  return bioText(bio.get());
}

StatusOr<std::string> makeCertificateRequest(std::string_view private_key_pem,
                                             std::string_view common_name) {
  auto key = parsePrivateKey(private_key_pem);
  if (!key.isOk()) return key.status();
  Request request(X509_REQ_new());
  if (!request || X509_REQ_set_version(request.get(), 0) != 1) return failure("X509_REQ_new");
  Name name(X509_NAME_new());
  if (!name) return failure("X509_NAME_new");
  VIGIE_RETURN_IF_ERROR(setCommonName(name.get(), common_name));
  if (X509_REQ_set_subject_name(request.get(), name.get()) != 1 ||
      X509_REQ_set_pubkey(request.get(), key->get()) != 1 ||
      X509_REQ_sign(request.get(), key->get(), EVP_sha256()) <= 0) {
    return failure("cannot sign the certificate request");
  }
  Bio bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509_REQ(bio.get(), request.get()) != 1) {
    return failure("cannot encode the certificate request");
  }
  return bioText(bio.get());
}

StatusOr<CertificateInfo> inspectCertificate(std::string_view certificate_pem) {
  auto certificate = parseCertificate(certificate_pem);
  if (!certificate.isOk()) return certificate.status();
  CertificateInfo info;
  X509_NAME* subject = X509_get_subject_name(certificate->get());
  const int index = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (index >= 0) {
    ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, index));
    unsigned char* utf8 = nullptr;
    const int length = ASN1_STRING_to_UTF8(&utf8, data);
    if (length >= 0)
      info.common_name.assign(reinterpret_cast<char*>(utf8), static_cast<size_t>(length));
    OPENSSL_free(utf8);
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_length = 0;
  if (X509_digest(certificate->get(), EVP_sha256(), digest, &digest_length) != 1) {
    return failure("cannot hash the certificate");
  }
  info.sha256_fingerprint = protocol::toHex({digest, digest_length});
  struct tm not_after {};
  if (ASN1_TIME_to_tm(X509_get0_notAfter(certificate->get()), &not_after) == 1) {
    info.not_after_unix = static_cast<int64_t>(timegm(&not_after));
  }
  return info;
}

StatusOr<std::string> certificateFingerprint(std::string_view certificate_pem) {
  auto info = inspectCertificate(certificate_pem);
  if (!info.isOk()) return info.status();
  return info->sha256_fingerprint;
}

StatusOr<CertificateAuthority> CertificateAuthority::create(std::string_view common_name,
                                                            int days) {
  auto key_pem = generatePrivateKeyPem();
  if (!key_pem.isOk()) return key_pem.status();
  auto key = parsePrivateKey(*key_pem);
  if (!key.isOk()) return key.status();
  auto certificate = newCertificate(common_name, key->get(), days);
  if (!certificate.isOk()) return certificate.status();
  X509* ca = certificate->get();
  if (X509_set_issuer_name(ca, X509_get_subject_name(ca)) != 1) return failure("issuer");
  VIGIE_RETURN_IF_ERROR(addExtension(ca, ca, NID_basic_constraints, "critical,CA:TRUE,pathlen:0"));
  VIGIE_RETURN_IF_ERROR(addExtension(ca, ca, NID_key_usage, "critical,keyCertSign,cRLSign"));
  VIGIE_RETURN_IF_ERROR(addExtension(ca, ca, NID_subject_key_identifier, "hash"));
  if (X509_sign(ca, key->get(), EVP_sha256()) <= 0) return failure("cannot sign the CA");
  auto pem = certificateToPem(ca);
  if (!pem.isOk()) return pem.status();
  return CertificateAuthority(std::move(pem).value(), std::move(key_pem).value());
}

StatusOr<CertificateAuthority> CertificateAuthority::load(std::string certificate_pem,
                                                          std::string private_key_pem) {
  auto certificate = parseCertificate(certificate_pem);
  if (!certificate.isOk()) return certificate.status();
  auto key = parsePrivateKey(private_key_pem);
  if (!key.isOk()) return key.status();
  if (X509_check_private_key(certificate->get(), key->get()) != 1) {
    return failure("the CA key does not match the CA certificate");
  }
  if (X509_check_ca(certificate->get()) == 0) {
    return Status::invalidArgument("the certificate is not a CA certificate");
  }
  return CertificateAuthority(std::move(certificate_pem), std::move(private_key_pem));
}

StatusOr<std::string> CertificateAuthority::issueServerCertificate(
    std::string_view private_key_pem, const std::vector<std::string>& names, int days) const {
  if (names.empty()) return Status::invalidArgument("a server certificate needs a name");
  auto subject_key = parsePrivateKey(private_key_pem);
  if (!subject_key.isOk()) return subject_key.status();
  auto ca = parseCertificate(certificate_pem_);
  if (!ca.isOk()) return ca.status();
  auto ca_key = parsePrivateKey(private_key_pem_);
  if (!ca_key.isOk()) return ca_key.status();
  auto certificate = newCertificate(names.front(), subject_key->get(), days);
  if (!certificate.isOk()) return certificate.status();
  X509* server = certificate->get();
  if (X509_set_issuer_name(server, X509_get_subject_name(ca->get())) != 1) return failure("issuer");
  std::string alt_names;
  for (const std::string& name : names) {
    if (name.empty() || name.find_first_of(",:\n") != std::string::npos) {
      return Status::invalidArgument("invalid server name '" + name + "'");
    }
    ASN1_OCTET_STRING* ip = a2i_IPADDRESS(name.c_str());
    if (!alt_names.empty()) alt_names += ',';
    alt_names += (ip != nullptr ? "IP:" : "DNS:") + name;
    ASN1_OCTET_STRING_free(ip);
  }
  ERR_clear_error();  // a2i_IPADDRESS leaves errors for names that are not addresses
  VIGIE_RETURN_IF_ERROR(
      addExtension(server, ca->get(), NID_basic_constraints, "critical,CA:FALSE"));
  VIGIE_RETURN_IF_ERROR(
      addExtension(server, ca->get(), NID_key_usage, "critical,digitalSignature"));
  VIGIE_RETURN_IF_ERROR(addExtension(server, ca->get(), NID_ext_key_usage, "serverAuth"));
  VIGIE_RETURN_IF_ERROR(addExtension(server, ca->get(), NID_subject_key_identifier, "hash"));
  VIGIE_RETURN_IF_ERROR(addExtension(server, ca->get(), NID_authority_key_identifier, "keyid"));
  VIGIE_RETURN_IF_ERROR(addExtension(server, ca->get(), NID_subject_alt_name, alt_names.c_str()));
  if (X509_sign(server, ca_key->get(), EVP_sha256()) <= 0) return failure("cannot sign");
  return certificateToPem(server);
}

StatusOr<std::string> CertificateAuthority::issueClientCertificate(
    std::string_view certificate_request_pem, std::string_view common_name, int days) const {
  Bio bio = readBio(certificate_request_pem);
  Request request(PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr));
  if (!request) return failure("not a PEM certificate request");
  EVP_PKEY* request_key = X509_REQ_get0_pubkey(request.get());
  if (request_key == nullptr) return failure("certificate request without a key");
  if (X509_REQ_verify(request.get(), request_key) != 1) {
    return failure("certificate request signature does not verify");
  }
  VIGIE_RETURN_IF_ERROR(checkRequestKey(request_key));
  auto ca = parseCertificate(certificate_pem_);
  if (!ca.isOk()) return ca.status();
  auto ca_key = parsePrivateKey(private_key_pem_);
  if (!ca_key.isOk()) return ca_key.status();
  auto certificate = newCertificate(common_name, request_key, days);
  if (!certificate.isOk()) return certificate.status();
  X509* client = certificate->get();
  if (X509_set_issuer_name(client, X509_get_subject_name(ca->get())) != 1) return failure("issuer");
  VIGIE_RETURN_IF_ERROR(
      addExtension(client, ca->get(), NID_basic_constraints, "critical,CA:FALSE"));
  VIGIE_RETURN_IF_ERROR(
      addExtension(client, ca->get(), NID_key_usage, "critical,digitalSignature"));
  VIGIE_RETURN_IF_ERROR(addExtension(client, ca->get(), NID_ext_key_usage, "clientAuth"));
  VIGIE_RETURN_IF_ERROR(addExtension(client, ca->get(), NID_authority_key_identifier, "keyid"));
  if (X509_sign(client, ca_key->get(), EVP_sha256()) <= 0) return failure("cannot sign");
  return certificateToPem(client);
}

}  // namespace vigie::crypto
