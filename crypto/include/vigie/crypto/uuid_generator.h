#pragma once

#include <array>
#include <cstdint>

#include "vigie/protocol/uuid.h"

namespace vigie::crypto {

// UUIDv7 ids with CSPRNG random bits, drawn from a pool to keep the per-event cost low.
// Not thread-safe.
class UuidV7Generator {
 public:
  protocol::Uuid next(int64_t unix_ms);

 private:
  std::array<uint8_t, 4000> pool_{};
  size_t used_ = pool_.size();
};

}  // namespace vigie::crypto
