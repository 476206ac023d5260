#pragma once

// The upload format (docs/collector-protocol.md): a batch is the events' JSON documents, one per
// line ("\n" after each, NDJSON), in sequence order, compressed with gzip. The agent builds it
// from the queue's stored JSON without re-encoding; the collector decodes it strictly, within
// limits, before anything is verified or stored.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vigie/protocol/event.h"
#include "vigie/protocol/status.h"

namespace vigie::protocol {

struct BatchLimits {
  size_t max_compressed_bytes = 8u << 20;     // the HTTP body as received
  size_t max_decompressed_bytes = 64u << 20;  // stops gzip bombs before they use memory
  size_t max_events = 20'000;
};

// gzip (RFC 1952) of `data`. `level` 1 (fast) .. 9 (small).
std::string gzipCompress(std::string_view data, int level = 1);

// Inflates one gzip member. More than `max_output` bytes, trailing garbage, a bad CRC or a
// truncated stream -> kInvalidArgument naming the problem; output beyond the limit is never
// allocated.
StatusOr<std::string> gzipDecompress(std::string_view compressed, size_t max_output);

// Joins stored event JSON documents into the batch's plain text (before compression).
std::string joinBatchLines(std::span<const std::string_view> event_json);

// Decodes a plain (already decompressed) batch: every line must be one valid event
// (eventFromJson), there must be at least one and at most limits.max_events, and sequence numbers
// must increase strictly. Errors say which line and why: "line 3: field data.pages: expected
// integer, got string".
StatusOr<std::vector<Event>> decodeBatchLines(std::string_view text, const BatchLimits& limits);

// A decoded batch and the text each event arrived as, so that the collector can store what the
// device sent without encoding it again.
struct DecodedBatch {
  std::string text;  // the decompressed batch
  std::vector<Event> events;
  std::vector<std::pair<size_t, size_t>> lines;  // events[i]'s JSON in text: offset, length
  std::string_view line(size_t i) const {
    return std::string_view(text).substr(lines[i].first, lines[i].second);
  }
};

// gzipDecompress + decodeBatchLines, with the size limits of `limits`.
StatusOr<DecodedBatch> decodeBatch(std::string_view compressed, const BatchLimits& limits);

}  // namespace vigie::protocol
