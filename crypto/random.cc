#include "vigie/crypto/random.h"

#include <openssl/rand.h>

#include <array>
#include <climits>

namespace vigie::crypto {

Status fillRandom(std::span<uint8_t> out) {
  if (out.size() > INT_MAX || RAND_priv_bytes(out.data(), static_cast<int>(out.size())) != 1) {
    return Status::ioError("the random generator could not be seeded");
  }
  return Status::ok();
}

StatusOr<SecretKey> generateKey() {
  std::array<uint8_t, SecretKey::kSize> bytes{};
  VIGIE_RETURN_IF_ERROR(fillRandom(bytes));
  SecretKey key(bytes);
  std::fill(bytes.begin(), bytes.end(), uint8_t{0});
  return key;
}

}  // namespace vigie::crypto
