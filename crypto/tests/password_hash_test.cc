#include "vigie/crypto/password_hash.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vigie::crypto {
namespace {

constexpr char kPassword[] = "correct horse battery";

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t end = text.find('$'); end != std::string::npos; end = text.find('$', start)) {
    parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  parts.push_back(text.substr(start));
  return parts;
}

bool isLowerHex(const std::string& text) {
  return text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

class PasswordHashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto hashed = hashPassword(kPassword);
    ASSERT_TRUE(hashed.isOk()) << hashed.status().toString();
    stored_ = std::move(hashed).value();
  }
  std::string stored_;
};

TEST_F(PasswordHashTest, HashHasTheDocumentedFormAndVerifies) {
  const auto parts = split(stored_);
  ASSERT_EQ(parts.size(), 6u) << stored_;
  EXPECT_EQ(parts[0], "scrypt");
  EXPECT_EQ(parts[1], "15");
  EXPECT_EQ(parts[2], "8");
  EXPECT_EQ(parts[3], "1");
  EXPECT_EQ(parts[4].size(), 32u);  // 16-byte salt
  EXPECT_EQ(parts[5].size(), 64u);  // 32-byte hash
  EXPECT_TRUE(isLowerHex(parts[4]) && isLowerHex(parts[5])) << stored_;
  EXPECT_EQ(stored_.find(kPassword), std::string::npos);

  EXPECT_TRUE(verifyPassword(kPassword, stored_));
}

TEST_F(PasswordHashTest, WrongPasswordFails) {
  EXPECT_FALSE(verifyPassword("correct horse batterY", stored_));
  EXPECT_FALSE(verifyPassword("correct horse battery ", stored_));
  EXPECT_FALSE(verifyPassword("correct horse batter", stored_));
  EXPECT_FALSE(verifyPassword("", stored_));
}

TEST_F(PasswordHashTest, SamePasswordHashedTwiceGivesDifferentSaltsAndHashes) {
  auto again = hashPassword(kPassword);
  ASSERT_TRUE(again.isOk());
  EXPECT_NE(*again, stored_);
  EXPECT_NE(split(*again)[4], split(stored_)[4]);
  EXPECT_NE(split(*again)[5], split(stored_)[5]);
  EXPECT_TRUE(verifyPassword(kPassword, *again));
}

// RFC 7914, section 12, second vector: scrypt("password", "NaCl", N=1024, r=8, p=16). Its first
// 32 bytes are the 32-byte output (PBKDF2's first block). The parameters travel in the string, so
// a hash written with other parameters still verifies.
TEST(PasswordHashVectorTest, ParametersAreReadFromTheStoredString) {
  const std::string stored =
      "scrypt$10$8$16$4e61436c$fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162";
  EXPECT_TRUE(verifyPassword("password", stored));
  EXPECT_FALSE(verifyPassword("Password", stored));
  // The same salt and hash under other parameters describe another derivation.
  EXPECT_FALSE(verifyPassword(
      "password",
      "scrypt$11$8$16$4e61436c$fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"));
  EXPECT_FALSE(verifyPassword(
      "password",
      "scrypt$10$8$15$4e61436c$fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"));
  // Hex is lower case only, the protocol's one spelling.
  EXPECT_FALSE(verifyPassword(
      "password",
      "scrypt$10$8$16$4E61436C$FDBABE1C9D3472007856E7190D01E9FE7C6AD7CBC8237830E77376634B373162"));
}

TEST_F(PasswordHashTest, TamperedHashFails) {
  const auto parts = split(stored_);
  auto join = [&](const std::vector<std::string>& p) {
    std::string out = p[0];
    for (size_t i = 1; i < p.size(); ++i) out += "$" + p[i];
    return out;
  };
  auto flipLast = [](std::string hex) {
    hex.back() = hex.back() == '0' ? '1' : '0';
    return hex;
  };
  ASSERT_EQ(join(parts), stored_);

  auto hash_changed = parts;
  hash_changed[5] = flipLast(parts[5]);
  EXPECT_FALSE(verifyPassword(kPassword, join(hash_changed)));

  auto salt_changed = parts;
  salt_changed[4] = flipLast(parts[4]);
  EXPECT_FALSE(verifyPassword(kPassword, join(salt_changed)));

  auto cost_changed = parts;
  cost_changed[1] = "14";
  EXPECT_FALSE(verifyPassword(kPassword, join(cost_changed)));

  auto hash_short = parts;
  hash_short[5] = parts[5].substr(0, 62);
  EXPECT_FALSE(verifyPassword(kPassword, join(hash_short)));

  auto hash_long = parts;
  hash_long[5] = parts[5] + "00";
  EXPECT_FALSE(verifyPassword(kPassword, join(hash_long)));

  EXPECT_FALSE(verifyPassword(kPassword, stored_ + "$"));
  EXPECT_FALSE(verifyPassword(kPassword, stored_.substr(0, stored_.size() - 1)));
  EXPECT_FALSE(verifyPassword(kPassword, " " + stored_));
}

TEST_F(PasswordHashTest, GarbageAndOutOfRangeParametersFailWithoutCrashing) {
  const auto parts = split(stored_);
  const std::string salt = parts[4];
  const std::string hash = parts[5];
  const std::vector<std::string> garbage = {
      "",
      "scrypt",
      "$$$$$",
      "scrypt$$$$$",
      "scrypt$15$8$1$$",
      "scrypt$15$8$1$" + salt,
      "bcrypt$15$8$1$" + salt + "$" + hash,
      "SCRYPT$15$8$1$" + salt + "$" + hash,
      "scrypt$15$8$1$" + salt + "$" + hash + "$extra",
      // Costs outside what this code writes or can afford.
      "scrypt$9$8$1$" + salt + "$" + hash,
      "scrypt$21$8$1$" + salt + "$" + hash,
      "scrypt$20$32$16$" + salt + "$" + hash,  // 4 GiB: over the memory cap
      "scrypt$15$0$1$" + salt + "$" + hash,
      "scrypt$15$33$1$" + salt + "$" + hash,
      "scrypt$15$8$0$" + salt + "$" + hash,
      "scrypt$15$8$17$" + salt + "$" + hash,
      "scrypt$-15$8$1$" + salt + "$" + hash,
      "scrypt$+15$8$1$" + salt + "$" + hash,
      "scrypt$ 15$8$1$" + salt + "$" + hash,
      "scrypt$15.0$8$1$" + salt + "$" + hash,
      "scrypt$99999999999999999999$8$1$" + salt + "$" + hash,
      "scrypt$x$8$1$" + salt + "$" + hash,
      // Salt or hash that is not hex.
      "scrypt$15$8$1$" + salt.substr(1) + "$" + hash,
      "scrypt$15$8$1$zz" + salt.substr(2) + "$" + hash,
      "scrypt$15$8$1$" + salt + "$" + hash.substr(0, 63) + "g",
      "scrypt$15$8$1$" + salt + "$-" + hash.substr(1),
      "scrypt$15$8$1$" + salt + "$" + std::string(64, ' '),
      "scrypt$15$8$1$" + salt + "$" + std::string("\0", 1) + hash.substr(1),
      std::string(10000, '$'),
  };
  for (const std::string& stored : garbage) {
    EXPECT_FALSE(verifyPassword(kPassword, stored)) << stored;
  }
  // An empty salt is well formed; the hash simply does not match it.
  EXPECT_FALSE(verifyPassword(kPassword, "scrypt$15$8$1$$" + hash));
}

}  // namespace
}  // namespace vigie::crypto
