// fillRandom on Linux: OpenSSL's private DRBG, which OpenSSL seeds from the OS CSPRNG.
#include "vigie/crypto/random.h"

#include <openssl/rand.h>

#include <climits>

namespace vigie::crypto {

Status fillRandom(std::span<uint8_t> out) {
  if (out.size() > INT_MAX || RAND_priv_bytes(out.data(), static_cast<int>(out.size())) != 1) {
    return Status::ioError("the random generator could not be seeded");
  }
  return Status::ok();
}

}  // namespace vigie::crypto
