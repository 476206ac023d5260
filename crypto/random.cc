#include "vigie/crypto/random.h"

#include <array>

#include "secure_memory.h"

namespace vigie::crypto {

StatusOr<SecretKey> generateKey() {
  std::array<uint8_t, SecretKey::kSize> bytes{};
  VIGIE_RETURN_IF_ERROR(fillRandom(bytes));
  SecretKey key(bytes);
  internal::secureWipe(bytes.data(), bytes.size());
  return key;
}

}  // namespace vigie::crypto
