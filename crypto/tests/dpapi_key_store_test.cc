// The DPAPI key store on a real (or wine's) DPAPI and file system: each test gets its own folder
// under the temporary directory, removed afterwards.

// clang-format off
#include <windows.h>  // first: the other win32 headers need its types
// clang-format on
#include <aclapi.h>
#include <gtest/gtest.h>
#include <sddl.h>
#include <wincrypt.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "../../platform/windows/win32.h"
#include "vigie/crypto/key_store.h"

namespace vigie::crypto {
namespace {

namespace fs = std::filesystem;
using platform::win32::narrow;

bool underWine() {
  HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
  return ntdll != nullptr && GetProcAddress(ntdll, "wine_get_version") != nullptr;
}

std::vector<uint8_t> readAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void writeAll(const fs::path& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(out.good()) << "cannot write " << path.string();
}

// The SDDL form of `path`'s owner and DACL, "" if it cannot be read.
std::string securityOf(const fs::path& path) {
  PSECURITY_DESCRIPTOR descriptor = nullptr;
  const SECURITY_INFORMATION what = OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION;
  if (GetNamedSecurityInfoW(path.c_str(), SE_FILE_OBJECT, what, nullptr, nullptr, nullptr, nullptr,
                            &descriptor) != ERROR_SUCCESS) {
    return "";
  }
  wchar_t* text = nullptr;
  std::string sddl;
  if (ConvertSecurityDescriptorToStringSecurityDescriptorW(descriptor, SDDL_REVISION_1, what, &text,
                                                           nullptr)) {
    sddl = narrow(text);
    LocalFree(text);
  }
  LocalFree(descriptor);
  return sddl;
}

// Whether the SDDL string has an access-allowed entry for `trustee` ("WD", "BU", "S-1-...").
bool allows(const std::string& sddl, const std::string& trustee) {
  for (size_t at = sddl.find("(A;"); at != std::string::npos; at = sddl.find("(A;", at + 1)) {
    const size_t end = sddl.find(')', at);
    const size_t last = sddl.rfind(';', end);
    if (sddl.compare(last + 1, end - last - 1, trustee) == 0) return true;
  }
  return false;
}

class DpapiKeyStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    wchar_t temp[MAX_PATH + 1];
    const DWORD length = GetTempPathW(MAX_PATH + 1, temp);
    ASSERT_GT(length, 0u);
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = fs::path(std::wstring(temp, length)) /
            ("vigie-dpapi-" + std::to_string(GetCurrentProcessId()) + "-" + test->name());
    std::error_code ignored;
    fs::remove_all(root_, ignored);
    ASSERT_TRUE(fs::create_directory(root_)) << root_.string();
    dir_ = root_ / "keys";
  }
  void TearDown() override {
    std::error_code error;
    fs::remove_all(root_, error);
    EXPECT_FALSE(error) << "cannot remove " << root_.string() << ": " << error.message();
  }

  KeyStorePtr newStore() const { return newDpapiKeyStore(narrow(dir_.wstring())); }
  fs::path keyFile(const std::string& name) const { return dir_ / (name + ".key"); }

  fs::path root_;
  fs::path dir_;  // the store's directory, created by the store
};

TEST_F(DpapiKeyStoreTest, CreatesThenLoadsTheSameKey) {
  auto store = newStore();
  auto created = store->loadOrCreate("queue");
  ASSERT_TRUE(created.isOk()) << created.status().toString();
  auto loaded = store->load("queue");
  ASSERT_TRUE(loaded.isOk()) << loaded.status().toString();
  EXPECT_TRUE(*created == *loaded);
  auto again = store->loadOrCreate("queue");
  ASSERT_TRUE(again.isOk()) << again.status().toString();
  EXPECT_TRUE(*created == *again);
}

TEST_F(DpapiKeyStoreTest, AnotherStoreOnTheSameDirectoryGetsTheSameKey) {
  auto created = newStore()->loadOrCreate("chain");
  ASSERT_TRUE(created.isOk()) << created.status().toString();
  auto loaded = newStore()->load("chain");
  ASSERT_TRUE(loaded.isOk()) << loaded.status().toString();
  EXPECT_TRUE(*created == *loaded);
}

TEST_F(DpapiKeyStoreTest, DifferentNamesGetDifferentKeys) {
  auto store = newStore();
  auto queue = store->loadOrCreate("queue");
  auto chain = store->loadOrCreate("chain");
  ASSERT_TRUE(queue.isOk()) << queue.status().toString();
  ASSERT_TRUE(chain.isOk()) << chain.status().toString();
  EXPECT_FALSE(*queue == *chain);
}

TEST_F(DpapiKeyStoreTest, RefusesInvalidNames) {
  auto store = newStore();
  const std::vector<std::string> names = {
      "", "Queue", "a.b", "..\\queue", "a/b", "queue:x", std::string(33, 'a')};
  for (const std::string& name : names) {
    EXPECT_EQ(store->loadOrCreate(name).status().code(), Status::Code::kInvalidArgument) << name;
    EXPECT_EQ(store->load(name).status().code(), Status::Code::kInvalidArgument) << name;
  }
  EXPECT_FALSE(fs::exists(dir_)) << "an invalid name created the key directory";
}

TEST_F(DpapiKeyStoreTest, LoadOfAMissingKeyIsNotFoundAndCreatesNothing) {
  auto store = newStore();
  EXPECT_EQ(store->load("queue").status().code(), Status::Code::kNotFound);
  EXPECT_FALSE(fs::exists(dir_)) << "load created the key directory";

  ASSERT_TRUE(store->loadOrCreate("chain").isOk());
  EXPECT_EQ(store->load("queue").status().code(), Status::Code::kNotFound);
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(dir_)) {
    files.push_back(entry.path().filename().string());
  }
  EXPECT_EQ(files, std::vector<std::string>{"chain.key"});
}

TEST_F(DpapiKeyStoreTest, TheFileDoesNotHoldTheRawKey) {
  auto key = newStore()->loadOrCreate("queue");
  ASSERT_TRUE(key.isOk()) << key.status().toString();
  const std::vector<uint8_t> file = readAll(keyFile("queue"));
  ASSERT_FALSE(file.empty());
  EXPECT_NE(file.size(), SecretKey::kSize);
  const auto raw = key->bytes();
  EXPECT_EQ(std::search(file.begin(), file.end(), raw.begin(), raw.end()), file.end())
      << "the 32 key bytes appear in the file";
}

TEST_F(DpapiKeyStoreTest, RefusesATamperedBlobWithoutTouchingIt) {
  ASSERT_TRUE(newStore()->loadOrCreate("queue").isOk());
  std::vector<uint8_t> blob = readAll(keyFile("queue"));
  ASSERT_FALSE(blob.empty());
  blob.back() ^= 0x01;  // in the blob's signature
  writeAll(keyFile("queue"), blob);

  auto store = newStore();
  auto loaded = store->load("queue");
  ASSERT_EQ(loaded.status().code(), Status::Code::kCorruption) << loaded.status().toString();
  EXPECT_NE(loaded.status().message().find("does not unprotect"), std::string::npos)
      << loaded.status().message();
  // loadOrCreate must not replace a key it cannot read: what it sealed would be lost.
  auto created = store->loadOrCreate("queue");
  EXPECT_EQ(created.status().code(), Status::Code::kCorruption) << created.status().toString();
  EXPECT_EQ(readAll(keyFile("queue")), blob);
}

TEST_F(DpapiKeyStoreTest, RefusesTruncatedEmptyAndForeignFiles) {
  ASSERT_TRUE(newStore()->loadOrCreate("queue").isOk());
  std::vector<uint8_t> blob = readAll(keyFile("queue"));
  ASSERT_GT(blob.size(), 16u);
  auto store = newStore();

  writeAll(keyFile("queue"), std::vector<uint8_t>(blob.begin(), blob.end() - 16));
  EXPECT_EQ(store->load("queue").status().code(), Status::Code::kCorruption) << "truncated";
  writeAll(keyFile("queue"), {});
  EXPECT_EQ(store->load("queue").status().code(), Status::Code::kCorruption) << "empty";
  writeAll(keyFile("queue"), std::vector<uint8_t>(SecretKey::kSize, 0x42));
  EXPECT_EQ(store->load("queue").status().code(), Status::Code::kCorruption) << "raw 32 bytes";
}

// No change of a single byte may make the store return a different key. wine's DPAPI does not
// authenticate some header fields, which then unprotect to the same key: counted and reported.
TEST_F(DpapiKeyStoreTest, NoSingleByteChangeYieldsAnotherKey) {
  auto original = newStore()->loadOrCreate("queue");
  ASSERT_TRUE(original.isOk()) << original.status().toString();
  const std::vector<uint8_t> blob = readAll(keyFile("queue"));
  auto store = newStore();
  size_t accepted = 0;
  for (size_t i = 0; i < blob.size(); ++i) {
    std::vector<uint8_t> changed = blob;
    changed[i] ^= 0x55;
    writeAll(keyFile("queue"), changed);
    auto loaded = store->load("queue");
    if (loaded.isOk()) {
      ++accepted;
      EXPECT_TRUE(*loaded == *original) << "byte " << i << " changed gives another key";
    } else {
      EXPECT_EQ(loaded.status().code(), Status::Code::kCorruption) << loaded.status().toString();
    }
  }
  if (accepted > 0) {
    std::cout << "[ NOTE     ] " << accepted << " of " << blob.size()
              << " single-byte changes still unprotect to the same key"
              << (underWine() ? " (wine's DPAPI does not authenticate the blob header)" : "")
              << "\n";
  }
}

TEST_F(DpapiKeyStoreTest, RefusesABlobCopiedFromAnotherKey) {
  auto store = newStore();
  ASSERT_TRUE(store->loadOrCreate("queue").isOk());
  ASSERT_TRUE(store->loadOrCreate("chain").isOk());
  // Into the existing file, which keeps its access list: only the blob is foreign.
  writeAll(keyFile("chain"), readAll(keyFile("queue")));
  auto loaded = store->load("chain");
  ASSERT_EQ(loaded.status().code(), Status::Code::kCorruption) << loaded.status().toString();
  EXPECT_NE(loaded.status().message().find("copied from another key"), std::string::npos)
      << loaded.status().message();
}

TEST_F(DpapiKeyStoreTest, RefusesABlobThatIsNotA32ByteKey) {
  ASSERT_TRUE(newStore()->loadOrCreate("queue").isOk());  // creates the directory
  for (const size_t size : {size_t{31}, size_t{33}}) {
    // Sealed like the store seals, with the store's entropy, but not 32 bytes long.
    std::vector<uint8_t> plain(size, 0x11);
    std::string entropy = "vigie-key:queue";
    DATA_BLOB in{static_cast<DWORD>(plain.size()), plain.data()};
    DATA_BLOB extra{static_cast<DWORD>(entropy.size()), reinterpret_cast<BYTE*>(entropy.data())};
    DATA_BLOB sealed{};
    ASSERT_TRUE(CryptProtectData(&in, nullptr, &extra, nullptr, nullptr,
                                 CRYPTPROTECT_LOCAL_MACHINE | CRYPTPROTECT_UI_FORBIDDEN, &sealed));
    writeAll(keyFile("queue"), std::vector<uint8_t>(sealed.pbData, sealed.pbData + sealed.cbData));
    LocalFree(sealed.pbData);

    auto loaded = newStore()->load("queue");
    ASSERT_EQ(loaded.status().code(), Status::Code::kCorruption) << loaded.status().toString();
    EXPECT_NE(loaded.status().message().find("unprotects to " + std::to_string(size) + " bytes"),
              std::string::npos)
        << loaded.status().message();
  }
}

TEST_F(DpapiKeyStoreTest, DirectoryAndFilesAdmitOnlySystemAndAdministrators) {
  ASSERT_TRUE(newStore()->loadOrCreate("queue").isOk());
  for (const fs::path& path : {dir_, keyFile("queue")}) {
    const std::string sddl = securityOf(path);
    ASSERT_FALSE(sddl.empty()) << "cannot read the security of " << path.string();
    std::cout << "[ NOTE     ] " << path.filename().string() << ": " << sddl << "\n";
    // Everyone, Users, Authenticated Users, Interactive, Guests.
    for (const char* other : {"WD", "BU", "AU", "IU", "BG", "S-1-1-0", "S-1-5-32-545"}) {
      EXPECT_FALSE(allows(sddl, other)) << path.string() << " allows " << other << ": " << sddl;
    }
    EXPECT_TRUE(allows(sddl, "SY")) << sddl;
    if (underWine()) {
      // wine keeps no Windows ACL on files: it maps the DACL onto Unix mode bits and reads back
      // SYSTEM, the owner and (if the mode allows) Everyone. Check what it can show: no others.
      if (!allows(sddl, "BA")) {
        std::cout << "[ NOTE     ] wine maps ACLs onto Unix mode bits: Administrators reads back "
                     "as the owner; the protected flag is not kept\n";
      }
    } else {
      EXPECT_NE(sddl.find("D:P"), std::string::npos) << "DACL not protected: " << sddl;
      EXPECT_TRUE(allows(sddl, "BA")) << sddl;
    }
  }
}

TEST_F(DpapiKeyStoreTest, RefusesADirectoryOpenToEveryone) {
  ASSERT_TRUE(fs::create_directory(dir_));
  PSECURITY_DESCRIPTOR descriptor = nullptr;
  ASSERT_TRUE(ConvertStringSecurityDescriptorToSecurityDescriptorW(
      L"D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;FA;;;WD)", SDDL_REVISION_1, &descriptor,
      nullptr));
  BOOL present = FALSE;
  BOOL defaulted = FALSE;
  PACL dacl = nullptr;
  ASSERT_TRUE(GetSecurityDescriptorDacl(descriptor, &present, &dacl, &defaulted));
  std::wstring path = dir_.wstring();
  const DWORD error = SetNamedSecurityInfoW(
      path.data(), SE_FILE_OBJECT, DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
      nullptr, nullptr, dacl, nullptr);
  LocalFree(descriptor);
  ASSERT_EQ(error, static_cast<DWORD>(ERROR_SUCCESS));
  const std::string sddl = securityOf(dir_);
  if (!allows(sddl, "WD")) GTEST_SKIP() << "this system did not keep an Everyone entry: " << sddl;

  auto loaded = newStore()->loadOrCreate("queue");
  ASSERT_EQ(loaded.status().code(), Status::Code::kPermissionDenied) << loaded.status().toString();
  EXPECT_NE(loaded.status().message().find("grants access to S-1-1-0"), std::string::npos)
      << loaded.status().message();
  EXPECT_FALSE(fs::exists(keyFile("queue")));
}

// Store objects racing to create the same keys (as two processes would: each has its own lock)
// must all end up with the key that was written first.
TEST_F(DpapiKeyStoreTest, RacingCreatorsAllGetTheSameKey) {
  constexpr int kThreads = 4;
  constexpr int kKeys = 10;
  std::vector<KeyStorePtr> stores;
  for (int t = 0; t < kThreads; ++t) stores.push_back(newStore());
  std::vector<std::vector<SecretKey>> got(kThreads, std::vector<SecretKey>(kKeys));
  std::atomic<int> failures{0};
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int k = 0; k < kKeys; ++k) {
        auto key = stores[static_cast<size_t>(t)]->loadOrCreate("key-" + std::to_string(k));
        if (!key.isOk()) {
          ++failures;
          std::cout << key.status().toString() << "\n";
          continue;
        }
        got[static_cast<size_t>(t)][static_cast<size_t>(k)] = *key;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  ASSERT_EQ(failures.load(), 0);
  auto reader = newStore();
  for (int k = 0; k < kKeys; ++k) {
    auto stored = reader->load("key-" + std::to_string(k));
    ASSERT_TRUE(stored.isOk()) << stored.status().toString();
    for (int t = 0; t < kThreads; ++t) {
      EXPECT_TRUE(got[static_cast<size_t>(t)][static_cast<size_t>(k)] == *stored)
          << "thread " << t << " got a key for key-" << k << " that is not the stored one";
    }
  }
  for (const auto& entry : fs::directory_iterator(dir_)) {
    EXPECT_EQ(entry.path().extension(), ".key") << "left behind: " << entry.path().string();
  }
}

}  // namespace
}  // namespace vigie::crypto
