#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "temp_dir.h"
#include "vigie/crypto/key_store.h"

namespace vigie::crypto {
namespace {

using testing::TempDir;

mode_t modeOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

TEST(FileKeyStore, CreatesA0600KeyOnceAndReloadsIt) {
  TempDir dir;
  const std::string keys = dir.file("keys");
  auto first = newFileKeyStore(keys)->loadOrCreate("queue");
  ASSERT_TRUE(first.isOk()) << first.status().toString();
  EXPECT_EQ(modeOf(keys), 0700u);
  EXPECT_EQ(modeOf(keys + "/queue.key"), 0600u);

  auto again = newFileKeyStore(keys)->loadOrCreate("queue");
  ASSERT_TRUE(again.isOk());
  EXPECT_EQ(*again, *first);
  auto other = newFileKeyStore(keys)->loadOrCreate("chain");
  ASSERT_TRUE(other.isOk());
  EXPECT_FALSE(*other == *first);
}

TEST(FileKeyStore, LoadNeverCreates) {
  TempDir dir;
  auto store = newFileKeyStore(dir.file("keys"));
  EXPECT_EQ(store->load("queue").status().code(), Status::Code::kNotFound);
  auto created = store->loadOrCreate("queue");
  ASSERT_TRUE(created.isOk());
  auto loaded = store->load("queue");
  ASSERT_TRUE(loaded.isOk());
  EXPECT_EQ(*loaded, *created);
  EXPECT_EQ(newMemoryKeyStore()->load("queue").status().code(), Status::Code::kNotFound);
}

TEST(FileKeyStore, RefusesAKeyFileOthersCanRead) {
  TempDir dir;
  auto store = newFileKeyStore(dir.file("keys"));
  ASSERT_TRUE(store->loadOrCreate("queue").isOk());
  const std::string path = dir.file("keys/queue.key");
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  auto refused = store->loadOrCreate("queue");
  ASSERT_FALSE(refused.isOk());
  EXPECT_EQ(refused.status().code(), Status::Code::kPermissionDenied);
  EXPECT_NE(refused.status().message().find("has mode 0644"), std::string::npos);
  EXPECT_NE(refused.status().message().find("chmod 600"), std::string::npos);
  // The key was not replaced: fixing the mode gives the same key back.
  ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
  EXPECT_TRUE(store->loadOrCreate("queue").isOk());
}

TEST(FileKeyStore, RefusesAKeyFileOwnedBySomeoneElse) {
  if (::geteuid() != 0) GTEST_SKIP() << "changing a file's owner needs root";
  TempDir dir;
  auto store = newFileKeyStore(dir.file("keys"));
  ASSERT_TRUE(store->loadOrCreate("queue").isOk());
  ASSERT_EQ(::chown(dir.file("keys/queue.key").c_str(), 65534, 65534), 0);
  auto refused = store->loadOrCreate("queue");
  ASSERT_FALSE(refused.isOk());
  EXPECT_EQ(refused.status().code(), Status::Code::kPermissionDenied);
  EXPECT_NE(refused.status().message().find("owned by uid 65534"), std::string::npos);
}

TEST(FileKeyStore, RefusesAWorldWritableDirectoryAndSymlinks) {
  TempDir dir;
  ASSERT_EQ(::mkdir(dir.file("keys").c_str(), 0777), 0);
  ASSERT_EQ(::chmod(dir.file("keys").c_str(), 0777), 0);
  auto refused = newFileKeyStore(dir.file("keys"))->loadOrCreate("queue");
  ASSERT_FALSE(refused.isOk());
  EXPECT_NE(refused.status().message().find("chmod 700"), std::string::npos);

  ASSERT_EQ(::chmod(dir.file("keys").c_str(), 0700), 0);
  std::ofstream(dir.file("elsewhere")) << std::string(32, 'k');
  ASSERT_EQ(::chmod(dir.file("elsewhere").c_str(), 0600), 0);
  ASSERT_EQ(::symlink(dir.file("elsewhere").c_str(), dir.file("keys/queue.key").c_str()), 0);
  EXPECT_FALSE(newFileKeyStore(dir.file("keys"))->loadOrCreate("queue").isOk());
}

TEST(FileKeyStore, RefusesATruncatedKeyFile) {
  TempDir dir;
  auto store = newFileKeyStore(dir.file("keys"));
  ASSERT_TRUE(store->loadOrCreate("queue").isOk());
  ASSERT_EQ(::truncate(dir.file("keys/queue.key").c_str(), 16), 0);
  auto refused = store->loadOrCreate("queue");
  ASSERT_FALSE(refused.isOk());
  EXPECT_EQ(refused.status().code(), Status::Code::kCorruption);
  EXPECT_NE(refused.status().message().find("is 16 bytes, expected 32"), std::string::npos);
}

TEST(FileKeyStore, RejectsBadKeyNames) {
  TempDir dir;
  auto store = newFileKeyStore(dir.file("keys"));
  for (const char* name : {"", "../x", "Queue", "a/b", "0123456789012345678901234567890123"}) {
    auto refused = store->loadOrCreate(name);
    ASSERT_FALSE(refused.isOk()) << name;
    EXPECT_EQ(refused.status().code(), Status::Code::kInvalidArgument);
  }
}

TEST(FileKeyStore, ConcurrentCreatorsAgreeOnOneKey) {
  TempDir dir;
  const std::string keys = dir.file("keys");
  constexpr int kProcesses = 8;
  int pipes[kProcesses][2];
  for (auto& p : pipes) ASSERT_EQ(::pipe(p), 0);
  for (int i = 0; i < kProcesses; ++i) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      auto key = newFileKeyStore(keys)->loadOrCreate("chain");
      if (!key.isOk()) ::_exit(1);
      const auto bytes = key->bytes();
      ::_exit(::write(pipes[i][1], bytes.data(), bytes.size()) == 32 ? 0 : 1);
    }
  }
  std::string seen;
  for (int i = 0; i < kProcesses; ++i) {
    int status = 0;
    ::wait(&status);
  }
  for (auto& p : pipes) {
    char buffer[32];
    ASSERT_EQ(::read(p[0], buffer, sizeof buffer), 32);
    const std::string key(buffer, sizeof buffer);
    if (seen.empty()) seen = key;
    EXPECT_EQ(key, seen);
    ::close(p[0]);
    ::close(p[1]);
  }
}

TEST(MemoryKeyStore, KeepsKeysByName) {
  auto store = newMemoryKeyStore();
  auto a = store->loadOrCreate("queue");
  auto b = store->loadOrCreate("queue");
  auto c = store->loadOrCreate("chain");
  ASSERT_TRUE(a.isOk() && b.isOk() && c.isOk());
  EXPECT_EQ(*a, *b);
  EXPECT_FALSE(*a == *c);
}

}  // namespace
}  // namespace vigie::crypto
