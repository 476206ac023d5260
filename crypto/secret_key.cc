#include "vigie/crypto/secret_key.h"

#include <algorithm>

#include "secure_memory.h"

namespace vigie::crypto {

SecretKey::SecretKey(std::span<const uint8_t, kSize> bytes) {
  std::copy(bytes.begin(), bytes.end(), bytes_.begin());
}

SecretKey& SecretKey::operator=(const SecretKey& other) {
  bytes_ = other.bytes_;
  return *this;
}

SecretKey::~SecretKey() { internal::secureWipe(bytes_.data(), bytes_.size()); }

bool SecretKey::operator==(const SecretKey& other) const {
  return internal::constantTimeEqual(bytes_.data(), other.bytes_.data(), kSize);
}

}  // namespace vigie::crypto
