#pragma once

// Wiping secrets and comparing them without OpenSSL, so that SecretKey is the same code on every
// OS (the Windows build has no OpenSSL). Private to vigie::crypto.

#include <cstddef>
#include <cstdint>

namespace vigie::crypto::internal {

// Overwrites `size` bytes at `data` with zeros, even when the memory is about to be freed.
void secureWipe(void* data, size_t size);

// Whether the two ranges hold the same bytes, in a time that depends only on `size`.
bool constantTimeEqual(const uint8_t* a, const uint8_t* b, size_t size);

}  // namespace vigie::crypto::internal
