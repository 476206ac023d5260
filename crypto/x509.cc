#include "vigie/crypto/x509.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <memory>
#include <utility>

#include "vigie/protocol/hex.h"

namespace vigie::crypto {
namespace {

// Every OpenSSL handle is owned by one of these; nothing is freed by hand.
template <auto Free>
struct Deleter {
  template <typename T>
  void operator()(T* handle) const {
    Free(handle);
  }
};
struct OpenSslFree {  // OPENSSL_free is a macro, not a function
  void operator()(unsigned char* bytes) const { OPENSSL_free(bytes); }
};
using Bio = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using Certificate = std::unique_ptr<X509, Deleter<X509_free>>;
using Request = std::unique_ptr<X509_REQ, Deleter<X509_REQ_free>>;
using Name = std::unique_ptr<X509_NAME, Deleter<X509_NAME_free>>;
using Extension = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;
using BigNumber = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using Time = std::unique_ptr<ASN1_TIME, Deleter<ASN1_TIME_free>>;
using OctetString = std::unique_ptr<ASN1_OCTET_STRING, Deleter<ASN1_OCTET_STRING_free>>;
using Ia5String = std::unique_ptr<ASN1_IA5STRING, Deleter<ASN1_IA5STRING_free>>;
using GeneralName = std::unique_ptr<GENERAL_NAME, Deleter<GENERAL_NAME_free>>;
using GeneralNames = std::unique_ptr<GENERAL_NAMES, Deleter<GENERAL_NAMES_free>>;
using OpenSslBytes = std::unique_ptr<unsigned char, OpenSslFree>;
using DigestContext = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;

constexpr size_t kMaxPemInput = 1 << 20;  // far above any certificate, key or request
constexpr int kMaxDays = 36500;
constexpr long kClockSkewSeconds = 5 * 60;
constexpr size_t kMaxCommonName = 64;  // ub-common-name, RFC 5280
constexpr size_t kMaxDnsName = 253;

// Each public function starts and ends with an empty OpenSSL error queue (of this thread): the
// errors it causes are reported in its Status, never left for an unrelated caller to find.
class ErrorQueueScope {
 public:
  ErrorQueueScope() { ERR_clear_error(); }
  ~ErrorQueueScope() { ERR_clear_error(); }
  ErrorQueueScope(const ErrorQueueScope&) = delete;
  ErrorQueueScope& operator=(const ErrorQueueScope&) = delete;
};

// The OpenSSL error queue as text, emptied.
std::string openSslErrors() {
  std::string text;
  for (unsigned long code = ERR_get_error(); code != 0; code = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    if (!text.empty()) text += "; ";
    text += buffer;
  }
  return text.empty() ? "no OpenSSL error reported" : text;
}

// Input the caller gave us was refused by OpenSSL.
Status rejected(std::string_view what) {
  return Status::invalidArgument(std::string(what) + " (" + openSslErrors() + ")");
}

// OpenSSL failed on input already known to be good (allocation, encoding, signing): not the
// caller's fault, and possibly transient. Status has no "internal" code; I/O error is the one
// callers treat as "retry later" rather than "your request is wrong".
Status internalFailure(std::string_view what) {
  return Status::ioError("OpenSSL failed to " + std::string(what) + " (" + openSslErrors() + ")");
}

// The CA's own PEM was checked by create() or load(): failing to read it again is not the
// caller's fault.
Status caUnreadable(const Status& status) {
  return Status::ioError("the CA no longer parses: " + status.message());
}

// PEM input must never make OpenSSL prompt on the terminal for a passphrase: encrypted keys
// are refused.
int noPassphrase(char* /*buffer*/, int /*size*/, int /*writing*/, void* /*user*/) { return -1; }

StatusOr<Bio> readBio(std::string_view pem, std::string_view what) {
  if (pem.size() > kMaxPemInput) {
    return Status::invalidArgument(std::string(what) + ": PEM input larger than 1 MiB");
  }
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return internalFailure("allocate a memory BIO");
  return bio;
}

StatusOr<std::string> bioText(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  if (size <= 0 || data == nullptr) return internalFailure("read a memory BIO");
  return std::string(data, static_cast<size_t>(size));
}

StatusOr<Key> parsePrivateKey(std::string_view pem, std::string_view what) {
  auto bio = readBio(pem, what);
  if (!bio.isOk()) return bio.status();
  Key key(PEM_read_bio_PrivateKey(bio->get(), nullptr, noPassphrase, nullptr));
  if (!key) return rejected(std::string(what) + ": not an unencrypted PEM private key");
  return key;
}

StatusOr<Certificate> parseCertificate(std::string_view pem, std::string_view what) {
  auto bio = readBio(pem, what);
  if (!bio.isOk()) return bio.status();
  Certificate certificate(PEM_read_bio_X509(bio->get(), nullptr, noPassphrase, nullptr));
  if (!certificate) return rejected(std::string(what) + ": not a PEM certificate");
  return certificate;
}

StatusOr<Request> parseRequest(std::string_view pem) {
  auto bio = readBio(pem, "certificate request");
  if (!bio.isOk()) return bio.status();
  Request request(PEM_read_bio_X509_REQ(bio->get(), nullptr, noPassphrase, nullptr));
  if (!request) return rejected("certificate request: not a PEM certificate request");
  return request;
}

StatusOr<Key> generateKey() {
  Key key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!key) return internalFailure("generate an EC P-256 key");
  return key;
}

StatusOr<std::string> privateKeyToPem(EVP_PKEY* key) {
  // Secure memory: the BIO's buffer is wiped when it is freed.
  Bio bio(BIO_new(BIO_s_secmem()));
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return internalFailure("encode the private key");
  }
  return bioText(bio.get());
}

StatusOr<std::string> certificateToPem(X509* certificate) {
  Bio bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), certificate) != 1) {
    return internalFailure("encode the certificate");
  }
  return bioText(bio.get());
}

// Lower-case hex SHA-256 of the DER encoding.
StatusOr<std::string> derFingerprint(X509* certificate) {
  unsigned char* der = nullptr;
  const int length = i2d_X509(certificate, &der);
  const OpenSslBytes owned(der);
  if (length <= 0) return rejected("certificate: cannot be DER-encoded");
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_length = 0;
  if (EVP_Digest(der, static_cast<size_t>(length), digest, &digest_length, EVP_sha256(), nullptr) !=
      1) {
    return internalFailure("hash the certificate");
  }
  return protocol::toHex({digest, digest_length});
}

StatusOr<int64_t> unixTime(const ASN1_TIME* time, std::string_view what) {
  const Time epoch(ASN1_TIME_set(nullptr, 0));
  if (!epoch) return internalFailure("allocate a time");
  int days = 0;
  int seconds = 0;
  if (time == nullptr || ASN1_TIME_diff(&days, &seconds, epoch.get(), time) != 1) {
    return rejected(std::string("certificate: unreadable ") + std::string(what));
  }
  return int64_t{days} * 86400 + seconds;
}

// The subject's common name; empty if it has none. Two common names are ambiguous: refused.
StatusOr<std::string> commonName(const X509_NAME* name) {
  const int index = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
  if (index < 0) return std::string();
  if (X509_NAME_get_index_by_NID(name, NID_commonName, index) >= 0) {
    return Status::invalidArgument("certificate: more than one common name");
  }
  const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
  unsigned char* utf8 = nullptr;
  const int length = ASN1_STRING_to_UTF8(&utf8, data);
  const OpenSslBytes owned(utf8);
  if (length < 0) return rejected("certificate: unreadable common name");
  std::string text(reinterpret_cast<const char*>(utf8), static_cast<size_t>(length));
  if (text.find('\0') != std::string::npos) {
    return Status::invalidArgument("certificate: common name contains a NUL byte");
  }
  return text;
}

Status setCommonName(X509_NAME* name, std::string_view common_name) {
  if (common_name.empty() || common_name.size() > kMaxCommonName ||
      common_name.find('\0') != std::string_view::npos) {
    return Status::invalidArgument("common name must be 1-64 bytes without NUL");
  }
  if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(common_name.data()),
                                 static_cast<int>(common_name.size()), -1, 0) != 1) {
    return rejected("common name '" + std::string(common_name) + "' refused");
  }
  return Status::ok();
}

Status setRandomSerial(X509* certificate) {
  unsigned char bytes[16];  // 128 random bits; a positive INTEGER of at most 17 octets
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    return Status::ioError("the random generator could not be seeded (" + openSslErrors() + ")");
  }
  const BigNumber serial(BN_bin2bn(bytes, sizeof bytes, nullptr));
  if (!serial || BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(certificate)) == nullptr) {
    return internalFailure("set the serial number");
  }
  return Status::ok();
}

// A version 3 certificate with a random serial, valid from 5 minutes ago (clock skew between
// the collector and its clients) until `days` from now, for `common_name` and `subject_key`,
// issued by `issuer` (null: self-issued).
StatusOr<Certificate> newCertificate(std::string_view common_name, EVP_PKEY* subject_key,
                                     X509* issuer, int days) {
  if (days < 1 || days > kMaxDays) {
    return Status::invalidArgument("validity must be 1-36500 days, not " + std::to_string(days));
  }
  Certificate certificate(X509_new());
  if (!certificate || X509_set_version(certificate.get(), X509_VERSION_3) != 1) {
    return internalFailure("create a certificate");
  }
  VIGIE_RETURN_IF_ERROR(setRandomSerial(certificate.get()));
  std::time_t now = std::time(nullptr);
  if (X509_time_adj_ex(X509_getm_notBefore(certificate.get()), 0, -kClockSkewSeconds, &now) ==
          nullptr ||
      X509_time_adj_ex(X509_getm_notAfter(certificate.get()), days, 0, &now) == nullptr) {
    return internalFailure("set the validity");
  }
  VIGIE_RETURN_IF_ERROR(setCommonName(X509_get_subject_name(certificate.get()), common_name));
  X509* signer = issuer != nullptr ? issuer : certificate.get();
  if (X509_set_issuer_name(certificate.get(), X509_get_subject_name(signer)) != 1) {
    return internalFailure("set the issuer name");
  }
  if (X509_set_pubkey(certificate.get(), subject_key) != 1) {
    return rejected("the subject key cannot go into a certificate");
  }
  return certificate;
}

// One extension in openssl.cnf syntax. `issuer` is the certificate itself for a self-signed one.
Status addExtension(X509* certificate, X509* issuer, int nid, const char* value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer, certificate, nullptr, nullptr, 0);
  const Extension extension(X509V3_EXT_nconf_nid(nullptr, &context, nid, value));
  if (!extension || X509_add_ext(certificate, extension.get(), -1) != 1) {
    return internalFailure(std::string("add the extension ") + OBJ_nid2sn(nid) + " = " + value);
  }
  return Status::ok();
}

// Extensions of every certificate the CA issues.
Status addLeafExtensions(X509* certificate, X509* ca, const char* extended_key_usage) {
  VIGIE_RETURN_IF_ERROR(addExtension(certificate, ca, NID_basic_constraints, "critical,CA:FALSE"));
  VIGIE_RETURN_IF_ERROR(addExtension(certificate, ca, NID_key_usage, "critical,digitalSignature"));
  VIGIE_RETURN_IF_ERROR(addExtension(certificate, ca, NID_ext_key_usage, extended_key_usage));
  VIGIE_RETURN_IF_ERROR(addExtension(certificate, ca, NID_subject_key_identifier, "hash"));
  // keyid when the CA has a subjectKeyIdentifier (ours always do), issuer and serial otherwise.
  return addExtension(certificate, ca, NID_authority_key_identifier, "keyid,issuer");
}

// Letters, digits, '-', '_' and '.'; no wildcard, no space, nothing a TLS client would not match.
bool isDnsName(std::string_view name) {
  if (name.empty() || name.size() > kMaxDnsName) return false;
  for (const char c : name) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    if (!allowed) return false;
  }
  return true;
}

// subjectAltName entries built as values, not as configuration text, so that no name can
// smuggle in another entry. IP addresses (v4 or v6, as a2i_IPADDRESS reads them) become
// iPAddress entries, every other name a dNSName.
StatusOr<GeneralNames> subjectAltNames(const std::vector<std::string>& names) {
  GeneralNames list(GENERAL_NAMES_new());
  if (!list) return internalFailure("allocate subjectAltName");
  for (const std::string& name : names) {
    if (name.find('\0') != std::string::npos) {
      return Status::invalidArgument("server name contains a NUL byte");
    }
    GeneralName entry(GENERAL_NAME_new());
    if (!entry) return internalFailure("allocate a subjectAltName entry");
    OctetString address(a2i_IPADDRESS(name.c_str()));
    if (address) {
      GENERAL_NAME_set0_value(entry.get(), GEN_IPADD, address.release());
    } else {
      if (!isDnsName(name)) {
        return Status::invalidArgument("server name '" + name +
                                       "' is neither an IP address nor a DNS name");
      }
      Ia5String dns(ASN1_IA5STRING_new());
      if (!dns || ASN1_STRING_set(dns.get(), name.data(), static_cast<int>(name.size())) != 1) {
        return internalFailure("encode a DNS name");
      }
      GENERAL_NAME_set0_value(entry.get(), GEN_DNS, dns.release());
    }
    if (sk_GENERAL_NAME_push(list.get(), entry.get()) <= 0) {
      return internalFailure("add a subjectAltName entry");
    }
    entry.release();  // owned by the list now
  }
  return list;
}

// Keys a client may enroll with: EC P-256 (what the agent makes) or RSA of 2048 bits or more.
Status checkRequestKey(EVP_PKEY* key) {
  if (EVP_PKEY_is_a(key, "EC") == 1) {
    char group[64] = {};
    size_t length = 0;
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                       &length) != 1 ||
        std::string_view(group, length) != SN_X9_62_prime256v1) {
      return Status::invalidArgument("certificate request: EC keys must be on curve P-256");
    }
    return Status::ok();
  }
  if (EVP_PKEY_is_a(key, "RSA") == 1) {
    if (EVP_PKEY_get_bits(key) >= 2048) return Status::ok();
    return Status::invalidArgument(
        "certificate request: RSA keys must have at least 2048 bits, "
        "not " +
        std::to_string(EVP_PKEY_get_bits(key)));
  }
  return Status::invalidArgument("certificate request: the key must be EC P-256 or RSA");
}

}  // namespace

StatusOr<std::string> generatePrivateKeyPem() {
  const ErrorQueueScope errors;
  auto key = generateKey();
  if (!key.isOk()) return key.status();
  return privateKeyToPem(key->get());
}

StatusOr<std::string> makeCertificateRequest(std::string_view private_key_pem,
                                             std::string_view common_name) {
  const ErrorQueueScope errors;
  auto key = parsePrivateKey(private_key_pem, "private key");
  if (!key.isOk()) return key.status();
  const Request request(X509_REQ_new());
  const Name name(X509_NAME_new());
  if (!request || !name || X509_REQ_set_version(request.get(), X509_REQ_VERSION_1) != 1) {
    return internalFailure("create a certificate request");
  }
  VIGIE_RETURN_IF_ERROR(setCommonName(name.get(), common_name));
  if (X509_REQ_set_subject_name(request.get(), name.get()) != 1 ||
      X509_REQ_set_pubkey(request.get(), key->get()) != 1) {
    return internalFailure("fill the certificate request");
  }
  if (X509_REQ_sign(request.get(), key->get(), EVP_sha256()) <= 0) {
    return rejected("private key: cannot sign a certificate request with SHA-256");
  }
  const Bio bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509_REQ(bio.get(), request.get()) != 1) {
    return internalFailure("encode the certificate request");
  }
  return bioText(bio.get());
}

StatusOr<CertificateInfo> inspectCertificate(std::string_view certificate_pem) {
  const ErrorQueueScope errors;
  auto certificate = parseCertificate(certificate_pem, "certificate");
  if (!certificate.isOk()) return certificate.status();
  auto name = commonName(X509_get_subject_name(certificate->get()));
  if (!name.isOk()) return name.status();
  auto fingerprint = derFingerprint(certificate->get());
  if (!fingerprint.isOk()) return fingerprint.status();
  auto not_after = unixTime(X509_get0_notAfter(certificate->get()), "notAfter");
  if (!not_after.isOk()) return not_after.status();
  CertificateInfo info;
  info.common_name = std::move(name).value();
  info.sha256_fingerprint = std::move(fingerprint).value();
  info.not_after_unix = *not_after;
  return info;
}

StatusOr<std::string> certificateFingerprint(std::string_view certificate_pem) {
  const ErrorQueueScope errors;
  auto certificate = parseCertificate(certificate_pem, "certificate");
  if (!certificate.isOk()) return certificate.status();
  return derFingerprint(certificate->get());
}

StatusOr<CertificateAuthority> CertificateAuthority::create(std::string_view common_name,
                                                            int days) {
  const ErrorQueueScope errors;
  auto key = generateKey();
  if (!key.isOk()) return key.status();
  auto key_pem = privateKeyToPem(key->get());
  if (!key_pem.isOk()) return key_pem.status();
  auto certificate = newCertificate(common_name, key->get(), /*issuer=*/nullptr, days);
  if (!certificate.isOk()) return certificate.status();
  X509* ca = certificate->get();
  // pathlen:0: this CA signs end-entity certificates only, never another CA.
  VIGIE_RETURN_IF_ERROR(addExtension(ca, ca, NID_basic_constraints, "critical,CA:TRUE,pathlen:0"));
  VIGIE_RETURN_IF_ERROR(addExtension(ca, ca, NID_key_usage, "critical,keyCertSign,cRLSign"));
  VIGIE_RETURN_IF_ERROR(addExtension(ca, ca, NID_subject_key_identifier, "hash"));
  if (X509_sign(ca, key->get(), EVP_sha256()) <= 0) return internalFailure("sign the CA");
  auto pem = certificateToPem(ca);
  if (!pem.isOk()) return pem.status();
  return CertificateAuthority(std::move(pem).value(), std::move(key_pem).value());
}

StatusOr<CertificateAuthority> CertificateAuthority::load(std::string certificate_pem,
                                                          std::string private_key_pem) {
  const ErrorQueueScope errors;
  auto certificate = parseCertificate(certificate_pem, "CA certificate");
  if (!certificate.isOk()) return certificate.status();
  auto key = parsePrivateKey(private_key_pem, "CA private key");
  if (!key.isOk()) return key.status();
  if (X509_check_private_key(certificate->get(), key->get()) != 1) {
    return rejected("the CA private key does not match the CA certificate");
  }
  // 1: basicConstraints CA:TRUE (and keyCertSign if keyUsage is present). The other non-zero
  // answers (v1 self-signed, Netscape cert type) are not CAs a modern TLS stack accepts.
  if (X509_check_ca(certificate->get()) != 1) {
    return Status::invalidArgument("the CA certificate is not a CA (basicConstraints CA:TRUE)");
  }
  return CertificateAuthority(std::move(certificate_pem), std::move(private_key_pem));
}

StatusOr<std::string> CertificateAuthority::issueServerCertificate(
    std::string_view private_key_pem, const std::vector<std::string>& names, int days) const {
  const ErrorQueueScope errors;
  if (names.empty()) return Status::invalidArgument("a server certificate needs a name");
  auto alt_names = subjectAltNames(names);
  if (!alt_names.isOk()) return alt_names.status();
  auto subject_key = parsePrivateKey(private_key_pem, "server private key");
  if (!subject_key.isOk()) return subject_key.status();
  auto ca = parseCertificate(certificate_pem_, "CA certificate");
  if (!ca.isOk()) return caUnreadable(ca.status());
  auto ca_key = parsePrivateKey(private_key_pem_, "CA private key");
  if (!ca_key.isOk()) return caUnreadable(ca_key.status());
  auto certificate = newCertificate(names.front(), subject_key->get(), ca->get(), days);
  if (!certificate.isOk()) return certificate.status();
  X509* server = certificate->get();
  VIGIE_RETURN_IF_ERROR(addLeafExtensions(server, ca->get(), "serverAuth"));
  if (X509_add1_ext_i2d(server, NID_subject_alt_name, alt_names->get(), 0, X509V3_ADD_DEFAULT) !=
      1) {
    return internalFailure("add subjectAltName");
  }
  if (X509_sign(server, ca_key->get(), EVP_sha256()) <= 0) {
    return internalFailure("sign the server certificate");
  }
  return certificateToPem(server);
}

StatusOr<std::string> CertificateAuthority::issueClientCertificate(
    std::string_view certificate_request_pem, std::string_view common_name, int days) const {
  const ErrorQueueScope errors;
  auto request = parseRequest(certificate_request_pem);
  if (!request.isOk()) return request.status();
  EVP_PKEY* request_key = X509_REQ_get0_pubkey(request->get());  // owned by the request
  if (request_key == nullptr) return rejected("certificate request: unreadable public key");
  VIGIE_RETURN_IF_ERROR(checkRequestKey(request_key));
  if (X509_REQ_verify(request->get(), request_key) != 1) {
    return rejected("certificate request: its signature does not verify");
  }
  auto ca = parseCertificate(certificate_pem_, "CA certificate");
  if (!ca.isOk()) return caUnreadable(ca.status());
  auto ca_key = parsePrivateKey(private_key_pem_, "CA private key");
  if (!ca_key.isOk()) return caUnreadable(ca_key.status());
  // The request's subject is ignored: the name is the collector's, never the client's.
  auto certificate = newCertificate(common_name, request_key, ca->get(), days);
  if (!certificate.isOk()) return certificate.status();
  X509* client = certificate->get();
  VIGIE_RETURN_IF_ERROR(addLeafExtensions(client, ca->get(), "clientAuth"));
  if (X509_sign(client, ca_key->get(), EVP_sha256()) <= 0) {
    return internalFailure("sign the client certificate");
  }
  return certificateToPem(client);
}

StatusOr<std::vector<uint8_t>> CertificateAuthority::sign(std::string_view data) const {
  const ErrorQueueScope errors;
  auto ca_key = parsePrivateKey(private_key_pem_, "CA private key");
  if (!ca_key.isOk()) return caUnreadable(ca_key.status());
  DigestContext context(EVP_MD_CTX_new());
  size_t size = 0;
  if (!context ||
      EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, ca_key->get()) != 1 ||
      EVP_DigestSign(context.get(), nullptr, &size,
                     reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1) {
    return internalFailure("start a signature");
  }
  std::vector<uint8_t> signature(size);
  if (EVP_DigestSign(context.get(), signature.data(), &size,
                     reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1) {
    return internalFailure("sign");
  }
  signature.resize(size);
  return signature;
}

Status verifySignature(std::string_view certificate_pem, std::string_view data,
                       std::span<const uint8_t> signature) {
  const ErrorQueueScope errors;
  auto certificate = parseCertificate(certificate_pem, "signer certificate");
  if (!certificate.isOk()) return certificate.status();
  EVP_PKEY* key = X509_get0_pubkey(certificate->get());  // owned by the certificate
  if (key == nullptr) return rejected("signer certificate: unreadable public key");
  DigestContext context(EVP_MD_CTX_new());
  if (!context || EVP_DigestVerifyInit(context.get(), nullptr, EVP_sha256(), nullptr, key) != 1) {
    return internalFailure("start a signature check");
  }
  if (EVP_DigestVerify(context.get(), signature.data(), signature.size(),
                       reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1) {
    return Status::invalidArgument("the signature does not verify");
  }
  return Status::ok();
}

}  // namespace vigie::crypto
