// libFuzzer target for what the collector decodes from the network before anything else: the
// batch body (gzip + NDJSON events). It must never crash, hang or allocate beyond the limits.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "vigie/protocol/batch_codec.h"

namespace {

void check(bool condition) {
  if (!condition) std::abort();  // reported by libFuzzer as a crash, with the input kept
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  vigie::protocol::BatchLimits limits;
  limits.max_compressed_bytes = 1 << 20;
  limits.max_decompressed_bytes = 4 << 20;
  limits.max_events = 1000;

  // As a compressed body: decoded events come with their line, inside the text, within limits.
  auto batch = vigie::protocol::decodeBatch(input, limits);
  if (batch.isOk()) {
    check(!batch->events.empty() && batch->events.size() <= limits.max_events);
    check(batch->events.size() == batch->lines.size());
    check(batch->text.size() <= limits.max_decompressed_bytes);
    for (const auto& [offset, length] : batch->lines) {
      check(offset + length < batch->text.size() && batch->text[offset + length] == '\n');
    }
  }

  // As an already decompressed body.
  auto events = vigie::protocol::decodeBatchLines(input, limits);
  if (events.isOk()) check(!events->empty() && events->size() <= limits.max_events);

  // Any bytes survive gzip and come back the same, and the limit is exact.
  const std::string compressed = vigie::protocol::gzipCompress(input);
  auto back = vigie::protocol::gzipDecompress(compressed, size);
  check(back.isOk() && *back == input);
  if (size > 0) check(!vigie::protocol::gzipDecompress(compressed, size - 1).isOk());
  return 0;
}
