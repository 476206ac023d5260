#include "test_keys.h"

#include <array>

namespace vigie::testing {

crypto::SecretKey fixedKey(uint8_t fill) {
  std::array<uint8_t, crypto::SecretKey::kSize> bytes{};
  bytes.fill(fill);
  return crypto::SecretKey(bytes);
}

}  // namespace vigie::testing
