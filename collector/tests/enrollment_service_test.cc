#include "vigie/collector/enrollment_service.h"

#include <gtest/gtest.h>

#include "manual_clock.h"
#include "temp_dir.h"
#include "test_keys.h"

namespace vigie::collector {
namespace {

constexpr char kSecret[] = "0123456789abcdef0123456789abcdef";

class EnrollmentServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = openSqlCipherStore(dir_.file("store.db"), testing::fixedKey(3));
    ASSERT_TRUE(opened.isOk()) << opened.status().toString();
    store_ = std::move(opened).value();
    auto authority = crypto::CertificateAuthority::create("test CA", 30);
    ASSERT_TRUE(authority.isOk()) << authority.status().toString();
    service_ = std::make_unique<EnrollmentService>(*store_, *authority, kSecret, clock_);
    auto key = crypto::generatePrivateKeyPem();
    ASSERT_TRUE(key.isOk());
    auto csr = crypto::makeCertificateRequest(*key, "whatever-the-agent-says");
    ASSERT_TRUE(csr.isOk());
    request_.secret = kSecret;
    request_.device_id = "dev-ws042";
    request_.hostname = "ws042";
    request_.os = "Debian 12";
    request_.csr_pem = *csr;
    request_.chain_key.fill(7);
  }

  testing::TempDir dir_;
  testing::ManualClock clock_;
  EventStorePtr store_;
  std::unique_ptr<EnrollmentService> service_;
  protocol::EnrollmentRequest request_;
};

TEST_F(EnrollmentServiceTest, IssuesACertificateForTheDeviceIdAndRegistersTheDevice) {
  auto response = service_->enroll(request_, "127.0.0.1");
  ASSERT_TRUE(response.isOk()) << response.status().toString();
  EXPECT_EQ(response->device_id, "dev-ws042");
  auto info = crypto::inspectCertificate(response->certificate_pem);
  ASSERT_TRUE(info.isOk());
  EXPECT_EQ(info->common_name, "dev-ws042");
  EXPECT_EQ(response->ca_fingerprint,
            crypto::certificateFingerprint(response->ca_certificate_pem).value());

  auto device = store_->findDevice("dev-ws042");
  ASSERT_TRUE(device->has_value());
  EXPECT_EQ((*device)->certificate_fingerprint, info->sha256_fingerprint);
  EXPECT_TRUE((*device)->chain_key == crypto::SecretKey(request_.chain_key));
}

TEST_F(EnrollmentServiceTest, WrongSecretIsRefusedThenTheAddressIsRateLimited) {
  request_.secret = "not-the-secret";
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(service_->enroll(request_, "10.0.0.9").status().code(),
              Status::Code::kPermissionDenied);
  }
  request_.secret = kSecret;
  EXPECT_EQ(service_->enroll(request_, "10.0.0.9").status().code(),
            Status::Code::kResourceExhausted);
  // Another address is not affected; the limited one recovers after the window.
  EXPECT_TRUE(service_->enroll(request_, "10.0.0.10").isOk());
  clock_.advance(61'000);
  request_.reenroll = true;
  EXPECT_TRUE(service_->enroll(request_, "10.0.0.9").isOk());
  EXPECT_FALSE(store_->findDevice("dev-ws042")->value().revoked);
}

TEST_F(EnrollmentServiceTest, ReenrollingIsExplicitAndNeedsTheSameChainKey) {
  auto first = service_->enroll(request_, "127.0.0.1");
  ASSERT_TRUE(first.isOk());
  EXPECT_EQ(service_->enroll(request_, "127.0.0.1").status().code(),
            Status::Code::kFailedPrecondition);

  request_.reenroll = true;
  auto second = service_->enroll(request_, "127.0.0.1");
  ASSERT_TRUE(second.isOk()) << second.status().toString();
  EXPECT_NE(second->certificate_pem, first->certificate_pem);
  EXPECT_EQ(store_->findDevice("dev-ws042").value()->certificate_fingerprint,
            crypto::certificateFingerprint(second->certificate_pem).value());

  request_.chain_key.fill(9);  // someone else holding the secret, claiming this device
  EXPECT_EQ(service_->enroll(request_, "127.0.0.1").status().code(),
            Status::Code::kFailedPrecondition);

  request_.chain_key.fill(7);
  ASSERT_TRUE(store_->setRevoked("dev-ws042", true).isOk());
  EXPECT_EQ(service_->enroll(request_, "127.0.0.1").status().code(),
            Status::Code::kFailedPrecondition);
}

TEST_F(EnrollmentServiceTest, GarbageCertificateRequestIsInvalid) {
  request_.csr_pem =
      "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n";
  EXPECT_EQ(service_->enroll(request_, "127.0.0.1").status().code(),
            Status::Code::kInvalidArgument);
  EXPECT_FALSE(store_->findDevice("dev-ws042")->has_value());
}

}  // namespace
}  // namespace vigie::collector
