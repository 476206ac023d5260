#include "vigie/protocol/batch_codec.h"

#include <zlib.h>

#include <algorithm>

#include "vigie/protocol/json_codec.h"

namespace vigie::protocol {
namespace {

constexpr size_t kChunk = 64 * 1024;
// zlib counts in uInt (32 bits): longer input is handed over in pieces of at most this.
constexpr size_t kMaxZlibInput = size_t{1} << 30;

Bytef* bytes(const char* data) {
  // zlib's next_in is not const but is never written through.
  return reinterpret_cast<Bytef*>(const_cast<char*>(data));
}

// zlib's inflate stream, ended on every path.
class Inflater {
 public:
  Inflater() { ok_ = inflateInit2(&stream_, 15 + 16) == Z_OK; }
  ~Inflater() {
    if (ok_) inflateEnd(&stream_);
  }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;
  bool ok() const { return ok_; }
  z_stream& stream() { return stream_; }

 private:
  z_stream stream_{};
  bool ok_ = false;
};

// zlib's deflate stream, ended on every path.
class Deflater {
 public:
  explicit Deflater(int level) {
    // windowBits 15 + 16: a gzip header and trailer around the deflate stream.
    ok_ = deflateInit2(&stream_, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK;
  }
  ~Deflater() {
    if (ok_) deflateEnd(&stream_);
  }
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;
  bool ok() const { return ok_; }
  z_stream& stream() { return stream_; }

 private:
  z_stream stream_{};
  bool ok_ = false;
};

// Hands zlib the next piece of `input` once it has consumed the previous one. Returns the number
// of input bytes zlib has not consumed yet.
size_t feed(z_stream& stream, std::string_view input, size_t& offset) {
  if (stream.avail_in == 0 && offset < input.size()) {
    const size_t take = std::min(input.size() - offset, kMaxZlibInput);
    stream.next_in = bytes(input.data() + offset);
    stream.avail_in = static_cast<uInt>(take);
    offset += take;
  }
  return stream.avail_in + (input.size() - offset);
}

// Appends `data` to `out`, never letting its capacity exceed `limit`.
// REQUIRES: out.size() + data.size() <= limit.
void appendWithin(std::string& out, std::string_view data, size_t limit) {
  const size_t needed = out.size() + data.size();
  if (needed > out.capacity()) {
    // A fresh string gets exactly the capacity asked for (std::string::reserve on a non-empty one
    // may double instead), so the buffer doubles as output arrives but stops at `limit`.
    std::string bigger;
    bigger.reserve(std::min(limit, std::max(needed, 2 * out.capacity())));
    bigger.append(out);
    out.swap(bigger);
  }
  out.append(data);
}

}  // namespace

std::string gzipCompress(std::string_view data, int level) {
  Deflater deflater(std::clamp(level, 1, 9));
  if (!deflater.ok()) return {};
  z_stream& stream = deflater.stream();
  std::string out;
  out.reserve(data.size() / 4 + 64);  // NDJSON shrinks several times
  char buffer[kChunk];
  size_t offset = 0;
  for (;;) {
    const bool last = feed(stream, data, offset) == stream.avail_in;
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    const int rc = deflate(&stream, last ? Z_FINISH : Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - stream.avail_out);
    if (rc == Z_STREAM_END) return out;
    if (rc != Z_OK && rc != Z_BUF_ERROR) return {};  // only on misuse of zlib
  }
}

StatusOr<std::string> gzipDecompress(std::string_view compressed, size_t max_output) {
  if (compressed.empty()) return Status::invalidArgument("empty body: not gzip");
  Inflater inflater;
  if (!inflater.ok()) return Status::resourceExhausted("cannot start zlib");
  z_stream& stream = inflater.stream();
  std::string out;
  char buffer[kChunk];
  size_t offset = 0;
  for (;;) {
    feed(stream, compressed, offset);
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    const int rc = inflate(&stream, Z_NO_FLUSH);
    const size_t produced = sizeof buffer - stream.avail_out;
    if (produced > max_output - out.size()) {
      return Status::invalidArgument("decompressed batch exceeds " + std::to_string(max_output) +
                                     " bytes");
    }
    appendWithin(out, std::string_view(buffer, produced), max_output);
    switch (rc) {
      case Z_STREAM_END: {
        const size_t trailing = stream.avail_in + (compressed.size() - offset);
        if (trailing != 0) {
          return Status::invalidArgument(std::to_string(trailing) +
                                         " byte(s) after the end of the gzip stream");
        }
        return out;
      }
      case Z_OK:
        break;
      case Z_BUF_ERROR:
        // No progress possible. There was room for output, so the input ran out (feed() hands
        // over the next piece before every call: avail_in == 0 means all of it was read).
        if (stream.avail_in == 0) return Status::invalidArgument("truncated gzip stream");
        return Status::invalidArgument("gzip stream refused (no progress)");
      case Z_DATA_ERROR:
      case Z_NEED_DICT:
        return Status::invalidArgument(std::string("not valid gzip: ") +
                                       (stream.msg != nullptr ? stream.msg : "data error"));
      case Z_MEM_ERROR:
        return Status::resourceExhausted("out of memory while inflating the batch");
      default:
        return Status::invalidArgument("gzip stream refused (zlib code " + std::to_string(rc) +
                                       ")");
    }
  }
}

std::string joinBatchLines(std::span<const std::string_view> event_json) {
  size_t total = 0;
  for (std::string_view line : event_json) total += line.size() + 1;
  std::string out;
  out.reserve(total);
  for (std::string_view line : event_json) {
    out += line;
    out += '\n';
  }
  return out;
}

namespace {

Status lineError(size_t number, std::string_view message) {
  return Status::invalidArgument("line " + std::to_string(number) + ": " + std::string(message));
}

// Decodes every line of `text` into `events`, recording where each line is in `spans`.
Status decodeLines(std::string_view text, const BatchLimits& limits, std::vector<Event>& events,
                   std::vector<std::pair<size_t, size_t>>& spans) {
  if (text.empty()) return Status::invalidArgument("empty batch");
  // Count first: an oversized batch is refused before any event is decoded.
  const auto lines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
  if (lines > limits.max_events) {
    return Status::invalidArgument("batch has more than " + std::to_string(limits.max_events) +
                                   " events");
  }
  events.reserve(lines);
  spans.reserve(lines);
  size_t start = 0;
  for (size_t number = 1; start < text.size(); ++number) {
    const size_t newline = text.find('\n', start);
    if (newline == std::string_view::npos) {
      return lineError(number, "missing newline (truncated batch?)");
    }
    const std::string_view line = text.substr(start, newline - start);
    if (line.empty()) return lineError(number, "empty line");
    auto event = eventFromJson(line);
    if (!event.isOk()) return lineError(number, event.status().message());
    if (!events.empty() && event->seq <= events.back().seq) {
      return lineError(number, "sequence " + std::to_string(event->seq) + " does not follow " +
                                   std::to_string(events.back().seq));
    }
    events.push_back(std::move(event).value());
    spans.emplace_back(start, line.size());
    start = newline + 1;
  }
  return Status::ok();
}

}  // namespace

StatusOr<std::vector<Event>> decodeBatchLines(std::string_view text, const BatchLimits& limits) {
  std::vector<Event> events;
  std::vector<std::pair<size_t, size_t>> spans;
  VIGIE_RETURN_IF_ERROR(decodeLines(text, limits, events, spans));
  return events;
}

StatusOr<DecodedBatch> decodeBatch(std::string_view compressed, const BatchLimits& limits) {
  if (compressed.size() > limits.max_compressed_bytes) {
    return Status::invalidArgument("batch body exceeds " +
                                   std::to_string(limits.max_compressed_bytes) + " bytes");
  }
  auto text = gzipDecompress(compressed, limits.max_decompressed_bytes);
  if (!text.isOk()) return text.status();
  DecodedBatch batch;
  batch.text = std::move(text).value();
  VIGIE_RETURN_IF_ERROR(decodeLines(batch.text, limits, batch.events, batch.lines));
  return batch;
}

}  // namespace vigie::protocol
