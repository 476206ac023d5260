// Clipboard text comes from any application on the desktop: the classifier must take any bytes
// without crashing, reading out of bounds or counting more items than the text could hold.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "pii_classifier.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const vigie::protocol::PiiCounts counts = vigie::session::classifyPii(text);
  // The shortest items: an e-mail "a@b.cd" (6 bytes), a phone or NIR or card (10+ digits), an
  // IBAN (15+ characters). Each item counts once, so they cannot add up to more than this.
  const uint64_t items =
      counts.email + counts.phone_fr + counts.iban + counts.payment_card + counts.nir;
  if (items * 6 > size) std::abort();
  return 0;
}
