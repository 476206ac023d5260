#pragma once

// Imports send JSON lines in parts ("chunks") of bounded size; the collector names a refused line
// by its number in the request, which is mapped back to the line of the file it came from.

#include <cstddef>
#include <string>
#include <vector>

namespace vigie::ctl {

// One API line (no line end) and the file line it was read from.
struct NumberedLine {
  size_t line = 0;
  std::string text;
};

// One request's worth of lines, each ended by "\n".
struct LineChunk {
  std::string body;
  size_t records = 0;
  size_t first_line = 0;  // file lines the chunk covers, for messages
  size_t last_line = 0;
  std::vector<size_t> file_lines;  // the file line of each body line
};

// Groups lines in order into chunks of at most `max_records` lines and `max_bytes` bytes.
std::vector<LineChunk> chunkLines(const std::vector<NumberedLine>& lines, size_t max_records = 1000,
                                  size_t max_bytes = 1u << 20);

// The collector names a refused line by its number in the request ("line 3: ..."); this adds
// where that line came from in the file. Other messages are returned as they are.
std::string withFileLine(const std::string& message, const LineChunk& chunk,
                         const std::string& file);

}  // namespace vigie::ctl
