#include "vigie/crypto/password_hash.h"

#include <openssl/evp.h>

#include <array>
#include <charconv>
#include <vector>

#include "vigie/crypto/digest.h"
#include "vigie/crypto/random.h"
#include "vigie/protocol/hex.h"

namespace vigie::crypto {
namespace {

constexpr int kLogN = 15;
constexpr int kR = 8;
constexpr int kP = 1;
constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;
// scrypt needs 128 * N * r bytes (32 MiB here); allow twice that for the largest stored cost.
constexpr uint64_t kMaxMemory = 128ull * 1024 * 1024;

bool derive(std::string_view password, std::span<const uint8_t> salt, int log_n, int r, int p,
            std::span<uint8_t> out) {
  return EVP_PBE_scrypt(password.data(), password.size(), salt.data(), salt.size(),
                        uint64_t{1} << log_n, static_cast<uint64_t>(r), static_cast<uint64_t>(p),
                        kMaxMemory, out.data(), out.size()) == 1;
}

std::vector<std::string_view> splitDollar(std::string_view text) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t end = text.find('$', start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return parts;
}

bool parseInt(std::string_view text, int low, int high, int& out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size() && out >= low && out <= high;
}

}  // namespace

StatusOr<std::string> hashPassword(std::string_view password) {
  std::array<uint8_t, kSaltBytes> salt{};
  VIGIE_RETURN_IF_ERROR(fillRandom(salt));
  std::array<uint8_t, kHashBytes> hash{};
  if (!derive(password, salt, kLogN, kR, kP, hash)) {
    return Status::resourceExhausted("scrypt: not enough memory to hash the password");
  }
  return "scrypt$" + std::to_string(kLogN) + "$" + std::to_string(kR) + "$" + std::to_string(kP) +
         "$" + protocol::toHex(salt) + "$" + protocol::toHex(hash);
}

bool verifyPassword(std::string_view password, std::string_view stored) {
  const auto parts = splitDollar(stored);
  int log_n = 0, r = 0, p = 0;
  // Salts of other lengths verify too (hashes written elsewhere, published test vectors).
  std::vector<uint8_t> salt(parts.size() == 6 ? parts[4].size() / 2 : 0);
  std::array<uint8_t, kHashBytes> expected{};
  if (parts.size() != 6 || parts[0] != "scrypt" || !parseInt(parts[1], 10, 20, log_n) ||
      !parseInt(parts[2], 1, 32, r) || !parseInt(parts[3], 1, 16, p) || salt.empty() ||
      salt.size() > 64 || !protocol::parseHex("salt", parts[4], salt).isOk() ||
      !protocol::parseHex("hash", parts[5], expected).isOk()) {
    return false;
  }
  std::array<uint8_t, kHashBytes> actual{};
  if (!derive(password, salt, log_n, r, p, actual)) return false;
  return constantTimeEquals({reinterpret_cast<const char*>(actual.data()), actual.size()},
                            {reinterpret_cast<const char*>(expected.data()), expected.size()});
}

}  // namespace vigie::crypto
