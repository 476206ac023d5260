#include "vigie/agent/remote_policy.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "temp_dir.h"
#include "vigie/crypto/x509.h"
#include "vigie/platform/atomic_file.h"
#include "vigie/protocol/hex.h"
#include "vigie/protocol/json.h"

namespace vigie::agent {
namespace {

std::string policyDocument(uint64_t serial, const std::string& extra = "") {
  return R"({"serial":)" + std::to_string(serial) +
         R"(,"activated":"2026-12-02T08:00:00.000Z","policy_version":"v)" + std::to_string(serial) +
         R"(","clipboard":"named","upload":{"batch_events":300,"linger_ms":50},)"
         R"("queue":{"max_age_days":7})" +
         extra + "}";
}

class RemotePolicyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto ca = crypto::CertificateAuthority::create("Collector CA", 30);
    ASSERT_TRUE(ca.isOk());
    ca_ = std::make_unique<crypto::CertificateAuthority>(std::move(ca).value());
    ASSERT_TRUE(platform::writeFileAtomically(paths_.ca_file, ca_->certificatePem()).isOk());
  }

  // The answer a collector with CA `signer` gives for `document`.
  static std::string answer(const crypto::CertificateAuthority& signer,
                            const std::string& document) {
    auto signature = signer.sign(document);
    EXPECT_TRUE(signature.isOk());
    std::string out = "{\"serial\":1,\"document\":";
    protocol::json::appendString(out, document);
    out += ",\"signature\":\"" + protocol::toHex(*signature) + "\"}";
    return out;
  }

  std::string published() const {
    std::ifstream file(paths_.publish_path);
    return std::string(std::istreambuf_iterator<char>(file), {});
  }

  testing::TempDir dir_;
  RemotePolicyPaths paths_{dir_.file("ca.pem"), dir_.file("data/policy"), dir_.file("policy.json")};
  std::unique_ptr<crypto::CertificateAuthority> ca_;
};

TEST_F(RemotePolicyTest, AcceptsASignedPolicyKeepsAndPublishesIt) {
  ASSERT_TRUE(std::filesystem::create_directories(dir_.file("data")));
  RemotePolicy policy(paths_);
  EXPECT_FALSE(policy.loadKept().value().has_value());
  auto accepted = policy.accept(answer(*ca_, policyDocument(3)));
  ASSERT_TRUE(accepted.isOk()) << accepted.status().toString();
  EXPECT_EQ(accepted->serial, 3u);
  EXPECT_EQ(accepted->version, "v3");
  EXPECT_EQ(accepted->batch_events, 300u);
  EXPECT_EQ(accepted->linger_ms, 50);
  EXPECT_EQ(accepted->queue_max_age_days, 7);
  EXPECT_FALSE(accepted->heartbeat_seconds.has_value());
  EXPECT_EQ(policy.state().serial, 3u);
  EXPECT_EQ(policy.state().error, "");

  // Published for every account's sensor; kept for the service alone.
  EXPECT_EQ(published(), policyDocument(3));
  struct stat info {};
  ASSERT_EQ(::stat(paths_.publish_path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0644u);
  ASSERT_EQ(::stat(paths_.store_dir.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700u);
  ASSERT_EQ(::stat((paths_.store_dir + "/policy.sig").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);

  // The same serial again is nothing new.
  EXPECT_EQ(policy.accept(answer(*ca_, policyDocument(3))).status().code(),
            Status::Code::kFailedPrecondition);

  // A restarted service finds it, checks it again and publishes it again.
  std::filesystem::remove(paths_.publish_path);
  RemotePolicy restarted(paths_);
  auto kept = restarted.loadKept();
  ASSERT_TRUE(kept.isOk()) << kept.status().toString();
  ASSERT_TRUE(kept->has_value());
  EXPECT_EQ((*kept)->serial, 3u);
  EXPECT_EQ(restarted.state().serial, 3u);
  EXPECT_EQ(published(), policyDocument(3));
}

TEST_F(RemotePolicyTest, RefusesWhatDoesNotVerifyAndKeepsThePolicyInForce) {
  RemotePolicy policy(paths_);
  ASSERT_TRUE(policy.accept(answer(*ca_, policyDocument(5))).isOk());
  auto other = crypto::CertificateAuthority::create("Someone else's CA", 30);
  ASSERT_TRUE(other.isOk());
  std::string altered = answer(*ca_, policyDocument(6));
  altered.replace(altered.find("\\\"named\\\""), 9, "\\\"all\\\"  ");  // same length, new rule

  const std::pair<std::string, std::string> cases[] = {
      {answer(*other, policyDocument(6)), "the signature does not verify"},
      {altered, "the signature does not verify"},
      {answer(*ca_, policyDocument(4)), "serial 4 is older than the policy in force (5)"},
      {answer(*ca_, policyDocument(6, R"(,"upload2":1)")), "upload2: unknown member"},
      {answer(*ca_, R"({"policy_version":"no serial"})"), "it has no serial"},
      {R"({"document":"{}"})", "answer is malformed"},
      {R"({"document":"{}","signature":"zz"})", "malformed signature"},
      {"not json", "answer is malformed"},
  };
  for (const auto& [reply, expected] : cases) {
    auto refused = policy.accept(reply);
    ASSERT_FALSE(refused.isOk()) << reply;
    EXPECT_EQ(refused.status().code(), Status::Code::kInvalidArgument) << reply;
    EXPECT_NE(refused.status().message().find(expected), std::string::npos)
        << refused.status().message();
    EXPECT_NE(policy.state().error.find(expected), std::string::npos) << policy.state().error;
    EXPECT_EQ(policy.state().serial, 5u);
    EXPECT_EQ(published(), policyDocument(5));
  }
  // The next good one clears the error.
  ASSERT_TRUE(policy.accept(answer(*ca_, policyDocument(6))).isOk());
  EXPECT_EQ(policy.state().error, "");
}

TEST_F(RemotePolicyTest, AKeptPolicyThatNoLongerVerifiesIsRefusedAndUnpublished) {
  {
    RemotePolicy policy(paths_);
    ASSERT_TRUE(policy.accept(answer(*ca_, policyDocument(2))).isOk());
  }
  // Changed on disk behind the service's back.
  std::string document = policyDocument(2);
  document.replace(document.find("\"named\""), 7, "\"all\"  ");
  ASSERT_TRUE(platform::writeFileAtomically(paths_.store_dir + "/policy.json", document).isOk());
  RemotePolicy restarted(paths_);
  auto kept = restarted.loadKept();
  ASSERT_FALSE(kept.isOk());
  EXPECT_NE(kept.status().message().find("kept policy"), std::string::npos);
  EXPECT_EQ(restarted.state().serial, 0u);
  EXPECT_NE(restarted.state().error.find("does not verify"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(paths_.publish_path));
  // The collector's policy is then accepted again from scratch.
  EXPECT_TRUE(restarted.accept(answer(*ca_, policyDocument(2))).isOk());
  EXPECT_EQ(published(), policyDocument(2));
}

}  // namespace
}  // namespace vigie::agent
