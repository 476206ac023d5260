#include "line_chunks.h"

namespace vigie::ctl {

std::vector<LineChunk> chunkLines(const std::vector<NumberedLine>& lines, size_t max_records,
                                  size_t max_bytes) {
  std::vector<LineChunk> chunks;
  for (const auto& numbered : lines) {
    const size_t size = numbered.text.size() + 1;
    if (chunks.empty() || chunks.back().records >= max_records ||
        chunks.back().body.size() + size > max_bytes) {
      chunks.emplace_back();
      chunks.back().first_line = numbered.line;
    }
    LineChunk& chunk = chunks.back();
    chunk.body += numbered.text;
    chunk.body += '\n';
    ++chunk.records;
    chunk.last_line = numbered.line;
    chunk.file_lines.push_back(numbered.line);
  }
  return chunks;
}

std::string withFileLine(const std::string& message, const LineChunk& chunk,
                         const std::string& file) {
  if (message.rfind("line ", 0) != 0) return message;
  size_t number = 0;
  size_t pos = 5;
  while (pos < message.size() && message[pos] >= '0' && message[pos] <= '9' && number < 1'000'000) {
    number = number * 10 + static_cast<size_t>(message[pos++] - '0');
  }
  if (pos == 5 || pos >= message.size() || message[pos] != ':' || number == 0 ||
      number > chunk.file_lines.size()) {
    return message;
  }
  return "request " + message.substr(0, pos) + " (line " +
         std::to_string(chunk.file_lines[number - 1]) + " of " + file + ")" + message.substr(pos);
}

}  // namespace vigie::ctl
