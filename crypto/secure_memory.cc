#include "secure_memory.h"

namespace vigie::crypto::internal {

void secureWipe(void* data, size_t size) {
  // Stores through a volatile pointer are observable, so the compiler cannot drop them as dead.
  volatile uint8_t* bytes = static_cast<volatile uint8_t*>(data);
  for (size_t i = 0; i < size; ++i) bytes[i] = 0;
}

bool constantTimeEqual(const uint8_t* a, const uint8_t* b, size_t size) {
  // No early exit, and a volatile accumulator so the loop is not turned into one that stops at the
  // first difference.
  volatile uint8_t difference = 0;
  for (size_t i = 0; i < size; ++i) {
    difference = static_cast<uint8_t>(difference | (a[i] ^ b[i]));
  }
  return difference == 0;
}

}  // namespace vigie::crypto::internal
