#include "vigie/protocol/batch_codec.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <random>

#include "sample_events.h"
#include "vigie/protocol/json_codec.h"

namespace vigie::protocol {
namespace {

std::string batchOf(const std::vector<Event>& events) {
  std::vector<std::string> json;
  for (const Event& event : events) json.push_back(toJson(event));
  std::vector<std::string_view> lines(json.begin(), json.end());
  return joinBatchLines(lines);
}

std::vector<Event> numbered(std::vector<Event> events) {
  uint64_t seq = 0;
  for (Event& event : events) event.seq = ++seq;
  return events;
}

// A gzip stream of `size` zero bytes, made chunk by chunk (the test never holds them all).
std::string gzipOfZeros(size_t size) {
  z_stream stream{};
  EXPECT_EQ(deflateInit2(&stream, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string zeros(1 << 20, '\0');
  std::string out;
  char buffer[1 << 16];
  for (size_t left = size; left > 0 || stream.avail_in > 0;) {
    const size_t take = std::min(left, zeros.size());
    stream.next_in = reinterpret_cast<Bytef*>(zeros.data());
    stream.avail_in = static_cast<uInt>(take);
    left -= take;
    const int flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
    do {
      stream.next_out = reinterpret_cast<Bytef*>(buffer);
      stream.avail_out = sizeof buffer;
      deflate(&stream, flush);
      out.append(buffer, sizeof buffer - stream.avail_out);
    } while (stream.avail_out == 0);
    if (left == 0) break;
  }
  deflateEnd(&stream);
  return out;
}

TEST(BatchCodecTest, EventsRoundTripThroughGzip) {
  const auto events = numbered(testing::sampleEventsOfEveryType());
  const std::string text = batchOf(events);
  auto decoded = decodeBatch(gzipCompress(text), {});
  ASSERT_TRUE(decoded.isOk()) << decoded.status().toString();
  EXPECT_EQ(decoded->events, events);
  ASSERT_EQ(decoded->lines.size(), events.size());
  EXPECT_EQ(decoded->line(0), toJson(events[0]));  // the text as received, line by line
  EXPECT_EQ(decoded->line(events.size() - 1), toJson(events.back()));
}

TEST(BatchCodecTest, ArbitraryBytesRoundTrip) {
  std::mt19937 random(3);
  std::string data(300'000, '\0');
  for (char& c : data) c = static_cast<char>(random());
  const std::string compressed = gzipCompress(data, 6);
  auto back = gzipDecompress(compressed, data.size());
  ASSERT_TRUE(back.isOk()) << back.status().toString();
  EXPECT_EQ(*back, data);
  // The buffer grows with the output but never past the limit (a few bytes of rounding aside).
  EXPECT_LE(back->capacity(), data.size() + 32);
  EXPECT_EQ(gzipDecompress(compressed, data.size() - 1).status().message(),
            "decompressed batch exceeds 299999 bytes");

  auto nothing = gzipDecompress(gzipCompress(""), 0);
  ASSERT_TRUE(nothing.isOk()) << nothing.status().toString();
  EXPECT_EQ(*nothing, "");
}

TEST(BatchCodecTest, GzipBombStopsAtTheLimit) {
  const std::string bomb = gzipOfZeros(200u << 20);
  ASSERT_LT(bomb.size(), 1u << 20);
  auto result = gzipDecompress(bomb, 64u << 20);
  ASSERT_FALSE(result.isOk());
  EXPECT_EQ(result.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(result.status().message(), "decompressed batch exceeds 67108864 bytes");
  // Through the collector's entry point, with its default limits.
  EXPECT_EQ(decodeBatch(bomb, {}).status().message(), "decompressed batch exceeds 67108864 bytes");
}

TEST(BatchCodecTest, BrokenGzipIsRefusedWithTheReason) {
  const std::string good = gzipCompress(batchOf(numbered(testing::typicalCrmViews(3))));
  EXPECT_EQ(gzipDecompress(good.substr(0, good.size() - 10), 1 << 20).status().message(),
            "truncated gzip stream");
  EXPECT_EQ(gzipDecompress(good + "junk", 1 << 20).status().message(),
            "4 byte(s) after the end of the gzip stream");
  std::string bad_crc = good;
  bad_crc[bad_crc.size() - 6] ^= 0x55;  // inside the CRC32 trailer
  EXPECT_NE(gzipDecompress(bad_crc, 1 << 20).status().message().find("not valid gzip"),
            std::string::npos);
  EXPECT_NE(gzipDecompress("plain text", 1 << 20).status().message().find("not valid gzip"),
            std::string::npos);
  EXPECT_FALSE(gzipDecompress("", 1 << 20).isOk());
  EXPECT_EQ(gzipDecompress(good.substr(0, 1), 1 << 20).status().message(), "truncated gzip stream");
  EXPECT_EQ(gzipDecompress(good + good, 1 << 20).status().message(),
            std::to_string(good.size()) + " byte(s) after the end of the gzip stream");
  EXPECT_EQ(decodeBatch(gzipCompress(""), {}).status().message(), "empty batch");
}

TEST(BatchCodecTest, LinesAreCheckedOneByOneWithTheirNumber) {
  auto events = numbered(testing::typicalCrmViews(4));
  const std::string good = batchOf(events);
  EXPECT_TRUE(decodeBatchLines(good, {}).isOk());

  EXPECT_EQ(decodeBatchLines(good.substr(0, good.size() - 1), {}).status().message(),
            "line 4: missing newline (truncated batch?)");
  EXPECT_EQ(decodeBatchLines("\n" + good, {}).status().message(), "line 1: empty line");
  EXPECT_FALSE(decodeBatchLines("", {}).isOk());

  std::string mistyped = good;
  mistyped.replace(mistyped.find("\"seq\":3"), 7, "\"seq\":\"3\"");
  EXPECT_EQ(decodeBatchLines(mistyped, {}).status().message().rfind("line 3: ", 0), 0u)
      << decodeBatchLines(mistyped, {}).status().message();

  std::swap(events[1], events[2]);
  EXPECT_EQ(decodeBatchLines(batchOf(events), {}).status().message(),
            "line 3: sequence 2 does not follow 3");

  BatchLimits three;
  three.max_events = 3;
  EXPECT_EQ(decodeBatchLines(good, three).status().message(), "batch has more than 3 events");
  // Counted before anything is decoded: a bad first line does not hide the excess.
  EXPECT_EQ(decodeBatchLines("junk\n" + good, three).status().message(),
            "batch has more than 3 events");
}

TEST(BatchCodecTest, DeepNestingAndOversizedBodiesAreRefused) {
  // Under the size limit of an event: the parser's depth limit refuses it.
  const auto deep = decodeBatchLines(std::string(16000, '[') + "\n", {});
  EXPECT_EQ(deep.status().message().rfind("line 1: ", 0), 0u) << deep.status().message();
  EXPECT_NE(deep.status().message().find("nesting"), std::string::npos) << deep.status().message();
  // Over it: refused before parsing, also on the third line of a compressed batch.
  const std::string good = batchOf(numbered(testing::typicalCrmViews(2)));
  const auto deeper = decodeBatch(gzipCompress(good + std::string(100000, '[') + "\n"), {});
  EXPECT_EQ(deeper.status().message().rfind("line 3: ", 0), 0u) << deeper.status().message();
  EXPECT_FALSE(decodeBatchLines(std::string(200000, '{') + "\n", {}).isOk());
  BatchLimits small;
  small.max_compressed_bytes = 10;
  EXPECT_EQ(decodeBatch(std::string(11, 'x'), small).status().message(),
            "batch body exceeds 10 bytes");
}

}  // namespace
}  // namespace vigie::protocol
