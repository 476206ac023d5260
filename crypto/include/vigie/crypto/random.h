#pragma once

#include <cstdint>
#include <span>

#include "vigie/crypto/secret_key.h"
#include "vigie/protocol/status.h"

namespace vigie::crypto {

// Bytes from OpenSSL's DRBG, seeded by the OS CSPRNG. Fails only if the generator cannot be seeded.
Status fillRandom(std::span<uint8_t> out);
StatusOr<SecretKey> generateKey();

}  // namespace vigie::crypto
