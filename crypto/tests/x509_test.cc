#include "vigie/crypto/x509.h"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <memory>

namespace vigie::crypto {
namespace {

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
using Certificate = std::unique_ptr<X509, X509Free>;

Certificate parse(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  return Certificate(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

// Verifies `leaf` against `ca` alone, for `purpose`, with OpenSSL's own chain check.
bool verifies(const std::string& ca, const std::string& leaf, int purpose) {
  Certificate root = parse(ca);
  Certificate cert = parse(leaf);
  if (!root || !cert) return false;
  std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store(X509_STORE_new(), &X509_STORE_free);
  X509_STORE_add_cert(store.get(), root.get());
  std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> context(X509_STORE_CTX_new(),
                                                                          &X509_STORE_CTX_free);
  X509_STORE_CTX_init(context.get(), store.get(), cert.get(), nullptr);
  X509_STORE_CTX_set_purpose(context.get(), purpose);
  return X509_verify_cert(context.get()) == 1;
}

class X509Test : public ::testing::Test {
 protected:
  void SetUp() override {
    auto created = CertificateAuthority::create("Test CA", 30);
    ASSERT_TRUE(created.isOk()) << created.status().toString();
    ca_ = std::make_unique<CertificateAuthority>(std::move(created).value());
  }
  std::unique_ptr<CertificateAuthority> ca_;
};

TEST_F(X509Test, AuthorityReloadsAndRefusesAForeignKey) {
  EXPECT_TRUE(CertificateAuthority::load(ca_->certificatePem(), ca_->privateKeyPem()).isOk());
  auto other_key = generatePrivateKeyPem();
  ASSERT_TRUE(other_key.isOk());
  auto mismatched = CertificateAuthority::load(ca_->certificatePem(), *other_key);
  EXPECT_EQ(mismatched.status().code(), Status::Code::kInvalidArgument);
}

TEST_F(X509Test, ServerCertificateChainsToTheCaWithItsNames) {
  auto key = generatePrivateKeyPem();
  ASSERT_TRUE(key.isOk());
  auto server = ca_->issueServerCertificate(*key, {"localhost", "127.0.0.1"}, 30);
  ASSERT_TRUE(server.isOk()) << server.status().toString();
  EXPECT_TRUE(verifies(ca_->certificatePem(), *server, X509_PURPOSE_SSL_SERVER));
  EXPECT_FALSE(verifies(ca_->certificatePem(), *server, X509_PURPOSE_SSL_CLIENT));
  Certificate cert = parse(*server);
  EXPECT_EQ(X509_check_host(cert.get(), "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(cert.get(), "127.0.0.1", 0), 1);
  EXPECT_NE(X509_check_host(cert.get(), "evil.example", 0, 0, nullptr), 1);
}

TEST_F(X509Test, ClientCertificateTakesTheCollectorsNameNotTheRequests) {
  auto key = generatePrivateKeyPem();
  ASSERT_TRUE(key.isOk());
  auto request = makeCertificateRequest(*key, "i-claim-to-be-the-admin");
  ASSERT_TRUE(request.isOk());
  auto client = ca_->issueClientCertificate(*request, "dev-ws042", 30);
  ASSERT_TRUE(client.isOk()) << client.status().toString();
  EXPECT_TRUE(verifies(ca_->certificatePem(), *client, X509_PURPOSE_SSL_CLIENT));
  auto info = inspectCertificate(*client);
  ASSERT_TRUE(info.isOk());
  EXPECT_EQ(info->common_name, "dev-ws042");
  EXPECT_GT(info->not_after_unix, std::time(nullptr) + 29 * 86400);
}

TEST_F(X509Test, TamperedOrGarbageRequestsAreRefused) {
  auto key = generatePrivateKeyPem();
  ASSERT_TRUE(key.isOk());
  auto request = makeCertificateRequest(*key, "dev-ws042");
  ASSERT_TRUE(request.isOk());
  // Flip one character of the base64 body near its end (inside the signature).
  std::string tampered = *request;
  const size_t end = tampered.find("-----END");
  char& c = tampered[end - 6];
  c = c == 'A' ? 'B' : 'A';
  EXPECT_EQ(ca_->issueClientCertificate(tampered, "dev-ws042", 30).status().code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(ca_->issueClientCertificate("garbage", "dev-ws042", 30).status().code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(inspectCertificate("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
                .status()
                .code(),
            Status::Code::kInvalidArgument);
}

TEST_F(X509Test, FingerprintIsSha256OfTheDerInLowerCaseHex) {
  auto fingerprint = certificateFingerprint(ca_->certificatePem());
  ASSERT_TRUE(fingerprint.isOk());
  ASSERT_EQ(fingerprint->size(), 64u);
  Certificate cert = parse(ca_->certificatePem());
  unsigned char* der = nullptr;
  const int length = i2d_X509(cert.get(), &der);
  unsigned char digest[32];
  unsigned int digest_length = 0;
  EVP_Digest(der, static_cast<size_t>(length), digest, &digest_length, EVP_sha256(), nullptr);
  OPENSSL_free(der);
  char hex[65] = {};
  for (unsigned i = 0; i < 32; ++i) std::snprintf(hex + 2 * i, 3, "%02x", digest[i]);
  EXPECT_EQ(*fingerprint, hex);
}

}  // namespace
}  // namespace vigie::crypto
