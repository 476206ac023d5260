#include "vigie/protocol/batch_codec.h"

#include <zlib.h>

#include <algorithm>

#include "vigie/protocol/json_codec.h"

namespace vigie::protocol {
namespace {

constexpr size_t kChunk = 64 * 1024;

// zlib's stream, ended on every path.
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

}  // namespace

std::string gzipCompress(std::string_view data, int level) {
  z_stream stream{};
  // windowBits 15 + 16: a gzip header and trailer around the deflate stream.
  if (deflateInit2(&stream, std::clamp(level, 1, 9), Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    return {};
  }
  std::string out;
  out.resize(deflateBound(&stream, static_cast<uLong>(data.size())) + 32);
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

StatusOr<std::string> gzipDecompress(std::string_view compressed, size_t max_output) {
  if (compressed.empty()) return Status::invalidArgument("empty body: not gzip");
  Inflater inflater;
  if (!inflater.ok()) return Status::resourceExhausted("cannot start zlib");
  z_stream& stream = inflater.stream();
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  std::string out;
  char buffer[kChunk];
  for (;;) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    const int rc = inflate(&stream, Z_NO_FLUSH);
    const size_t produced = sizeof buffer - stream.avail_out;
    if (out.size() + produced > max_output) {
      return Status::invalidArgument("decompressed batch exceeds " + std::to_string(max_output) +
                                     " bytes");
    }
    out.append(buffer, produced);
    if (rc == Z_STREAM_END) break;
    if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT) {
      return Status::invalidArgument(std::string("not valid gzip: ") +
                                     (stream.msg != nullptr ? stream.msg : "data error"));
    }
    if (rc == Z_BUF_ERROR && stream.avail_in == 0) {
      return Status::invalidArgument("truncated gzip stream");
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      return Status::invalidArgument("gzip stream refused (zlib code " + std::to_string(rc) + ")");
    }
  }
  if (stream.avail_in != 0) {
    return Status::invalidArgument(std::to_string(stream.avail_in) +
                                   " byte(s) after the end of the gzip stream");
  }
  return out;
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

StatusOr<std::vector<Event>> decodeBatchLines(std::string_view text, const BatchLimits& limits) {
  if (text.empty()) return Status::invalidArgument("empty batch");
  // Count first: an oversized batch is refused before any event is decoded.
  const auto lines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
  if (lines > limits.max_events) {
    return Status::invalidArgument("batch has more than " + std::to_string(limits.max_events) +
                                   " events");
  }
  std::vector<Event> events;
  events.reserve(lines);
  size_t start = 0;
  size_t number = 1;
  for (; start < text.size(); ++number) {
    const size_t newline = text.find('\n', start);
    const std::string prefix = "line " + std::to_string(number) + ": ";
    if (newline == std::string_view::npos) {
      return Status::invalidArgument(prefix + "missing newline (truncated batch?)");
    }
    const std::string_view line = text.substr(start, newline - start);
    if (line.empty()) return Status::invalidArgument(prefix + "empty line");
    auto event = eventFromJson(line);
    if (!event.isOk()) return Status::invalidArgument(prefix + event.status().message());
    if (!events.empty() && event->seq <= events.back().seq) {
      return Status::invalidArgument(prefix + "sequence " + std::to_string(event->seq) +
                                     " does not follow " + std::to_string(events.back().seq));
    }
    events.push_back(std::move(event).value());
    start = newline + 1;
  }
  return events;
}

StatusOr<std::vector<Event>> decodeBatch(std::string_view compressed, const BatchLimits& limits) {
  if (compressed.size() > limits.max_compressed_bytes) {
    return Status::invalidArgument("batch body exceeds " +
                                   std::to_string(limits.max_compressed_bytes) + " bytes");
  }
  auto text = gzipDecompress(compressed, limits.max_decompressed_bytes);
  if (!text.isOk()) return text.status();
  return decodeBatchLines(*text, limits);
}

}  // namespace vigie::protocol
