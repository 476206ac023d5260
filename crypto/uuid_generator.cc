#include "vigie/crypto/uuid_generator.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "vigie/crypto/random.h"

namespace vigie::crypto {

protocol::Uuid UuidV7Generator::next(int64_t unix_ms) {
  std::array<uint8_t, 10> random{};
  if (used_ + random.size() > pool_.size()) {
    if (!fillRandom(pool_).isOk()) {
      std::fprintf(stderr, "vigie: the random generator failed\n");
      std::abort();  // ids that might repeat are worse than no agent
    }
    used_ = 0;
  }
  std::memcpy(random.data(), pool_.data() + used_, random.size());
  used_ += random.size();
  return protocol::makeUuidV7(unix_ms, random);
}

}  // namespace vigie::crypto
