#pragma once

#include <cstdint>

#include "vigie/crypto/secret_key.h"

namespace vigie::testing {

// A fixed 256-bit key, every byte `fill`: reproducible keys for tests and benchmarks.
crypto::SecretKey fixedKey(uint8_t fill);

}  // namespace vigie::testing
