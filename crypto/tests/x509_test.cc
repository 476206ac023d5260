#include "vigie/crypto/x509.h"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <ctime>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace vigie::crypto {
namespace {

// Everything below checks the certificates with OpenSSL directly, not with x509.cc's helpers.
template <auto Free>
struct Deleter {
  template <typename T>
  void operator()(T* handle) const {
    Free(handle);
  }
};
using Bio = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using Certificate = std::unique_ptr<X509, Deleter<X509_free>>;
using Request = std::unique_ptr<X509_REQ, Deleter<X509_REQ_free>>;
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using Store = std::unique_ptr<X509_STORE, Deleter<X509_STORE_free>>;
using StoreContext = std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX_free>>;
using GeneralNames = std::unique_ptr<GENERAL_NAMES, Deleter<GENERAL_NAMES_free>>;
using Time = std::unique_ptr<ASN1_TIME, Deleter<ASN1_TIME_free>>;
using BigNumber = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
struct OpenSslFree {
  void operator()(unsigned char* bytes) const { OPENSSL_free(bytes); }
};
using OpenSslBytes = std::unique_ptr<unsigned char, OpenSslFree>;

Bio readBio(const std::string& pem) {
  return Bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

std::string bioText(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(size));
}

Certificate parse(const std::string& pem) {
  Bio bio = readBio(pem);
  return Certificate(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

// A PEM private key of any type, made here rather than by generatePrivateKeyPem().
std::string keyPem(EVP_PKEY* key) {
  Bio bio(BIO_new(BIO_s_mem()));
  EXPECT_EQ(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr), 1);
  return bioText(bio.get());
}

std::string rsaKeyPem(unsigned bits) {
  Key key(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(bits)));
  EXPECT_TRUE(key);
  return keyPem(key.get());
}

std::string ecKeyPem(const char* curve) {
  Key key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve));
  EXPECT_TRUE(key);
  return keyPem(key.get());
}

// Verifies `leaf` against `ca` alone, for `purpose`, with OpenSSL's own chain check in its
// strict RFC 5280 mode. "" if it verifies, otherwise why not.
std::string verifyError(const std::string& ca, const std::string& leaf, int purpose) {
  Certificate root = parse(ca);
  Certificate cert = parse(leaf);
  Store store(X509_STORE_new());
  StoreContext context(X509_STORE_CTX_new());
  if (!root || !cert || !store || !context || X509_STORE_add_cert(store.get(), root.get()) != 1 ||
      X509_STORE_CTX_init(context.get(), store.get(), cert.get(), nullptr) != 1 ||
      X509_STORE_CTX_set_purpose(context.get(), purpose) != 1) {
    ERR_clear_error();
    return "cannot set up the verification";
  }
  X509_STORE_CTX_set_flags(context.get(), X509_V_FLAG_X509_STRICT);
  const bool ok = X509_verify_cert(context.get()) == 1;
  ERR_clear_error();
  return ok ? std::string()
            : X509_verify_cert_error_string(X509_STORE_CTX_get_error(context.get()));
}

// subjectAltName as "DNS:name" and "IP:a.b.c.d" (IPv4) or "IP6:<16 bytes hex>".
std::set<std::string> altNames(X509* cert) {
  GeneralNames names(
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  std::set<std::string> out;
  if (!names) return out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    int type = 0;
    const auto* value = static_cast<const ASN1_STRING*>(GENERAL_NAME_get0_value(name, &type));
    const unsigned char* bytes = ASN1_STRING_get0_data(value);
    const int length = ASN1_STRING_length(value);
    if (type == GEN_DNS) {
      out.insert("DNS:" +
                 std::string(reinterpret_cast<const char*>(bytes), static_cast<size_t>(length)));
    } else if (type == GEN_IPADD && length == 4) {
      char text[32];
      std::snprintf(text, sizeof text, "IP:%u.%u.%u.%u", bytes[0], bytes[1], bytes[2], bytes[3]);
      out.insert(text);
    } else if (type == GEN_IPADD && length == 16) {
      std::string text = "IP6:";
      for (int b = 0; b < 16; ++b) {
        char hex[3];
        std::snprintf(hex, sizeof hex, "%02x", bytes[b]);
        text += hex;
      }
      out.insert(text);
    } else {
      out.insert("other");
    }
  }
  return out;
}

bool isCritical(X509* cert, int nid) {
  const int index = X509_get_ext_by_NID(cert, nid, -1);
  return index >= 0 && X509_EXTENSION_get_critical(X509_get_ext(cert, index)) == 1;
}

// Seconds from now to `time` (negative in the past).
int64_t secondsFromNow(const ASN1_TIME* time) {
  Time now(ASN1_TIME_set(nullptr, std::time(nullptr)));
  int days = 0;
  int seconds = 0;
  EXPECT_EQ(ASN1_TIME_diff(&days, &seconds, now.get(), time), 1);
  return int64_t{days} * 86400 + seconds;
}

// Within a minute of `expected`: the test's clock readings and the library's are that close.
void expectAbout(int64_t actual, int64_t expected) {
  EXPECT_GE(actual, expected - 60);
  EXPECT_LE(actual, expected + 60);
}

std::string serialHex(X509* cert) {
  BigNumber serial(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr));
  char* hex = BN_bn2hex(serial.get());
  std::string out(hex);
  OPENSSL_free(hex);
  return out;
}

// The request re-encoded as PEM with one byte of its DER changed at `offset_from_end`.
std::string withFlippedDerByte(const std::string& request_pem, size_t offset_from_end) {
  Bio in = readBio(request_pem);
  Request request(PEM_read_bio_X509_REQ(in.get(), nullptr, nullptr, nullptr));
  EXPECT_TRUE(request);
  unsigned char* der = nullptr;
  const int length = i2d_X509_REQ(request.get(), &der);
  OpenSslBytes owned(der);
  EXPECT_GT(length, 0);
  der[static_cast<size_t>(length) - 1 - offset_from_end] ^= 0x01;
  Bio out(BIO_new(BIO_s_mem()));
  EXPECT_GT(PEM_write_bio(out.get(), "CERTIFICATE REQUEST", "", der, length), 0);
  return bioText(out.get());
}

class X509Test : public ::testing::Test {
 protected:
  void SetUp() override {
    auto created = CertificateAuthority::create("Test CA", 30);
    ASSERT_TRUE(created.isOk()) << created.status().toString();
    ca_ = std::make_unique<CertificateAuthority>(std::move(created).value());
  }

  std::string newKey() {
    auto key = generatePrivateKeyPem();
    EXPECT_TRUE(key.isOk()) << key.status().toString();
    return key.isOk() ? *key : std::string();
  }

  std::string newRequest(const std::string& common_name) {
    auto request = makeCertificateRequest(newKey(), common_name);
    EXPECT_TRUE(request.isOk()) << request.status().toString();
    return request.isOk() ? *request : std::string();
  }

  std::unique_ptr<CertificateAuthority> ca_;
};

TEST_F(X509Test, GeneratedKeysArePkcs8EcP256) {
  const std::string pem = newKey();
  EXPECT_EQ(pem.rfind("-----BEGIN PRIVATE KEY-----", 0), 0u) << pem;
  Bio bio = readBio(pem);
  Key key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  ASSERT_TRUE(key);
  EXPECT_TRUE(EVP_PKEY_is_a(key.get(), "EC"));
  char group[64] = {};
  size_t length = 0;
  ASSERT_EQ(EVP_PKEY_get_utf8_string_param(key.get(), "group", group, sizeof group, &length), 1);
  EXPECT_STREQ(group, "prime256v1");
}

TEST_F(X509Test, AuthorityIsACriticallyConstrainedSelfSignedCa) {
  Certificate cert = parse(ca_->certificatePem());
  ASSERT_TRUE(cert);
  EXPECT_EQ(X509_get_version(cert.get()), X509_VERSION_3);
  EXPECT_EQ(X509_check_ca(cert.get()), 1);
  EXPECT_TRUE(isCritical(cert.get(), NID_basic_constraints));
  EXPECT_TRUE(isCritical(cert.get(), NID_key_usage));
  EXPECT_EQ(X509_get_key_usage(cert.get()), uint32_t{KU_KEY_CERT_SIGN | KU_CRL_SIGN});
  EXPECT_NE(X509_get0_subject_key_id(cert.get()), nullptr);
  EXPECT_EQ(X509_NAME_cmp(X509_get_subject_name(cert.get()), X509_get_issuer_name(cert.get())), 0);
  EXPECT_EQ(verifyError(ca_->certificatePem(), ca_->certificatePem(), X509_PURPOSE_ANY), "");
  // Clock skew allowance before, `days` after.
  expectAbout(secondsFromNow(X509_get0_notBefore(cert.get())), -300);
  expectAbout(secondsFromNow(X509_get0_notAfter(cert.get())), 30 * 86400);
}

TEST_F(X509Test, AuthorityRoundTripsThroughLoad) {
  auto loaded = CertificateAuthority::load(ca_->certificatePem(), ca_->privateKeyPem());
  ASSERT_TRUE(loaded.isOk()) << loaded.status().toString();
  EXPECT_EQ(loaded->certificatePem(), ca_->certificatePem());
  EXPECT_EQ(loaded->privateKeyPem(), ca_->privateKeyPem());
  // The reloaded authority issues certificates that chain to the same CA.
  auto client = loaded->issueClientCertificate(newRequest("x"), "dev-ws001", 30);
  ASSERT_TRUE(client.isOk()) << client.status().toString();
  EXPECT_EQ(verifyError(ca_->certificatePem(), *client, X509_PURPOSE_SSL_CLIENT), "");
}

TEST_F(X509Test, LoadRefusesAForeignKey) {
  auto mismatched = CertificateAuthority::load(ca_->certificatePem(), newKey());
  EXPECT_EQ(mismatched.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(mismatched.status().message().find("does not match"), std::string::npos)
      << mismatched.status().message();
  EXPECT_EQ(ERR_peek_error(), 0u) << "the OpenSSL error queue is left empty";
}

TEST_F(X509Test, LoadRefusesACertificateThatIsNotACa) {
  const std::string key = newKey();
  auto server = ca_->issueServerCertificate(key, {"localhost"}, 30);
  ASSERT_TRUE(server.isOk()) << server.status().toString();
  auto loaded = CertificateAuthority::load(*server, key);
  EXPECT_EQ(loaded.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(loaded.status().message().find("not a CA"), std::string::npos)
      << loaded.status().message();
}

TEST_F(X509Test, LoadRefusesGarbageAndEncryptedKeys) {
  EXPECT_EQ(CertificateAuthority::load("garbage", ca_->privateKeyPem()).status().code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(CertificateAuthority::load(ca_->certificatePem(), "").status().code(),
            Status::Code::kInvalidArgument);
  // An encrypted key is refused, never answered by a passphrase prompt on the terminal.
  Bio in = readBio(ca_->privateKeyPem());
  Key key(PEM_read_bio_PrivateKey(in.get(), nullptr, nullptr, nullptr));
  ASSERT_TRUE(key);
  Bio out(BIO_new(BIO_s_mem()));
  const std::string passphrase = "correct horse";
  ASSERT_EQ(PEM_write_bio_PrivateKey(out.get(), key.get(), EVP_aes_256_cbc(),
                                     reinterpret_cast<const unsigned char*>(passphrase.data()),
                                     static_cast<int>(passphrase.size()), nullptr, nullptr),
            1);
  auto loaded = CertificateAuthority::load(ca_->certificatePem(), bioText(out.get()));
  EXPECT_EQ(loaded.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(loaded.status().message().find("CA private key"), std::string::npos)
      << loaded.status().message();
}

TEST_F(X509Test, ServerCertificateChainsToTheCaWithItsNames) {
  auto server =
      ca_->issueServerCertificate(newKey(), {"collector.example", "localhost", "127.0.0.1"}, 30);
  ASSERT_TRUE(server.isOk()) << server.status().toString();
  EXPECT_EQ(verifyError(ca_->certificatePem(), *server, X509_PURPOSE_SSL_SERVER), "");
  EXPECT_EQ(verifyError(ca_->certificatePem(), *server, X509_PURPOSE_SSL_CLIENT),
            "unsuitable certificate purpose");

  Certificate cert = parse(*server);
  ASSERT_TRUE(cert);
  EXPECT_EQ(altNames(cert.get()),
            (std::set<std::string>{"DNS:collector.example", "DNS:localhost", "IP:127.0.0.1"}));
  EXPECT_EQ(X509_check_host(cert.get(), "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(cert.get(), "127.0.0.1", 0), 1);
  EXPECT_NE(X509_check_host(cert.get(), "evil.example", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_get_extended_key_usage(cert.get()), uint32_t{XKU_SSL_SERVER});
  EXPECT_EQ(X509_get_key_usage(cert.get()), uint32_t{KU_DIGITAL_SIGNATURE});
  EXPECT_EQ(X509_check_ca(cert.get()), 0);
  EXPECT_NE(X509_get0_authority_key_id(cert.get()), nullptr);

  auto info = inspectCertificate(*server);
  ASSERT_TRUE(info.isOk()) << info.status().toString();
  EXPECT_EQ(info->common_name, "collector.example");
}

TEST_F(X509Test, ServerCertificateTakesIpv6Addresses) {
  auto server = ca_->issueServerCertificate(newKey(), {"::1"}, 30);
  ASSERT_TRUE(server.isOk()) << server.status().toString();
  Certificate cert = parse(*server);
  EXPECT_EQ(altNames(cert.get()), (std::set<std::string>{"IP6:00000000000000000000000000000001"}));
  EXPECT_EQ(X509_check_ip_asc(cert.get(), "::1", 0), 1);
}

TEST_F(X509Test, ServerCertificateRefusesBadNamesAndValidity) {
  const std::string key = newKey();
  for (const std::vector<std::string>& names : std::vector<std::vector<std::string>>{
           {},
           {""},
           {"localhost", "evil.example,DNS:other.example"},
           {"two words"},
           {std::string("localhost\0evil", 14)},
           {std::string("127.0.0.1\0", 10)},
           {std::string(65, 'a')},  // too long for the common name
       }) {
    auto server = ca_->issueServerCertificate(key, names, 30);
    EXPECT_EQ(server.status().code(), Status::Code::kInvalidArgument)
        << (names.empty() ? "(none)" : names.back());
  }
  EXPECT_EQ(ca_->issueServerCertificate(key, {"localhost"}, 0).status().code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(ca_->issueServerCertificate("not a key", {"localhost"}, 30).status().code(),
            Status::Code::kInvalidArgument);
}

TEST_F(X509Test, ClientCertificateTakesTheCollectorsNameNotTheRequests) {
  const std::string request = newRequest("i-claim-to-be-the-admin");
  auto client = ca_->issueClientCertificate(request, "dev-ws042", 30);
  ASSERT_TRUE(client.isOk()) << client.status().toString();
  EXPECT_EQ(verifyError(ca_->certificatePem(), *client, X509_PURPOSE_SSL_CLIENT), "");
  EXPECT_EQ(verifyError(ca_->certificatePem(), *client, X509_PURPOSE_SSL_SERVER),
            "unsuitable certificate purpose");

  Certificate cert = parse(*client);
  ASSERT_TRUE(cert);
  EXPECT_EQ(X509_get_extended_key_usage(cert.get()), uint32_t{XKU_SSL_CLIENT});
  EXPECT_EQ(X509_check_ca(cert.get()), 0);
  EXPECT_EQ(X509_get_ext_by_NID(cert.get(), NID_subject_alt_name, -1), -1);
  char common_name[128] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(cert.get()), NID_commonName, common_name,
                            sizeof common_name);
  EXPECT_STREQ(common_name, "dev-ws042");

  auto info = inspectCertificate(*client);
  ASSERT_TRUE(info.isOk()) << info.status().toString();
  EXPECT_EQ(info->common_name, "dev-ws042");
  expectAbout(info->not_after_unix, std::time(nullptr) + 30 * 86400);

  // A random serial per certificate, even for the same request.
  auto again = ca_->issueClientCertificate(request, "dev-ws042", 30);
  ASSERT_TRUE(again.isOk());
  Certificate second = parse(*again);
  EXPECT_NE(serialHex(cert.get()), serialHex(second.get()));
  EXPECT_LE(serialHex(cert.get()).size(), 32u);
  EXPECT_GE(serialHex(cert.get()).size(), 20u);  // not a small counter
}

TEST_F(X509Test, ClientCertificateFromAnotherCaDoesNotVerify) {
  auto other = CertificateAuthority::create("Other CA", 30);
  ASSERT_TRUE(other.isOk());
  auto client = other->issueClientCertificate(newRequest("x"), "dev-ws042", 30);
  ASSERT_TRUE(client.isOk());
  EXPECT_EQ(verifyError(ca_->certificatePem(), *client, X509_PURPOSE_SSL_CLIENT),
            "unable to get local issuer certificate");
  EXPECT_EQ(verifyError(other->certificatePem(), *client, X509_PURPOSE_SSL_CLIENT), "");
}

TEST_F(X509Test, RequestKeysMustBeP256OrStrongRsa) {
  auto rsa = makeCertificateRequest(rsaKeyPem(2048), "x");
  ASSERT_TRUE(rsa.isOk()) << rsa.status().toString();
  auto rsa_client = ca_->issueClientCertificate(*rsa, "dev-rsa", 30);
  ASSERT_TRUE(rsa_client.isOk()) << rsa_client.status().toString();
  EXPECT_EQ(verifyError(ca_->certificatePem(), *rsa_client, X509_PURPOSE_SSL_CLIENT), "");

  auto weak = makeCertificateRequest(rsaKeyPem(1024), "x");
  ASSERT_TRUE(weak.isOk()) << weak.status().toString();
  auto refused = ca_->issueClientCertificate(*weak, "dev-rsa", 30);
  EXPECT_EQ(refused.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("2048"), std::string::npos);

  auto p384 = makeCertificateRequest(ecKeyPem("P-384"), "x");
  ASSERT_TRUE(p384.isOk()) << p384.status().toString();
  refused = ca_->issueClientCertificate(*p384, "dev-ec", 30);
  EXPECT_EQ(refused.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("P-256"), std::string::npos);
}

TEST_F(X509Test, GarbageOrTruncatedRequestsAreRefused) {
  const std::string request = newRequest("dev-ws042");
  ASSERT_TRUE(ca_->issueClientCertificate(request, "dev-ws042", 30).isOk());
  for (const std::string& bad : {
           std::string(),
           std::string("garbage"),
           request.substr(0, request.size() / 2),
           request.substr(0, request.find("-----END")),
           std::string("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE "
                       "REQUEST-----\n"),
           ca_->certificatePem(),
       }) {
    auto issued = ca_->issueClientCertificate(bad, "dev-ws042", 30);
    EXPECT_EQ(issued.status().code(), Status::Code::kInvalidArgument) << bad;
    EXPECT_NE(issued.status().message().find("certificate request"), std::string::npos)
        << issued.status().message();
    EXPECT_EQ(ERR_peek_error(), 0u) << "the OpenSSL error queue is left empty";
  }
}

TEST_F(X509Test, RequestWithATamperedSignatureIsRefused) {
  const std::string request = newRequest("dev-ws042");
  // The last bytes of the DER are the end of the signature value.
  for (size_t offset : {size_t{0}, size_t{5}}) {
    const std::string tampered = withFlippedDerByte(request, offset);
    ASSERT_NE(tampered, request);
    auto issued = ca_->issueClientCertificate(tampered, "dev-ws042", 30);
    EXPECT_EQ(issued.status().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(issued.status().message().find("signature"), std::string::npos)
        << issued.status().message();
  }
}

TEST_F(X509Test, RequestCarriesItsNameAndAValidSignature) {
  auto bad = makeCertificateRequest("not a key", "dev-ws042");
  EXPECT_EQ(bad.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(makeCertificateRequest(newKey(), "").status().code(), Status::Code::kInvalidArgument);

  const std::string pem = newRequest("dev-ws042");
  Bio bio = readBio(pem);
  Request request(PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr));
  ASSERT_TRUE(request);
  EXPECT_EQ(X509_REQ_verify(request.get(), X509_REQ_get0_pubkey(request.get())), 1);
  char common_name[128] = {};
  X509_NAME_get_text_by_NID(X509_REQ_get_subject_name(request.get()), NID_commonName, common_name,
                            sizeof common_name);
  EXPECT_STREQ(common_name, "dev-ws042");
}

TEST_F(X509Test, FingerprintIsSha256OfTheDerInLowerCaseHex) {
  auto fingerprint = certificateFingerprint(ca_->certificatePem());
  ASSERT_TRUE(fingerprint.isOk()) << fingerprint.status().toString();
  ASSERT_EQ(fingerprint->size(), 64u);
  EXPECT_EQ(fingerprint->find_first_not_of("0123456789abcdef"), std::string::npos) << *fingerprint;

  Certificate cert = parse(ca_->certificatePem());
  unsigned char* der = nullptr;
  const int length = i2d_X509(cert.get(), &der);
  OpenSslBytes owned(der);
  ASSERT_GT(length, 0);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_length = 0;
  ASSERT_EQ(
      EVP_Digest(der, static_cast<size_t>(length), digest, &digest_length, EVP_sha256(), nullptr),
      1);
  ASSERT_EQ(digest_length, 32u);
  std::string hex;
  for (unsigned i = 0; i < digest_length; ++i) {
    char pair[3];
    std::snprintf(pair, sizeof pair, "%02x", digest[i]);
    hex += pair;
  }
  EXPECT_EQ(*fingerprint, hex);

  auto info = inspectCertificate(ca_->certificatePem());
  ASSERT_TRUE(info.isOk());
  EXPECT_EQ(info->sha256_fingerprint, *fingerprint);
  EXPECT_EQ(certificateFingerprint("garbage").status().code(), Status::Code::kInvalidArgument);
}

TEST_F(X509Test, InspectReturnsTheNameAndAFutureExpiry) {
  auto info = inspectCertificate(ca_->certificatePem());
  ASSERT_TRUE(info.isOk()) << info.status().toString();
  EXPECT_EQ(info->common_name, "Test CA");
  EXPECT_GT(info->not_after_unix, static_cast<int64_t>(std::time(nullptr)));
  expectAbout(info->not_after_unix, std::time(nullptr) + 30 * 86400);

  auto garbage =
      inspectCertificate("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
  EXPECT_EQ(garbage.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(garbage.status().message().find("not a PEM certificate"), std::string::npos)
      << garbage.status().message();
  EXPECT_EQ(ERR_peek_error(), 0u);
}

TEST_F(X509Test, ErrorsNameOnlyTheirOwnOpenSslErrorsAndLeaveTheQueueEmpty) {
  ERR_raise(ERR_LIB_USER, 42);  // left behind by some unrelated earlier OpenSSL call
  auto info = inspectCertificate("garbage");
  EXPECT_EQ(info.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(info.status().message().find("no start line"), std::string::npos)
      << info.status().message();
  EXPECT_EQ(info.status().message().find("reason(42)"), std::string::npos)
      << info.status().message();
  EXPECT_EQ(ERR_peek_error(), 0u);
}

TEST_F(X509Test, AuthorityRefusesBadParameters) {
  EXPECT_EQ(CertificateAuthority::create("", 30).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(CertificateAuthority::create("CA", 0).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(CertificateAuthority::create("CA", 36501).status().code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(ca_->issueClientCertificate(newRequest("x"), "", 30).status().code(),
            Status::Code::kInvalidArgument);
}

TEST_F(X509Test, SignaturesVerifyWithTheCaCertificateOnly) {
  const std::string document = R"({"serial":1,"policy_version":"a"})";
  auto signature = ca_->sign(document);
  ASSERT_TRUE(signature.isOk()) << signature.status().toString();
  // Checked by OpenSSL directly against the certificate's public key.
  Bio bio(BIO_new_mem_buf(ca_->certificatePem().data(),
                          static_cast<int>(ca_->certificatePem().size())));
  Certificate certificate(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  ASSERT_TRUE(certificate);
  std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>> context(EVP_MD_CTX_new());
  ASSERT_EQ(EVP_DigestVerifyInit(context.get(), nullptr, EVP_sha256(), nullptr,
                                 X509_get0_pubkey(certificate.get())),
            1);
  EXPECT_EQ(EVP_DigestVerify(context.get(), signature->data(), signature->size(),
                             reinterpret_cast<const unsigned char*>(document.data()),
                             document.size()),
            1);

  EXPECT_TRUE(verifySignature(ca_->certificatePem(), document, *signature).isOk());
  // One changed byte of the document, of the signature, or another CA: refused.
  std::string changed = document;
  changed[10] = '2';
  EXPECT_EQ(verifySignature(ca_->certificatePem(), changed, *signature).code(),
            Status::Code::kInvalidArgument);
  std::vector<uint8_t> damaged = *signature;
  damaged[damaged.size() / 2] ^= 0x01;
  EXPECT_EQ(verifySignature(ca_->certificatePem(), document, damaged).code(),
            Status::Code::kInvalidArgument);
  auto other = CertificateAuthority::create("Other CA", 30);
  ASSERT_TRUE(other.isOk());
  EXPECT_EQ(verifySignature(other->certificatePem(), document, *signature).code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(verifySignature("not a certificate", document, *signature).code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(verifySignature(ca_->certificatePem(), document, {}).code(),
            Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace vigie::crypto
