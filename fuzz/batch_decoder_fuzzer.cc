// libFuzzer target for what the collector decodes from the network before anything else: the
// batch body (gzip + NDJSON events). It must never crash, hang or allocate beyond the limits.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vigie/protocol/batch_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  vigie::protocol::BatchLimits limits;
  limits.max_compressed_bytes = 1 << 20;
  limits.max_decompressed_bytes = 4 << 20;
  limits.max_events = 1000;
  (void)vigie::protocol::decodeBatch(input, limits);
  (void)vigie::protocol::decodeBatchLines(input, limits);
  return 0;
}
