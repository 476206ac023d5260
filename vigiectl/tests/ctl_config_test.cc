#include "ctl_config.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "temp_dir.h"

namespace vigie::ctl {
namespace {

mode_t modeOf(const std::string& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 07777;
}

Session sampleSession() {
  Session session;
  session.url = "https://collector.example:8443";
  session.ca_file = "/etc/vigie/ca.pem";
  session.token = "0123456789abcdef";
  session.user = "dpo1";
  session.role = "dpo";
  session.brand = "";
  session.expires = "2026-11-29T18:00:00.000Z";
  return session;
}

TEST(SessionPathTest, ExplicitFileThenXdgThenHome) {
  ConfigEnvironment environment;
  environment.vigiectl_config = "/run/x/session.json";
  environment.xdg_config_home = "/home/a/.cfg";
  environment.home = "/home/a";
  EXPECT_EQ(sessionPath(environment).value(), "/run/x/session.json");
  environment.vigiectl_config.clear();
  EXPECT_EQ(sessionPath(environment).value(), "/home/a/.cfg/vigie/vigiectl.json");
  environment.xdg_config_home = "relative/ignored";
  EXPECT_EQ(sessionPath(environment).value(), "/home/a/.config/vigie/vigiectl.json");
  environment.xdg_config_home.clear();
  EXPECT_EQ(sessionPath(environment).value(), "/home/a/.config/vigie/vigiectl.json");
  environment.home.clear();
  EXPECT_FALSE(sessionPath(environment).isOk());
}

TEST(SessionFileTest, SavedPrivateInPrivateNewDirectoriesAndLoadedBack) {
  vigie::testing::TempDir dir;
  ConfigEnvironment environment;
  environment.xdg_config_home = dir.path() + "/config";
  const std::string path = sessionPath(environment).value();
  ASSERT_TRUE(saveSession(path, sampleSession()).isOk());
  EXPECT_EQ(modeOf(path), 0600u);
  EXPECT_EQ(modeOf(dir.path() + "/config/vigie"), 0700u);
  EXPECT_EQ(modeOf(dir.path() + "/config"), 0700u);

  auto loaded = loadSession(path);
  ASSERT_TRUE(loaded.isOk()) << loaded.status().toString();
  EXPECT_EQ(loaded->url, "https://collector.example:8443");
  EXPECT_EQ(loaded->ca_file, "/etc/vigie/ca.pem");
  EXPECT_EQ(loaded->token, "0123456789abcdef");
  EXPECT_EQ(loaded->user, "dpo1");
  EXPECT_EQ(loaded->role, "dpo");
  EXPECT_EQ(loaded->expires, "2026-11-29T18:00:00.000Z");

  // Saving again keeps it private, and no temporary file is left.
  ASSERT_TRUE(saveSession(path, sampleSession()).isOk());
  EXPECT_EQ(modeOf(path), 0600u);
  struct stat info {};
  EXPECT_NE(::stat((path + ".tmp").c_str(), &info), 0);
}

TEST(SessionFileTest, ExistingDirectoriesAreLeftAsTheyAre) {
  vigie::testing::TempDir dir;
  ASSERT_EQ(::chmod(dir.path().c_str(), 0755), 0);
  ASSERT_TRUE(saveSession(dir.file("session.json"), sampleSession()).isOk());
  EXPECT_EQ(modeOf(dir.path()), 0755u);
  EXPECT_EQ(modeOf(dir.file("session.json")), 0600u);
}

TEST(SessionFileTest, NoFileIsNotFound) {
  vigie::testing::TempDir dir;
  auto loaded = loadSession(dir.file("none.json"));
  ASSERT_FALSE(loaded.isOk());
  EXPECT_EQ(loaded.status().code(), Status::Code::kNotFound);
}

TEST(SessionFileTest, RefusesAFileOthersMayRead) {
  vigie::testing::TempDir dir;
  const std::string path = dir.file("session.json");
  ASSERT_TRUE(saveSession(path, sampleSession()).isOk());
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  auto loaded = loadSession(path);
  ASSERT_FALSE(loaded.isOk());
  EXPECT_EQ(loaded.status().code(), Status::Code::kPermissionDenied);
  EXPECT_NE(loaded.status().message().find("other users"), std::string::npos);
}

TEST(SessionFileTest, RefusesADamagedFile) {
  vigie::testing::TempDir dir;
  const std::string path = dir.file("session.json");
  for (const char* text : {"not json", "{\"url\": \"https://h:1\"}",
                           "{\"url\":\"https://h:1\",\"ca\":\"/c\",\"token\":\"t\",\"x\":\"y\"}"}) {
    { std::ofstream(path) << text; }
    ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
    auto loaded = loadSession(path);
    EXPECT_FALSE(loaded.isOk()) << text;
    if (!loaded.isOk()) {
      EXPECT_EQ(loaded.status().code(), Status::Code::kCorruption) << text;
    }
  }
}

TEST(SessionFileTest, RemoveIsIdempotent) {
  vigie::testing::TempDir dir;
  const std::string path = dir.file("session.json");
  ASSERT_TRUE(saveSession(path, sampleSession()).isOk());
  EXPECT_TRUE(removeSession(path).isOk());
  EXPECT_TRUE(removeSession(path).isOk());
  EXPECT_EQ(loadSession(path).status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace vigie::ctl
