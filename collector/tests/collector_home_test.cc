#include "vigie/collector/collector_home.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "temp_dir.h"
#include "vigie/platform/atomic_file.h"

namespace vigie::collector {
namespace {

unsigned modeOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

TEST(CollectorHomeTest, FirstStartCreatesPrivateFilesAndLaterStartsKeepThem) {
  testing::TempDir dir;
  HomeOptions options;
  options.data_dir = dir.file("collector");
  auto first = prepareCollectorHome(options);
  ASSERT_TRUE(first.isOk()) << first.status().toString();
  EXPECT_EQ(modeOf(options.data_dir), 0700u);
  for (const char* secret : {"ca.key", "server.key", "enrollment.secret", "keys/store.key"}) {
    EXPECT_EQ(modeOf(options.data_dir + "/" + secret), 0600u) << secret;
  }
  EXPECT_EQ(modeOf(first->ca_certificate_file), 0644u);
  EXPECT_GE(first->enrollment_secret.size(), 32u);

  auto second = prepareCollectorHome(options);
  ASSERT_TRUE(second.isOk());
  EXPECT_EQ(second->enrollment_secret, first->enrollment_secret);
  EXPECT_EQ(second->authority.certificatePem(), first->authority.certificatePem());
  EXPECT_TRUE(second->store_key == first->store_key);

  auto opened = openCollectorHome(options.data_dir);
  ASSERT_TRUE(opened.isOk());
  EXPECT_EQ(opened->enrollment_secret, first->enrollment_secret);
}

TEST(CollectorHomeTest, OpeningAMissingHomeCreatesNothing) {
  testing::TempDir dir;
  EXPECT_FALSE(openCollectorHome(dir.file("none")).isOk());
  struct stat st {};
  EXPECT_NE(::stat(dir.file("none").c_str(), &st), 0);
}

TEST(CollectorHomeTest, ShortSecretPlacedByAnOperatorIsRefused) {
  testing::TempDir dir;
  HomeOptions options;
  options.data_dir = dir.file("collector");
  ASSERT_TRUE(prepareCollectorHome(options).isOk());
  ASSERT_TRUE(
      platform::writeFileAtomically(options.data_dir + "/enrollment.secret", "abc\n").isOk());
  auto refused = prepareCollectorHome(options);
  ASSERT_FALSE(refused.isOk());
  EXPECT_NE(refused.status().message().find("shorter than 16"), std::string::npos);
}

}  // namespace
}  // namespace vigie::collector
