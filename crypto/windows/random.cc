// fillRandom on Windows: the system-preferred CSPRNG through CNG (no OpenSSL in this build).

// clang-format off
#include <windows.h>  // first: the other win32 headers need its types
// clang-format on
#include "vigie/crypto/random.h"

#include <bcrypt.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <string>

namespace vigie::crypto {

Status fillRandom(std::span<uint8_t> out) {
  // BCryptGenRandom counts in ULONG (32 bits): ask in chunks.
  size_t done = 0;
  while (done < out.size()) {
    const size_t chunk = std::min<size_t>(out.size() - done, ULONG_MAX);
    const NTSTATUS status = BCryptGenRandom(nullptr, out.data() + done, static_cast<ULONG>(chunk),
                                            BCRYPT_USE_SYSTEM_PREFERRED_RNG);
    if (status < 0) {
      char code[16];
      std::snprintf(code, sizeof code, "0x%08lX", static_cast<unsigned long>(status));
      return Status::ioError(std::string("the system random generator failed (BCryptGenRandom ") +
                             code + ")");
    }
    done += chunk;
  }
  return Status::ok();
}

}  // namespace vigie::crypto
