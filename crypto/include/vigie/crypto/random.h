#pragma once

#include <cstdint>
#include <span>

#include "vigie/crypto/secret_key.h"
#include "vigie/protocol/status.h"

namespace vigie::crypto {

// Bytes from a CSPRNG: on Linux OpenSSL's DRBG, seeded by the OS; on Windows the system-preferred
// generator (BCryptGenRandom). Fails only if the generator cannot be seeded or fails.
Status fillRandom(std::span<uint8_t> out);
StatusOr<SecretKey> generateKey();

}  // namespace vigie::crypto
